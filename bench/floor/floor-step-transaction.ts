import type { Pool, PoolClient } from 'pg';
import { floorMessageId, type FloorCommand } from './floor-command';
import { stepPatch, type FloorApplyResult, type FloorStatements } from './floor-statements';

/**
 * One command in one transaction: dedupe by message id, the version-guarded state update, the event.
 * Five round trips (BEGIN, three statements, COMMIT) on one pooled connection; prepared statements.
 */
export async function applyFloorStep(pool: Pool, sql: FloorStatements, command: FloorCommand): Promise<FloorApplyResult> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await applyInTransaction(client, sql, command);
    await client.query(result === 'applied' ? 'COMMIT' : 'ROLLBACK');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function applyInTransaction(client: PoolClient, sql: FloorStatements, command: FloorCommand): Promise<FloorApplyResult> {
  const recorded = await client.query({ name: 'floor-record-message', text: sql.recordMessage, values: [floorMessageId(command)] });
  if (recorded.rowCount === 0) return 'duplicate';
  const patch = stepPatch(command.step);
  const updated = await client.query({
    name: 'floor-update-state',
    text: sql.updateState,
    values: [command.workflowId, patch, command.expectedVersion],
  });
  if (updated.rowCount === 0) return 'conflict';
  await client.query({ name: 'floor-append-event', text: sql.appendEvent, values: [command.workflowId, command.step, patch] });
  return 'applied';
}
