import { Pool } from 'pg';
import { eventLogQueries } from '@strategos/nestjs/persistence/postgres/postgres-event-log';
import { migrateSchema } from '@strategos/nestjs/persistence/postgres/schema-migrator';
import { postgresUrl, uniqueName } from '../../libs/strategos/test/support/services';
import { type FinishedRunsPreload, preloadFinishedRuns } from './finished-runs-preload';

const TEMPLATE_ID = '7d4f1c2e-0000-4000-8000-000000000001';
const NAMESPACE = 'bench-preload-test';
const RUNS = 2_000;

describe('preloadFinishedRuns (PostgreSQL)', () => {
  let pool: Pool;
  let schema: string;

  beforeAll(async () => ({ pool, schema } = await preloadedSchema('bench_preload', { runs: RUNS })));
  afterAll(() => dropPreloadedSchema(pool, schema));

  it('replaces the template with N finished runs of new ids, each with the template events', async () => {
    const { rows } = await pool.query<{
      runs: number;
      ids: number;
      completed: number;
      own_state_ids: number;
      template: number;
      events: number;
    }>(
      `SELECT count(*)::int AS runs, count(DISTINCT workflow_id)::int AS ids, count(*) FILTER (WHERE status = 'completed')::int AS completed,
         count(*) FILTER (WHERE state->>'workflowId' = workflow_id)::int AS own_state_ids,
         count(*) FILTER (WHERE workflow_id = $1)::int AS template,
         (SELECT count(*)::int FROM "${schema}".events) AS events
       FROM "${schema}".instances`,
      [TEMPLATE_ID],
    );
    expect(rows[0]).toEqual({ runs: RUNS, ids: RUNS, completed: RUNS, own_state_ids: RUNS, template: 0, events: RUNS * 3 });
  });

  it("writes each run's events under one transaction id, in sequence order", async () => {
    const { rows } = await pool.query<{ runs_in_one_tx: number; out_of_order: number }>(
      `SELECT (SELECT count(*)::int FROM (SELECT workflow_id FROM "${schema}".events GROUP BY 1 HAVING count(DISTINCT tx) = 1) one) AS runs_in_one_tx,
         (SELECT count(*)::int FROM (
            SELECT sequence, row_number() OVER (PARTITION BY workflow_id ORDER BY position) AS by_position FROM "${schema}".events
          ) ranked WHERE sequence <> by_position) AS out_of_order`,
    );
    expect(rows[0]).toEqual({ runs_in_one_tx: RUNS, out_of_order: 0 });
  });

  it('leaves the tables analyzed, their statistics counting the preloaded rows', async () => {
    const { rows } = await pool.query<{ table: string; analyzed: boolean; tuples: number }>(
      `SELECT c.relname AS table, s.last_analyze IS NOT NULL AS analyzed, c.reltuples::int AS tuples
       FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
       WHERE s.schemaname = $1 AND c.relname IN ('instances', 'events') ORDER BY 1`,
      [schema],
    );
    expect(rows).toEqual([
      { table: 'events', analyzed: true, tuples: RUNS * 3 },
      { table: 'instances', analyzed: true, tuples: RUNS },
    ]);
  });

  it("starts the namespace's event-log cursor after the preloaded events, before any later one", async () => {
    const queries = eventLogQueries(schema);
    const cursor = (await pool.query<{ tx: string; position: string }>(queries.cursor, [NAMESPACE])).rows[0];
    const readAfterCursor = () => pool.query<{ workflow_id: string }>(queries.readAfter, [cursor.tx, cursor.position, 100]);
    expect((await readAfterCursor()).rows).toEqual([]);

    await pool.query(
      `INSERT INTO "${schema}".events (workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at)
       VALUES ('later-run', 1, 'later-event', 'bench-order', 'bench-order.Started', 'Started', '{}', now())`,
    );
    expect((await readAfterCursor()).rows.map((row) => row.workflow_id)).toEqual(['later-run']);
  });
});

describe('preloadFinishedRuns with ordered ids (PostgreSQL)', () => {
  let pool: Pool;
  let schema: string;

  beforeAll(async () => ({ pool, schema } = await preloadedSchema('bench_preload_ordered', { runs: 500, ids: 'ordered' })));
  afterAll(() => dropPreloadedSchema(pool, schema));

  it('gives each copy a UUID v7 of its start, so that ids sort as the starts do', async () => {
    const { rows } = await pool.query<{ workflow_id: string; started_ms: string; state_id: string }>(
      `SELECT workflow_id, (extract(epoch FROM started_at) * 1000)::bigint::text AS started_ms, state->>'workflowId' AS state_id
       FROM "${schema}".instances ORDER BY started_at, workflow_id`,
    );
    expect(rows).toHaveLength(500);
    for (const row of rows) {
      expect(row.workflow_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(parseInt(row.workflow_id.replace('-', '').slice(0, 12), 16)).toBe(Number(row.started_ms));
      expect(row.state_id).toBe(row.workflow_id);
    }
    const ids = rows.map((row) => row.workflow_id);
    expect([...ids].sort()).toEqual(ids);
  });
});

/** A migrated schema holding one finished template run, preloaded as `copies` asks. */
async function preloadedSchema(prefix: string, copies: Pick<FinishedRunsPreload, 'runs' | 'ids'>): Promise<{ pool: Pool; schema: string }> {
  const pool = new Pool({ connectionString: await postgresUrl(), max: 2 });
  const schema = uniqueName(prefix);
  await migrateSchema(pool, schema);
  await insertTemplate(pool, schema);
  await preloadFinishedRuns(pool, { schema, namespace: NAMESPACE, ...copies });
  return { pool, schema };
}

async function dropPreloadedSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}

/** One finished run as a worker leaves it (its id also inside its state), with three events. */
async function insertTemplate(pool: Pool, schema: string): Promise<void> {
  await pool.query(
    `INSERT INTO "${schema}".instances (workflow_id, workflow_name, state, phase, status, version, sequence, completed_steps,
       started_at, updated_at, completed_at)
     VALUES ($1, 'bench-order', jsonb_build_object('workflowId', $1::text, 'total', 42), 'completed', 'completed', 3, 3,
       '["validate"]', now() - interval '1 second', now(), now())`,
    [TEMPLATE_ID],
  );
  await pool.query(
    `INSERT INTO "${schema}".events (workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at)
     SELECT $1, n, 'event-' || n, 'bench-order', 'bench-order.' || kind, kind, jsonb_build_object('workflowId', $1::text), now()
     FROM unnest(ARRAY['Started', 'StepCompleted', 'Completed']) WITH ORDINALITY AS k(kind, n)`,
    [TEMPLATE_ID],
  );
}
