import type { InstanceListQuery } from '../instance-list-query.interface';
import { FORK_PATH_CURSORS, INSTANCE_COLUMNS } from './instance-row';
import { quoteSchema } from './schema-name';

/** A statement text with its parameters. */
export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

/**
 * The SELECT of one page of `WorkflowStore.list`, with only the filters given (so the planner sees each
 * shape as it is) and one row more than the limit (to tell whether a next page exists). Keyset paging on
 * `(started_at, workflow_id COLLATE "C")`, the `instances_started_idx` order. Only the validated schema
 * is interpolated; every value is a parameter.
 */
export function listInstancesStatement(schema: string, query: InstanceListQuery): Statement {
  const values: unknown[] = [];
  const param = (value: unknown, type: string): string => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  const where: string[] = [];
  if (query.workflowName !== undefined) where.push(`workflow_name = ${param(query.workflowName, 'text')}`);
  if (query.waiting) {
    const parked = `(status = 'running' AND (cursor ? 'wait' OR jsonb_path_exists(cursor, '${FORK_PATH_CURSORS}.wait')))`;
    where.push(query.statuses !== undefined ? `(status = ANY(${param(query.statuses, 'text[]')}) OR ${parked})` : parked);
  } else if (query.statuses !== undefined) where.push(`status = ANY(${param(query.statuses, 'text[]')})`);
  if (query.phase !== undefined) where.push(`phase = ${param(query.phase, 'text')}`);
  if (query.startedAfter !== undefined) where.push(`started_at >= ${param(query.startedAfter, 'timestamptz')}`);
  if (query.startedBefore !== undefined) where.push(`started_at < ${param(query.startedBefore, 'timestamptz')}`);
  if (query.after !== undefined) {
    where.push(
      `(started_at, workflow_id COLLATE "C") > (${param(query.after.startedAt, 'timestamptz')}, ${param(query.after.workflowId, 'text')})`,
    );
  }
  const text =
    `SELECT ${INSTANCE_COLUMNS} FROM ${quoteSchema(schema)}.instances` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY started_at, workflow_id COLLATE "C" LIMIT ${param(query.limit + 1, 'int')}`;
  return { text, values };
}
