import * as amqp from 'amqplib';
import { processOrder } from '@app/orders';
import { stepQueueName, topologyNames } from '@strategos/nestjs';
import type { Pool } from 'pg';

/** Deletes the broker objects the framework declared under `namespace` and drops its schema. */
export async function removeFrameworkTopology(rabbitmqUrl: string, namespace: string, pool: Pool, schema: string): Promise<void> {
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    const names = topologyNames(namespace);
    for (const step of processOrder.stepsByName.keys()) await channel.deleteQueue(stepQueueName(namespace, processOrder.name, step));
    await channel.deleteQueue(names.deadLetterQueue);
    await channel.deleteExchange(names.eventsExchange);
    await channel.deleteExchange(names.deadLetterExchange);
  } finally {
    await connection.close();
  }
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
