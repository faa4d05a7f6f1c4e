import { Pool } from 'pg';
import { dashboardRunsStatement } from '../src/dashboard/dashboard-runs-statement';
import type { DashboardRunsQuery } from '../src/dashboard/dashboard-runs-query';
import { migrateSchema } from '../src/persistence/postgres/schema-migrator';
import { postgresUrl, uniqueName } from './support/services';

const ROWS = 300_000;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * The run list stays fast with many runs: on generated rows (most completed, a few failed, some running, five
 * workflows over 30 days), every filter of the dashboard is answered through an index, in the listing order.
 */
describe('Dashboard list query plans (PostgreSQL, generated rows)', () => {
  let pool: Pool;
  const schema = uniqueName('plans');

  beforeAll(async () => {
    pool = new Pool({ connectionString: await postgresUrl(), max: 2 });
    await migrateSchema(pool, schema);
    await pool.query(`
      INSERT INTO "${schema}".instances (workflow_id, workflow_name, state, phase, status, version, sequence, cursor,
        completed_steps, error, compensation_error, cancel_reason, started_at, updated_at, completed_at)
      SELECT 'run-' || lpad(i::text, 7, '0'), 'workflow-' || (i % 5), '{}'::jsonb,
        CASE WHEN i % 100 = 0 THEN 'ProcessPayment' WHEN i % 100 = 1 THEN 'ReserveInventory' WHEN i % 50 = 2 THEN 'Failed' ELSE 'Completed' END,
        CASE WHEN i % 100 IN (0, 1) THEN 'running' WHEN i % 50 = 2 THEN 'failed' ELSE 'completed' END,
        10, 10, NULL, '[]'::jsonb, NULL, NULL, NULL,
        now() - (i * interval '8640 milliseconds'), now(), CASE WHEN i % 100 IN (0, 1) THEN NULL ELSE now() END
      FROM generate_series(1, ${ROWS}) AS i`);
    await pool.query(`ANALYZE "${schema}".instances`);
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  async function plan(query: DashboardRunsQuery): Promise<PlanNode[]> {
    const statement = dashboardRunsStatement(schema, query);
    const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
    return nodes(rows[0]['QUERY PLAN'][0].Plan);
  }

  const day = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

  it.each<[string, Omit<DashboardRunsQuery, 'limit'>, string | readonly string[]]>([
    ['no filter', {}, 'instances_started_idx'],
    ['a workflow', { workflow: 'workflow-3' }, 'instances_name_started_idx'],
    ['a status', { statuses: ['failed'] }, 'instances_status_started_idx'],
    ['a phase that is a step (through status running)', { phase: 'ProcessPayment' }, 'instances_status_started_idx'],
    ['a time range', { startedAfter: day(3), startedBefore: day(2) }, 'instances_started_idx'],
    ['an id prefix', { idPrefix: 'run-01234' }, 'instances_id_prefix_idx'],
    [
      'a workflow, on a later page',
      { workflow: 'workflow-1', before: { startedAt: day(10), workflowId: 'run-0100000' } },
      // Either index reads in the listing order from the cursor on; one run in five matches, so both stop early.
      ['instances_name_started_idx', 'instances_started_idx'],
    ],
  ])('lists runs by %s through an index, without a sequential scan', async (_case, query, index) => {
    const found = await plan({ ...query, limit: 50 });
    expect(found.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
    const used = found.map((node) => node['Index Name']).filter((name): name is string => name !== undefined);
    expect(used.some((name) => [index].flat().includes(name))).toBe(true);
    // The large sets (everything, a workflow, a time range) are read in the listing order: no sort of the matches.
    // The others are small by nature (running runs, failed runs, an id prefix): the planner may sort them.
    if (query.statuses === undefined && query.phase === undefined && query.idPrefix === undefined)
      expect(found.filter((node) => node['Node Type'] === 'Sort')).toEqual([]);
  });

  it('lists a workflow and status together through an index', async () => {
    const found = await plan({ workflow: 'workflow-2', statuses: ['running'], limit: 50 });
    expect(found.filter((node) => node['Node Type'] === 'Seq Scan')).toEqual([]);
    expect(found.some((node) => node['Index Name'])).toBe(true);
  });

  it('reads the first page of 300,000 runs in well under a second', async () => {
    const statement = dashboardRunsStatement(schema, { statuses: ['failed'], limit: 50 });
    const started = Date.now();
    const { rows } = await pool.query(statement.text, statement.values);
    expect(rows).toHaveLength(51);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
