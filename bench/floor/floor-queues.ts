import * as amqp from 'amqplib';
import { FLOOR_STEPS, floorQueueName } from './floor-command';

const stepNumbers = (): number[] => Array.from({ length: FLOOR_STEPS }, (_, i) => i + 1);

/** Declares the floor's four durable step queues, of the same type as the framework's. */
export async function declareFloorQueues(rabbitmqUrl: string, prefix: string, queueType: 'quorum' | 'classic'): Promise<void> {
  await onChannel(rabbitmqUrl, async (channel) => {
    for (const step of stepNumbers()) await channel.assertQueue(floorQueueName(prefix, step), { durable: true, arguments: { 'x-queue-type': queueType } });
  });
}

export async function deleteFloorQueues(rabbitmqUrl: string, prefix: string): Promise<void> {
  await onChannel(rabbitmqUrl, async (channel) => {
    for (const step of stepNumbers()) await channel.deleteQueue(floorQueueName(prefix, step));
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
