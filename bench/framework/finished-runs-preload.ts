import type { Pool, PoolClient } from 'pg';
import { withTransaction } from '../../libs/strategos/src/persistence/postgres/transaction';
import type { WorkflowIdKind } from '../workflow-id';
import { bestEffort } from '../best-effort';
import { withIndexesRebuilt } from './index-rebuild';

/** Where and how many finished runs {@link preloadFinishedRuns} writes. */
export interface FinishedRunsPreload {
  /** The framework's (migrated) schema, holding exactly one finished run: the template. */
  readonly schema: string;
  /** The namespace whose event-log publisher must skip the preloaded events. */
  readonly namespace: string;
  /** Finished runs to write (the template is replaced by them). */
  readonly runs: number;
  /** How far back the preloaded runs reach (within the default retention of finished runs, 30 days). */
  readonly spreadMs?: number;
  /** The copies' ids: `random` (UUIDs from a hash, the default) or `ordered` (UUID v7 of each copy's start time). */
  readonly ids?: WorkflowIdKind;
}

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * Replaces the schema's one finished run (the template, left by a real run) with `runs` copies of it, and makes the
 * schema look like a production store's after a restart: the copies' ids are new UUIDs (also where the
 * template's id appears in its state and events), their times spread over the last `spreadMs` (oldest first), each
 * run's events under a transaction id of its own below the current one; the namespace's event-log cursor is moved
 * after the last copied event (the publisher never republishes them); then every table is vacuumed and analyzed.
 * @throws Error when the schema holds anything but one finished run, or outbox rows.
 */
export async function preloadFinishedRuns(pool: Pool, preload: FinishedRunsPreload): Promise<void> {
  const s = `"${preload.schema}"`;
  await withTransaction(pool, async (client) => {
    const templateId = await finishedTemplate(client, s);
    const copyValues = [templateId, preload.runs, preload.spreadMs ?? WEEK_MS, preload.ids === 'ordered'];
    await withIndexesRebuilt(client, preload.schema, ['instances', 'events'], async () => {
      await client.query(copiedRunsSql(s), copyValues);
      await client.query(copiedEventsSql(s), copyValues);
      await client.query(`DELETE FROM ${s}.events WHERE workflow_id = $1`, [templateId]);
      await client.query(`DELETE FROM ${s}.instances WHERE workflow_id = $1`, [templateId]);
    });
    await client.query(cursorAfterLastEventSql(s), [preload.namespace]);
  });
  // As autovacuum leaves long-lived tables: statistics for the planner, all-visible pages, no dead template rows.
  const { rows } = await pool.query<{ table: string }>(`SELECT tablename AS table FROM pg_tables WHERE schemaname = $1`, [preload.schema]);
  await pool.query(`VACUUM (ANALYZE) ${rows.map((row) => `${s}."${row.table}"`).join(', ')}`);
  // The copies' gigabyte of WAL would otherwise start a checkpoint during the measured run, and every page the run
  // touches after it would be written to the WAL in full once: a cost of the bulk load, not of the run. It needs a
  // superuser or the pg_checkpoint role; without them the run goes on and says so.
  await bestEffort('preload: CHECKPOINT after the copies', () => pool.query('CHECKPOINT'));
}

/** The template's workflow id, after checking that it is the schema's only run, finished, with nothing left to publish. */
async function finishedTemplate(client: PoolClient, s: string): Promise<string> {
  const runs = await client.query<{ workflow_id: string; status: string }>(`SELECT workflow_id, status FROM ${s}.instances`);
  const outbox = await client.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${s}.outbox`);
  if (runs.rows.length !== 1 || runs.rows[0].status === 'running' || outbox.rows[0].count > 0)
    throw new Error(
      `preload needs one finished run and an empty outbox in ${s}; found ${JSON.stringify(runs.rows)} and ${outbox.rows[0].count} outbox rows`,
    );
  return runs.rows[0].workflow_id;
}

/** A UUID v7 text from the copy's start (`ms`, 12 hex digits) and its hash's digits: ordered as the starts are. */
const UUID_V7_OF_START = `substr(ms, 1, 8) || '-' || substr(ms, 9, 4) || '-7' || substr(hash, 1, 3) || '-8' || substr(hash, 4, 3) || '-' || substr(hash, 7, 12)`;

/**
 * The copies of run n (1..$2), in n order: a UUID derived from the template's id and n (the same in both statements;
 * with $4, a UUID v7 of the copy's start, so that later copies sort after earlier ones),
 * a shift of its times that puts the oldest copy `$3` ms before the template and the newest just before it, and its
 * events' transaction id, (current - $2 + n) but at least 3 (the first normal one): below the current transaction's,
 * so every event written later sorts after them in the publication order.
 */
function copies(s: string): string {
  return `shifted AS MATERIALIZED (
  SELECT n, md5($1::text || ':' || n) AS hash,
    -($3::float8 * ($2::int - n + 1) / $2::int) * interval '1 millisecond' AS shift,
    greatest(3, pg_current_xact_id()::text::bigint - $2::int + n)::text::xid8 AS tx
  FROM generate_series(1, $2::int) AS n
), template_start AS MATERIALIZED (
  SELECT started_at FROM ${s}.instances WHERE workflow_id = $1
), copies AS MATERIALIZED (
  SELECT n, shift, tx, CASE WHEN $4::boolean THEN ${UUID_V7_OF_START} ELSE hash::uuid::text END AS workflow_id
  FROM shifted CROSS JOIN template_start
    CROSS JOIN LATERAL (SELECT lpad(to_hex((extract(epoch FROM started_at + shift) * 1000)::bigint), 12, '0') AS ms) t
)`;
}

// No ORDER BY: the nested loop over the copies (outer, in n order) and the template's rows already yields the copies
// in order, where a sort of a million rows would spill to disk.
function copiedRunsSql(s: string): string {
  return `WITH ${copies(s)}
INSERT INTO ${s}.instances (workflow_id, workflow_name, state, phase, status, version, sequence, cursor, completed_steps, error,
  compensation_error, cancel_reason, started_at, updated_at, completed_at, control)
SELECT c.workflow_id, t.workflow_name, replace(t.state::text, $1, c.workflow_id)::jsonb, t.phase, t.status, t.version, t.sequence,
  t.cursor, t.completed_steps, t.error, t.compensation_error, t.cancel_reason, t.started_at + c.shift, t.updated_at + c.shift,
  t.completed_at + c.shift, t.control
FROM copies c CROSS JOIN ${s}.instances t
WHERE t.workflow_id = $1`;
}

/** Each copy's events (new random event ids); only the events whose data names the run (its id) are re-parsed. */
function copiedEventsSql(s: string): string {
  return `WITH ${copies(s)}, template AS MATERIALIZED (
  SELECT e.*, e.data::text AS data_text, strpos(e.data::text, $1) > 0 AS names_run
  FROM ${s}.events e WHERE e.workflow_id = $1 ORDER BY e.sequence
)
INSERT INTO ${s}.events (workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at, tx, traceparent)
SELECT c.workflow_id, e.sequence, gen_random_uuid()::text, e.workflow_name, e.type, e.kind,
  CASE WHEN e.names_run THEN replace(e.data_text, $1, c.workflow_id)::jsonb ELSE e.data END, e.recorded_at + c.shift, c.tx, e.traceparent
FROM copies c CROSS JOIN template e`;
}

/** The namespace's publication cursor at the last event of the log (created if the template's publisher left none). */
function cursorAfterLastEventSql(s: string): string {
  return `INSERT INTO ${s}.event_publication (namespace, tx, position)
SELECT $1, tx, position FROM ${s}.events WHERE tx IS NOT NULL ORDER BY tx DESC, position DESC LIMIT 1
ON CONFLICT (namespace) DO UPDATE SET tx = EXCLUDED.tx, position = EXCLUDED.position, updated_at = now()`;
}
