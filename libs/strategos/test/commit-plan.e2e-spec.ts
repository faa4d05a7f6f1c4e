import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { commitParameters } from '../src/persistence/postgres/commit-parameters';
import { commitStatementSql } from '../src/persistence/postgres/commit-statement';
import { eventLogQueries } from '../src/persistence/postgres/postgres-event-log';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import { storeQueries } from '../src/persistence/postgres/store-queries';
import type { TransitionWrite } from '../src/persistence/workflow-store.interface';
import { explainLiteral, type PlanNode, planNodes } from './support/query-plan';
import { postgresUrl, uniqueName } from './support/services';
import { advanceWrite, createWrite } from './support/workflow-store.contract';

/**
 * The store's hot statements are prepared once per connection and PostgreSQL soon plans them generically
 * (`plan_cache_mode` is left at `auto`), without looking at the values: each must still reach its table through
 * an index, whatever the batch size, instead of scanning it. The commit's JSON rows are estimated at 100 by
 * the planner; the typed arrays beside them (`= ANY($n::text[])`) are what lead it to the indexes.
 */
describe('generic plans of the hot statements', () => {
  const schema = uniqueName('plan');
  let admin: Client;
  let store: PostgresWorkflowStore;
  let creates: TransitionWrite[];

  /** The generic plan of `sql` for `values` (EXECUTE in EXPLAIN takes no bind parameters: values go in as literals). */
  async function genericPlan(sql: string, values: readonly unknown[]): Promise<PlanNode[]> {
    await admin.query('SET plan_cache_mode = force_generic_plan');
    await admin.query(`PREPARE hot_statement AS ${sql}`);
    try {
      const { rows } = await admin.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (FORMAT JSON) EXECUTE hot_statement(${values.map((value) => explainLiteral(admin, value)).join(', ')})`,
      );
      return planNodes(rows[0]['QUERY PLAN'][0].Plan);
    } finally {
      await admin.query('DEALLOCATE hot_statement');
    }
  }

  const scansOf = (plan: readonly PlanNode[], table: string): string[] =>
    plan.filter((node) => node['Relation Name'] === table).map((node) => node['Node Type']);
  const usesIndex = (plan: readonly PlanNode[], index: string): boolean => plan.some((node) => node['Index Name'] === index);

  beforeAll(async () => {
    const url = await postgresUrl();
    admin = new Client({ connectionString: url });
    await admin.connect();
    store = new PostgresWorkflowStore({ url, schema, poolSize: 2 });
    await store.migrate();
    // Tables of a few thousand rows (instances, their events, inbox and outbox rows), with statistics.
    creates = Array.from({ length: 3_000 }, () => createWrite(randomUUID(), randomUUID()));
    for (let offset = 0; offset < creates.length; offset += 500) {
      expect(new Set(await store.commit(creates.slice(offset, offset + 500)))).toEqual(new Set(['committed']));
    }
    await admin.query(`ANALYZE "${schema}".instances, "${schema}".events, "${schema}".inbox, "${schema}".outbox`);
  });

  afterAll(async () => {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('commit: updates instances through the primary key, looks the inbox up by its key, and commits batches of any size', async () => {
    const updates = creates.slice(0, 300).map((write) => advanceWrite(write.transition.instance));
    const plan = await genericPlan(commitStatementSql(schema), commitParameters(updates, null));

    expect(scansOf(plan, 'instances')).not.toContain('Seq Scan');
    expect(usesIndex(plan, 'instances_pkey')).toBe(true);
    expect(scansOf(plan, 'inbox')).not.toContain('Seq Scan');
    expect(usesIndex(plan, 'inbox_pkey')).toBe(true);
    expect(await store.commit(updates)).toEqual(updates.map(() => 'committed'));
    const loaded = await store.load(updates[299].transition.instance.workflowId);
    expect(loaded?.version).toBe(updates[299].transition.instance.version);
  });

  it('load, batched load, history and the outbox deletion go through primary keys', async () => {
    const queries = storeQueries(schema);
    const id = creates[0].transition.instance.workflowId;
    const load = await genericPlan(queries.load, [id]);
    const loadMany = await genericPlan(queries.loadMany, [creates.slice(0, 64).map((write) => write.transition.instance.workflowId)]);
    const history = await genericPlan(queries.history, [id]);
    const deletion = await genericPlan(queries.deleteOutbox, [creates.slice(0, 50).flatMap((write) => write.outbox.map((m) => m.id))]);

    expect(usesIndex(load, 'instances_pkey')).toBe(true);
    expect(scansOf(load, 'instances')).not.toContain('Seq Scan');
    expect(usesIndex(loadMany, 'instances_pkey')).toBe(true);
    expect(scansOf(loadMany, 'instances')).not.toContain('Seq Scan');
    expect(usesIndex(history, 'events_pkey')).toBe(true);
    expect(scansOf(history, 'events')).not.toContain('Seq Scan');
    expect(usesIndex(deletion, 'outbox_pkey')).toBe(true);
    expect(scansOf(deletion, 'outbox')).not.toContain('Seq Scan');
  });

  it('the event log read and the cursor updates go through their indexes', async () => {
    const queries = eventLogQueries(schema);
    const read = await genericPlan(queries.readAfter, ['0', '0', 200]);
    const advance = await genericPlan(queries.advance, ['orders', '1', '1']);

    expect(usesIndex(read, 'events_publication_idx')).toBe(true);
    expect(scansOf(read, 'events')).not.toContain('Seq Scan');
    expect(usesIndex(advance, 'event_publication_pkey')).toBe(true);
    const skip = await genericPlan(queries.skipToEnd, ['orders']);
    expect(usesIndex(skip, 'events_publication_idx')).toBe(true);
    expect(scansOf(skip, 'events')).not.toContain('Seq Scan');
  });
});
