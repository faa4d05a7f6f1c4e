import { Client } from 'pg';
import { commitParameters } from '../src/persistence/postgres/commit-parameters';
import { commitStatementSql } from '../src/persistence/postgres/commit-statement';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import type { TransitionWrite } from '../src/persistence/workflow-store.interface';
import { explainLiteral, type PlanNode, planNodes } from './support/query-plan';
import { postgresUrl, uniqueName } from './support/services';
import { advanceWrite, createWrite } from './support/workflow-store.contract';

/**
 * A prepared statement's generic plan lives as long as the connection, until the table's statistics change. The
 * commit's plan made while `instances` held a few rows must still find the row through the primary key once it
 * holds thousands, also on a server without autovacuum (no ANALYZE ever comes): the store's own connections run
 * with `enable_seqscan = off`.
 */
describe('plans made while the tables were new', () => {
  const schema = uniqueName('newplan');
  let url: string;
  let store: PostgresWorkflowStore;

  beforeAll(async () => {
    url = await postgresUrl();
    store = new PostgresWorkflowStore({ url, schema, poolSize: 1 });
    await store.migrate();
  });

  afterAll(async () => {
    await store.close();
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  const created = async (count: number): Promise<TransitionWrite[]> => {
    const writes = Array.from({ length: count }, () => ({ ...createWrite(), outbox: [] }));
    for (let offset = 0; offset < writes.length; offset += 500) await store.commit(writes.slice(offset, offset + 500));
    return writes;
  };

  /** Commits `writes` one at a time on `client` with the commit statement, then EXPLAINs its cached plan for one more. */
  async function cachedCommitPlan(client: Client, writes: readonly TransitionWrite[], last: TransitionWrite): Promise<PlanNode[]> {
    const sql = commitStatementSql(schema);
    for (const write of writes) {
      const instance = await store.load(write.transition.instance.workflowId);
      await client.query({ name: 'commit', text: sql, values: commitParameters([advanceWrite(instance!, null)], null) });
    }
    const instance = await store.load(last.transition.instance.workflowId);
    const values = commitParameters([advanceWrite(instance!, null)], null);
    const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) EXECUTE commit(${values.map((value) => explainLiteral(client, value)).join(', ')})`,
    );
    return planNodes(rows[0]['QUERY PLAN'][0].Plan);
  }

  const instanceScans = (plan: readonly PlanNode[]): string[] =>
    plan.filter((node) => node['Relation Name'] === 'instances' && node['Node Type'].endsWith('Scan')).map((node) => node['Node Type']);

  it('keeps reaching instances through the primary key after the table grew, where a default session scans it', async () => {
    const early = await created(10);
    const defaultSession = new Client({ connectionString: url });
    const storeSession = new Client({ connectionString: url, options: '-c enable_seqscan=off' });
    await Promise.all([defaultSession.connect(), storeSession.connect()]);
    try {
      // Ten commits each while the table holds ten rows: PostgreSQL settles on a generic plan for each session.
      await cachedCommitPlan(defaultSession, early, early[0]);
      await cachedCommitPlan(storeSession, early, early[1]);
      const later = await created(3_000);

      expect(instanceScans(await cachedCommitPlan(defaultSession, later.slice(0, 20), later[20]))).toContain('Seq Scan');
      expect(instanceScans(await cachedCommitPlan(storeSession, later.slice(30, 50), later[50]))).not.toContain('Seq Scan');
    } finally {
      await Promise.all([defaultSession.end(), storeSession.end()]);
    }
  });

  it("sets the store's own connections to prefer indexes", async () => {
    const pool = (store as unknown as { pool: { query(sql: string): Promise<{ rows: { enable_seqscan: string }[] }> } }).pool;
    expect((await pool.query('SHOW enable_seqscan')).rows[0].enable_seqscan).toBe('off');
  });
});
