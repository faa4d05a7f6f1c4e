import { activePositions, type WorkflowInstance } from '../../engine/workflow-instance';
import type { InstanceListQuery, InstancePosition } from '../instance-list-query.interface';

/** Orders by `startedAt`, then `workflowId` by code point (as PostgreSQL's `COLLATE "C"` on UTF-8). */
export function compareListPosition(a: InstancePosition, b: InstancePosition): number {
  return Date.parse(a.startedAt) - Date.parse(b.startedAt) || compareCodePoints(a.workflowId, b.workflowId);
}

/** Whether `instance` passes the filters of `query` (not its position or limit). */
export function matchesListQuery(instance: WorkflowInstance, query: InstanceListQuery): boolean {
  const startedAt = Date.parse(instance.startedAt);
  return (
    (query.workflowName === undefined || instance.workflowName === query.workflowName) &&
    ((query.statuses === undefined && !query.waiting) ||
      (query.statuses?.includes(instance.status) ?? false) ||
      (query.waiting === true && instance.status === 'running' && activePositions(instance).some((p) => p.wait !== undefined))) &&
    (query.phase === undefined || instance.phase === query.phase) &&
    (query.startedAfter === undefined || startedAt >= Date.parse(query.startedAfter)) &&
    (query.startedBefore === undefined || startedAt < Date.parse(query.startedBefore))
  );
}

function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = (left[i].codePointAt(0) ?? 0) - (right[i].codePointAt(0) ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}
