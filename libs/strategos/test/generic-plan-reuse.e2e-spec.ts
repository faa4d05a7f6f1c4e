import { Pool } from 'pg';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import { storeQueries } from '../src/persistence/postgres/store-queries';
import type { TransitionWrite } from '../src/persistence/workflow-store.interface';
import { postgresUrl, uniqueName } from './support/services';
import { advanceWrite, createWrite } from './support/workflow-store.contract';

/**
 * The hot statements with array parameters (the commit, the batched load and the batched step-start mark) are
 * planned once per connection and the plan reused, whatever their batch sizes: PostgreSQL planned the commit
 * anew at every execution while it could see the arrays (about 0.6 ms of its CPU for a single commit).
 */
describe('generic plans reused by the hot statements', () => {
  const schema = uniqueName('reuse');
  let pool: Pool;
  let store: PostgresWorkflowStore;

  beforeAll(async () => {
    pool = new Pool({ connectionString: await postgresUrl(), max: 1 });
    store = new PostgresWorkflowStore({ pool, schema });
    await store.migrate();
  });

  afterAll(async () => {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  /** Plans made for the prepared statement whose text is `sql`, on the pool's only connection. */
  async function plansOf(sql: string): Promise<{ generic: number; custom: number }> {
    const { rows } = await pool.query<{ generic_plans: string; custom_plans: string }>(
      'SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1',
      [sql],
    );
    expect(rows).toHaveLength(1);
    return { generic: Number(rows[0].generic_plans), custom: Number(rows[0].custom_plans) };
  }

  it('commits, loads and marks of 1 to 4 instances at a time reuse one generic plan', async () => {
    const creates: TransitionWrite[] = Array.from({ length: 200 }, () => ({ ...createWrite(), outbox: [] }));
    expect(new Set(await store.commit(creates))).toEqual(new Set(['committed']));
    const sizes = [1, 2, 1, 3, 1, 4];
    let offset = 0;
    let executions = 0;
    for (let round = 0; offset + 4 <= creates.length; round += 1) {
      const batch = creates.slice(offset, offset + sizes[round % sizes.length]);
      offset += batch.length;
      executions += 1;
      const ids = batch.map((write) => write.transition.instance.workflowId);
      const loaded = await store.loadMany(ids.length === 1 ? [...ids, 'no-such-instance'] : ids);
      const marks = batch.map((write) => ({
        workflowId: write.transition.instance.workflowId,
        expectedVersion: write.transition.instance.version,
        commandId: write.transition.instance.cursor!.commandId,
        startedAt: new Date().toISOString(),
      }));
      // The batched mark (the single one has a scalar statement of its own).
      if (marks.length > 1) expect(await store.markStepsStarted(marks)).toEqual(marks.map(() => true));
      const current = marks.length > 1 ? await store.loadMany(ids) : loaded.slice(0, 1);
      const writes = current.map((instance) => advanceWrite(instance!, null));
      expect(await store.commit(writes)).toEqual(writes.map(() => 'committed'));
    }
    const queries = storeQueries(schema);
    const commit = await plansOf(
      (await pool.query<{ statement: string }>("SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'WITH c AS%'")).rows[0]
        .statement,
    );
    const loadMany = await plansOf(queries.loadMany);
    const marks = await plansOf(queries.markStepsStarted);

    expect(executions).toBeGreaterThan(60);
    // PostgreSQL tries five custom plans before it compares them with the generic one.
    for (const plans of [commit, loadMany, marks]) {
      expect(plans.custom).toBeLessThanOrEqual(5);
      expect(plans.generic).toBeGreaterThan(plans.custom * 5);
    }
  });
});
