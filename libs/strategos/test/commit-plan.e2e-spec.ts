import { Client } from 'pg';
import { commitParameters } from '../src/persistence/postgres/commit-parameters';
import { commitStatementSql } from '../src/persistence/postgres/commit-statement';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import type { TransitionWrite } from '../src/persistence/workflow-store.interface';
import { postgresUrl, uniqueName } from './support/services';
import { advanceWrite, createWrite } from './support/workflow-store.contract';

interface PlanNode {
  readonly 'Node Type': string;
  readonly 'Relation Name'?: string;
  readonly 'Index Name'?: string;
  readonly Plans?: readonly PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * The commit statement is prepared once per connection, so PostgreSQL soon plans it generically, without
 * looking at the batch: the UPDATE of the instances must still go through the primary key, whatever the
 * batch size, instead of scanning the table (the JSON rows are estimated at 100).
 */
describe('commit statement plan', () => {
  const schema = uniqueName('plan');
  let admin: Client;
  let store: PostgresWorkflowStore;

  beforeAll(async () => {
    const url = await postgresUrl();
    admin = new Client({ connectionString: url });
    await admin.connect();
    store = new PostgresWorkflowStore({ url, schema, poolSize: 2 });
    await store.migrate();
  });

  afterAll(async () => {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('updates instances through the primary key in the generic plan, and commits batches of any size', async () => {
    const creates: TransitionWrite[] = Array.from({ length: 3_000 }, () => createWrite());
    for (let offset = 0; offset < creates.length; offset += 500) {
      expect(new Set(await store.commit(creates.slice(offset, offset + 500)))).toEqual(new Set(['committed']));
    }
    await admin.query(`ANALYZE "${schema}".instances`);

    const updates = creates.slice(0, 300).map((write) => advanceWrite(write.transition.instance));
    await admin.query('SET plan_cache_mode = force_generic_plan');
    await admin.query(`PREPARE commit_plan AS ${commitStatementSql(schema)}`);
    const parameters = commitParameters(updates, null);
    // EXECUTE in EXPLAIN takes no bind parameters: the values go in as literals.
    const literal = (value: unknown): string =>
      value === null
        ? 'NULL'
        : Array.isArray(value)
          ? `ARRAY[${value.map((item) => admin.escapeLiteral(String(item))).join(', ')}]::text[]`
          : admin.escapeLiteral(String(value));
    const { rows } = await admin.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (FORMAT JSON) EXECUTE commit_plan(${parameters.map(literal).join(', ')})`,
    );
    await admin.query('DEALLOCATE commit_plan');
    const plan = nodes(rows[0]['QUERY PLAN'][0].Plan);
    const scans = plan.filter((node) => node['Relation Name'] === 'instances');

    expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');
    expect(plan.some((node) => node['Index Name'] === 'instances_pkey')).toBe(true);
    expect(await store.commit(updates)).toEqual(updates.map(() => 'committed'));
    const loaded = await store.load(updates[299].transition.instance.workflowId);
    expect(loaded?.version).toBe(updates[299].transition.instance.version);
  });
});
