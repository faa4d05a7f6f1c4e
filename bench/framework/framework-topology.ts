import * as amqp from 'amqplib';
import { startQueueName, stepQueueName, topologyNames } from '@strategos/nestjs';
import type { Pool } from 'pg';
import { benchOrder } from './bench-order.workflow';

/** The queues the framework declares under `namespace` for the bench's order workflow: one per step, its start queue, the dead letters. */
export function frameworkQueues(namespace: string): string[] {
  const steps = [...benchOrder.stepsByName.keys()].map((step) => stepQueueName(namespace, benchOrder.name, step));
  return [...steps, startQueueName(namespace, benchOrder.name), topologyNames(namespace).deadLetterQueue];
}

/** Deletes the broker objects the framework declared under `namespace` and drops its schema. */
export async function removeFrameworkTopology(rabbitmqUrl: string, namespace: string, pool: Pool, schema: string): Promise<void> {
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    for (const queue of frameworkQueues(namespace)) await channel.deleteQueue(queue);
    const names = topologyNames(namespace);
    await channel.deleteExchange(names.eventsExchange);
    await channel.deleteExchange(names.deadLetterExchange);
  } finally {
    await connection.close();
  }
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
