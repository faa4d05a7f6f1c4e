import { Client, Pool } from 'pg';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import { markStepsStartedParameters } from '../src/persistence/postgres/step-start-parameters';
import { storeQueries } from '../src/persistence/postgres/store-queries';
import type { StepStartMark, TransitionWrite } from '../src/persistence/workflow-store.interface';
import { explainLiteral, type PlanNode, planNodes } from './support/query-plan';
import { postgresUrl, uniqueName } from './support/services';
import { createWrite } from './support/workflow-store.contract';

const markOf = (write: TransitionWrite): StepStartMark => ({
  workflowId: write.transition.instance.workflowId,
  expectedVersion: write.transition.instance.version,
  commandId: write.transition.instance.cursor!.commandId,
  startedAt: '2030-01-01T00:00:00.000Z',
});

/**
 * The step-start mark runs before every step: like the commit, it must find the instances through the primary
 * key in the generic plan of its prepared statement, whatever the batch size, and its asynchronous commit must
 * stay inside its own transaction.
 */
describe('step start statement plan', () => {
  const schema = uniqueName('startplan');
  let admin: Client;
  let pool: Pool;
  let store: PostgresWorkflowStore;

  beforeAll(async () => {
    const url = await postgresUrl();
    admin = new Client({ connectionString: url });
    await admin.connect();
    pool = new Pool({ connectionString: url, max: 1 });
    store = new PostgresWorkflowStore({ pool, schema });
    await store.migrate();
  });

  afterAll(async () => {
    await store.close();
    await pool.end();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('marks through the primary key in the generic plan, in batches of any size, without changing the session', async () => {
    const creates: TransitionWrite[] = Array.from({ length: 3_000 }, () => createWrite()).map((write) => ({ ...write, outbox: [] }));
    for (let offset = 0; offset < creates.length; offset += 500) {
      expect(new Set(await store.commit(creates.slice(offset, offset + 500)))).toEqual(new Set(['committed']));
    }
    await admin.query(`ANALYZE "${schema}".instances`);

    const marks = creates.slice(0, 300).map(markOf);
    await admin.query('SET plan_cache_mode = force_generic_plan');
    await admin.query(`PREPARE start_plan AS ${storeQueries(schema).markStepsStarted}`);
    // EXECUTE in EXPLAIN takes no bind parameters: the arrays go in as literals.
    const literal = (values: unknown[], type: string): string =>
      `ARRAY[${values.map((value) => (value === null ? 'NULL' : admin.escapeLiteral(String(value)))).join(', ')}]::${type}[]`;
    const types = ['text', 'int', 'text', 'text', 'int'];
    const parameters = markStepsStartedParameters(marks) as unknown[][];
    const { rows } = await admin.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) EXECUTE start_plan(${parameters.map((values, index) => literal(values, types[index])).join(', ')})`,
    );
    await admin.query('DEALLOCATE start_plan');
    const plan = planNodes(rows[0]['QUERY PLAN'][0].Plan);
    const scans = plan.filter((node) => node['Relation Name'] === 'instances');

    expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(plan.some((node) => node['Index Name'] === 'instances_pkey')).toBe(true);
    expect(await store.markStepsStarted(marks)).toEqual(marks.map(() => true));
    expect((await store.load(marks[299].workflowId))?.version).toBe(marks[299].expectedVersion + 1);
    // The pool's only connection ran the mark: the asynchronous commit did not outlive the mark's transaction.
    const { rows: setting } = await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    expect(setting[0].synchronous_commit).toBe('on');
  });

  it('marks one step through the primary key with a plan made once per connection (not at every execution)', async () => {
    const creates: TransitionWrite[] = Array.from({ length: 50 }, () => createWrite()).map((write) => ({ ...write, outbox: [] }));
    expect(new Set(await store.commit(creates))).toEqual(new Set(['committed']));
    const sql = storeQueries(schema).markStepStarted;
    const [first] = creates.map(markOf);
    await admin.query('SET plan_cache_mode = force_generic_plan');
    await admin.query(`PREPARE one_start_plan AS ${sql}`);
    const { rows } = await admin.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) EXECUTE one_start_plan(${[first.workflowId, first.expectedVersion, first.commandId, first.startedAt, null].map((value) => explainLiteral(admin, value)).join(', ')})`,
    );
    await admin.query('DEALLOCATE one_start_plan');
    await admin.query('RESET plan_cache_mode');
    const plan = planNodes(rows[0]['QUERY PLAN'][0].Plan);
    expect(
      plan.filter((node) => node['Relation Name'] === 'instances' && node['Node Type'].endsWith('Scan')).map((node) => node['Index Name']),
    ).toEqual(['instances_pkey']);

    // One mark at a time on the pool's only connection: PostgreSQL soon reuses one generic plan.
    for (const write of creates) expect(await store.markStepsStarted([markOf(write)])).toEqual([true]);
    const { rows: statements } = await pool.query<{ generic_plans: string; custom_plans: string }>(
      'SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE $1',
      ['%AS started_at, $5::int AS path_index%'],
    );
    expect(statements).toHaveLength(1);
    expect(Number(statements[0].generic_plans)).toBeGreaterThanOrEqual(40);
    expect(Number(statements[0].custom_plans)).toBeLessThanOrEqual(10);
    // Applied once each: a second mark on the same version fails the guard.
    expect(await store.markStepsStarted([markOf(creates[0])])).toEqual([false]);
    expect((await store.load(first.workflowId))?.version).toBe(first.expectedVersion + 1);
  });

  it('finds the instance by its primary key when the statistics counted no running instance, not by scanning the running ones', async () => {
    // A store of finished runs, analyzed while none ran (as a production store at a quiet moment)...
    const finished: TransitionWrite[] = Array.from({ length: 2_000 }, () => createWrite()).map((write) => ({ ...write, outbox: [] }));
    for (let offset = 0; offset < finished.length; offset += 500) await store.commit(finished.slice(offset, offset + 500));
    await admin.query(`UPDATE "${schema}".instances SET status = 'completed', completed_at = now() WHERE status = 'running'`);
    await admin.query(`ANALYZE "${schema}".instances`);
    // ...then a thousand runs in flight.
    const running: TransitionWrite[] = Array.from({ length: 1_000 }, () => createWrite()).map((write) => ({ ...write, outbox: [] }));
    for (let offset = 0; offset < running.length; offset += 500) await store.commit(running.slice(offset, offset + 500));
    const mark = markOf(running[500]);

    await admin.query('SET plan_cache_mode = force_generic_plan');
    const queries = storeQueries(schema);
    const single = [mark.workflowId, mark.expectedVersion, mark.commandId, mark.startedAt, null];
    const batched = markStepsStartedParameters([mark]) as unknown[][];
    const typed = (values: unknown[], type: string) =>
      `ARRAY[${values.map((value) => (value === null ? 'NULL' : admin.escapeLiteral(String(value)))).join(', ')}]::${type}[]`;
    const types = ['text', 'int', 'text', 'text', 'int'];
    const plans = [
      { sql: queries.markStepStarted, arguments_: single.map((value) => explainLiteral(admin, value)) },
      { sql: queries.markStepsStarted, arguments_: batched.map((values, index) => typed(values, types[index])) },
    ];
    for (const { sql, arguments_ } of plans) {
      await admin.query(`PREPARE quiet_stats_plan AS ${sql}`);
      const { rows } = await admin.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (FORMAT JSON) EXECUTE quiet_stats_plan(${arguments_.join(', ')})`,
      );
      await admin.query('DEALLOCATE quiet_stats_plan');
      const indexes = planNodes(rows[0]['QUERY PLAN'][0].Plan)
        .filter((node) => node['Relation Name'] === 'instances' && node['Node Type'].endsWith('Scan'))
        .map((node) => node['Index Name'] ?? node['Node Type']);
      expect(indexes).toEqual(['instances_pkey']);
    }
    await admin.query('RESET plan_cache_mode');

    // Still a guard: the running instance is marked once, a finished one never.
    expect(await store.markStepsStarted([mark])).toEqual([true]);
    expect(await store.markStepsStarted([mark])).toEqual([false]);
    expect(await store.markStepsStarted([markOf(finished[0])])).toEqual([false]);
  });
});
