import type { Pool, PoolClient } from 'pg';
import { floorMessageId, type FloorCommand } from './floor-command';
import { stepPatch, type FloorApplyResult, type FloorStatements } from './floor-statements';

/**
 * Many commands (at most one per workflow) in one transaction: the same three writes as
 * `applyFloorStep`, each as one array statement. Returns a result per command, in order.
 */
export async function applyFloorSteps(pool: Pool, sql: FloorStatements, commands: readonly FloorCommand[]): Promise<FloorApplyResult[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const results = await applyAllInTransaction(client, sql, commands);
    await client.query('COMMIT');
    return results;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function applyAllInTransaction(
  client: PoolClient,
  sql: FloorStatements,
  commands: readonly FloorCommand[],
): Promise<FloorApplyResult[]> {
  const recorded = await client.query<{ message_id: string }>({
    name: 'floor-record-messages',
    text: sql.recordMessages,
    values: [commands.map(floorMessageId)],
  });
  const fresh = new Set(recorded.rows.map((row) => row.message_id));
  const candidates = commands.filter((command) => fresh.has(floorMessageId(command)));
  const patches = candidates.map((command) => stepPatch(command.step));
  const updated = await client.query<{ id: string }>({
    name: 'floor-update-states',
    text: sql.updateStates,
    values: [candidates.map((c) => c.workflowId), patches, candidates.map((c) => c.expectedVersion)],
  });
  const applied = new Set(updated.rows.map((row) => row.id));
  const appliedCommands = candidates.filter((command) => applied.has(command.workflowId));
  await client.query({
    name: 'floor-append-events',
    text: sql.appendEvents,
    values: [appliedCommands.map((c) => c.workflowId), appliedCommands.map((c) => c.step), appliedCommands.map((c) => stepPatch(c.step))],
  });
  return commands.map((command) =>
    !fresh.has(floorMessageId(command)) ? 'duplicate' : applied.has(command.workflowId) ? 'applied' : 'conflict',
  );
}
