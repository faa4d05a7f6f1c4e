import { randomUUID } from 'node:crypto';
import type { ConfirmChannel } from 'amqplib';
import { initialOrderState } from '@app/orders';
import type { Pool } from 'pg';
import { publishFloorCommand } from './floor-command';
import type { FloorStatements } from './floor-statements';

/** Where {@link startFloorWorkflows} writes and publishes. */
export interface FloorStartTarget {
  readonly pool: Pool;
  readonly sql: FloorStatements;
  readonly publisher: ConfirmChannel;
  readonly queuePrefix: string;
}

/**
 * Starts `count` floor workflows, `chunkSize` at a time: one transaction inserts the chunk's state rows
 * (an order state, as the framework's) and `Started` events, then its first commands are published with
 * confirms.
 */
export async function startFloorWorkflows(target: FloorStartTarget, count: number, chunkSize: number): Promise<void> {
  for (let offset = 0; offset < count; offset += chunkSize) {
    const ids = Array.from({ length: Math.min(chunkSize, count - offset) }, () => randomUUID());
    await insertStarted(target, ids);
    await Promise.all(
      ids.map((workflowId) => publishFloorCommand(target.publisher, target.queuePrefix, { workflowId, step: 1, expectedVersion: 0 })),
    );
  }
}

async function insertStarted({ pool, sql }: FloorStartTarget, ids: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(sql.insertStarted, [ids, ids.map((id) => JSON.stringify(initialOrderState(undefined, id)))]);
    await client.query(sql.appendStarted, [ids]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
