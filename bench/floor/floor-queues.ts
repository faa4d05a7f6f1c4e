import * as amqp from 'amqplib';
import { floorQueueName } from './floor-command';

/** 1, 2, ... `steps`. */
export function stepNumbers(steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => i + 1);
}

/** Declares the floor's durable step queues (one per step), of the same type as the framework's. */
export async function declareFloorQueues(
  rabbitmqUrl: string,
  prefix: string,
  steps: number,
  queueType: 'quorum' | 'classic',
): Promise<void> {
  await onChannel(rabbitmqUrl, async (channel) => {
    for (const step of stepNumbers(steps))
      await channel.assertQueue(floorQueueName(prefix, step), { durable: true, arguments: { 'x-queue-type': queueType } });
  });
}

export async function deleteFloorQueues(rabbitmqUrl: string, prefix: string, steps: number): Promise<void> {
  await onChannel(rabbitmqUrl, async (channel) => {
    for (const step of stepNumbers(steps)) await channel.deleteQueue(floorQueueName(prefix, step));
  });
}

async function onChannel(rabbitmqUrl: string, use: (channel: amqp.Channel) => Promise<void>): Promise<void> {
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    await use(await connection.createChannel());
  } finally {
    await connection.close();
  }
}
