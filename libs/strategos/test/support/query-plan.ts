import type { Client } from 'pg';

/** A node of PostgreSQL's `EXPLAIN (FORMAT JSON)` output, with the fields the plan tests read. */
export interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

/** The plan's nodes, the root first, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

/**
 * `value` as an SQL literal for `EXPLAIN ... EXECUTE name(...)`, which takes no bind parameters: null as NULL, an
 * array as a `text[]` of its elements, anything else as a quoted string (PostgreSQL casts it to the parameter's type).
 */
export function explainLiteral(client: Pick<Client, 'escapeLiteral'>, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return `ARRAY[${value.map((item) => client.escapeLiteral(String(item))).join(', ')}]::text[]`;
  return client.escapeLiteral(String(value));
}
