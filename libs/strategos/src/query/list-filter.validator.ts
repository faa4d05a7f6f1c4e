import type { WorkflowStatus } from '../engine/workflow-instance';
import type { InstanceListQuery } from '../persistence/instance-list-query.interface';
import type { WorkflowState } from '../state/workflow-state.interface';
import { InvalidListQueryError } from './invalid-list-query.error';
import { decodeListCursor } from './list-cursor';
import type { WorkflowListFilter } from './workflow-list-filter.interface';

/** Views per page when the filter gives no `limit`. */
export const DEFAULT_LIST_LIMIT = 50;
/** The largest `limit` accepted. */
export const MAX_LIST_LIMIT = 500;

const STATUSES: ReadonlySet<string> = new Set<WorkflowStatus>(['running', 'completed', 'failed', 'compensated', 'cancelled']);

/**
 * Checks a `list` filter and turns it into the store's query.
 * @throws InvalidListQueryError `INVALID_LIST_QUERY` naming the field (`limit`, `cursor`, `status`, `startedAfter`, …).
 */
export function validateListFilter<S extends WorkflowState>(filter: WorkflowListFilter<S>): InstanceListQuery {
  const limit = filter.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new InvalidListQueryError('limit', `must be an integer from 1 to ${MAX_LIST_LIMIT}, got ${limit}`);
  }
  const workflowName = typeof filter.workflow === 'object' && filter.workflow !== null ? filter.workflow.name : filter.workflow;
  if (workflowName !== undefined && typeof workflowName !== 'string')
    throw new InvalidListQueryError('workflow', 'give a workflow name or definition');
  if (filter.phase !== undefined && typeof filter.phase !== 'string') throw new InvalidListQueryError('phase', 'give a phase name');
  const asked = filter.status === undefined ? undefined : typeof filter.status === 'string' ? [filter.status] : [...filter.status];
  const unknown = asked?.find((status) => status !== 'waiting' && !STATUSES.has(status));
  if (unknown !== undefined)
    throw new InvalidListQueryError('status', `${JSON.stringify(unknown)} is not a status; use ${[...STATUSES, 'waiting'].join(', ')}`);
  // `waiting`: running instances parked at a wait (awaitSignal, awaitApproval, sleep).
  const waiting = asked?.includes('waiting') === true;
  const statuses = asked?.filter((status): status is WorkflowStatus => status !== 'waiting');
  return {
    limit,
    ...(workflowName !== undefined ? { workflowName } : {}),
    ...(statuses !== undefined ? { statuses } : {}),
    ...(waiting ? { waiting } : {}),
    ...(filter.phase !== undefined ? { phase: filter.phase } : {}),
    ...(filter.startedAfter !== undefined ? { startedAfter: isoDate('startedAfter', filter.startedAfter) } : {}),
    ...(filter.startedBefore !== undefined ? { startedBefore: isoDate('startedBefore', filter.startedBefore) } : {}),
    ...(filter.cursor !== undefined ? { after: decodeListCursor(filter.cursor) } : {}),
  };
}

function isoDate(field: string, value: Date): string {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new InvalidListQueryError(field, 'give a valid Date');
  return value.toISOString();
}
