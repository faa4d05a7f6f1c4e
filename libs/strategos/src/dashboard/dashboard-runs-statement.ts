import { Phase } from '../definition/phases';
import type { WorkflowStatus } from '../engine/workflow-instance';
import { quoteSchema } from '../persistence/postgres/schema-name';
import type { DashboardRunsQuery } from './dashboard-runs-query';

/** Summary columns of a listed run (no state: a page stays small). */
export const RUN_SUMMARY_COLUMNS =
  'workflow_id, workflow_name, phase, status, version, error, cancel_reason, started_at, updated_at, completed_at';

/** The status a run in `phase` has: terminal phases map one to one, every other phase is a running one. */
export function statusOfPhase(phase: string): WorkflowStatus {
  switch (phase) {
    case Phase.Completed:
      return 'completed';
    case Phase.Compensated:
      return 'compensated';
    case Phase.Failed:
      return 'failed';
    case Phase.Cancelled:
      return 'cancelled';
    default:
      return 'running';
  }
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * The SELECT of one page of the run list, newest first, with only the filters given. Each filter has an
 * index ending in the listing order (migration 3): workflow, status, a phase through the status it implies
 * (phase itself has no index, so that step updates stay HOT), the time range through `instances_started_idx`,
 * and an id prefix through `instances_id_prefix_idx`. Keyset paging, one row more than the limit.
 */
export function dashboardRunsStatement(schema: string, query: DashboardRunsQuery): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (value: unknown, type: string): string => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  const where: string[] = [];
  if (query.workflow !== undefined) where.push(`workflow_name = ${param(query.workflow, 'text')}`);
  const statuses = query.phase !== undefined ? intersect(query.statuses, statusOfPhase(query.phase)) : query.statuses;
  if (statuses !== undefined)
    where.push(statuses.length === 1 ? `status = ${param(statuses[0], 'text')}` : `status = ANY(${param(statuses, 'text[]')})`);
  if (query.phase !== undefined) where.push(`phase = ${param(query.phase, 'text')}`);
  if (query.startedAfter !== undefined) where.push(`started_at >= ${param(query.startedAfter, 'timestamptz')}`);
  if (query.startedBefore !== undefined) where.push(`started_at < ${param(query.startedBefore, 'timestamptz')}`);
  if (query.idPrefix !== undefined) {
    where.push(`workflow_id COLLATE "C" >= ${param(query.idPrefix, 'text')}`);
    where.push(`workflow_id COLLATE "C" LIKE ${param(`${escapeLike(query.idPrefix)}%`, 'text')}`);
  }
  if (query.before !== undefined)
    where.push(
      `(started_at, workflow_id COLLATE "C") < (${param(query.before.startedAt, 'timestamptz')}, ${param(query.before.workflowId, 'text')})`,
    );
  const text =
    `SELECT ${RUN_SUMMARY_COLUMNS} FROM ${quoteSchema(schema)}.instances` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY started_at DESC, workflow_id COLLATE "C" DESC LIMIT ${param(query.limit + 1, 'int')}`;
  return { text, values };
}

function intersect(statuses: readonly WorkflowStatus[] | undefined, implied: WorkflowStatus): readonly WorkflowStatus[] {
  return statuses === undefined || statuses.includes(implied) ? [implied] : [];
}
