import { EVENT_COLUMNS } from './event-row';
import { INSTANCE_COLUMNS } from './instance-row';
import { planOnceArray } from './plan-once-parameter';
import { quoteSchema } from './schema-name';

const OUTBOX_COLUMNS = 'id, exchange, routing_key, message_id, type, headers, body, available_at, lease_until';

/** The SQL of the store's reads and outbox operations for one (validated) schema; values are parameters. */
export function storeQueries(schema: string) {
  const s = quoteSchema(schema);
  return {
    load: `SELECT ${INSTANCE_COLUMNS} FROM ${s}.instances WHERE workflow_id = $1`,
    loadMany: `SELECT ${INSTANCE_COLUMNS} FROM ${s}.instances WHERE workflow_id = ANY(${planOnceArray('$1', 'text')})`,
    // Guarded, HOT updates (no indexed column changes) that leave updated_at (when the step was issued) alone.
    // Inside a fork the cursor column is { fork: { paths: [{ cursor }] } }: the mark names the path by its index.
    // Typed arrays (unnest of $1..$5) rather than JSON: the planner sees a join on the primary key at any batch
    // size, also in a generic plan, which it keeps because the arrays are hidden from it (planOnceArray). The
    // set_config (local to the statement's own transaction) makes this commit asynchronous: no WAL flush is waited
    // for. That is safe because a mark is only a fence, never a result: the row is visible to other sessions at
    // once (so a second delivery still fails the guard), and a mark lost in a crash only lets the step run again,
    // as at-least-once delivery allows; the step's outcome is committed later by the synchronous, version-guarded
    // commit, which (WAL being ordered) also makes the mark before it durable.
    markStepsStarted: markStatement(
      s,
      `unnest(${planOnceArray('$1', 'text')}, ${planOnceArray('$2', 'int')}, ${planOnceArray('$3', 'text')}, ${planOnceArray('$4', 'text')}, ${planOnceArray('$5', 'int')}) AS m(workflow_id, expected_version, command_id, started_at, path_index)`,
    ),
    // One mark (the usual case below saturation): the same statement over scalar parameters, planned once per
    // connection. It came before planOnceArray, when PostgreSQL planned the array form anew at each execution (about
    // 0.15 ms of the server's CPU per mark). The array form is now planned once too, yet a single mark through it
    // still costs about 17% more of the server's CPU (0.20 against 0.17 ms; its five init plans, array input and
    // unnest), measured 2,000 marks at a time on one connection, so single marks keep this form.
    markStepStarted: markStatement(
      s,
      '(SELECT $1::text AS workflow_id, $2::int AS expected_version, $3::text AS command_id, $4::text AS started_at, $5::int AS path_index) AS m',
    ),
    history: `SELECT ${EVENT_COLUMNS} FROM ${s}.events WHERE workflow_id = $1 ORDER BY sequence`,
    // The step-timing events of the $2 latest completed runs of workflow $1: bounded by $2 runs, found
    // through instances_name_status_completed_idx, their events through the events primary key.
    stepTimings: `WITH runs AS (
  SELECT workflow_id FROM ${s}.instances WHERE workflow_name = $1 AND status = 'completed' ORDER BY completed_at DESC LIMIT $2
)
SELECT e.workflow_id, e.kind, CASE e.kind WHEN 'PhaseChanged' THEN e.data->>'to' ELSE e.data->>'step' END AS step, e.recorded_at
FROM runs JOIN ${s}.events e ON e.workflow_id = runs.workflow_id
WHERE e.kind IN ('PhaseChanged', 'StepCompleted')
ORDER BY e.workflow_id, e.sequence`,
    // SKIP LOCKED: concurrent relays claim disjoint rows; the lease keeps them off the claimed rows afterwards.
    // A lease ends at lease_until, or as soon as the session that took it is gone (its process crashed or was
    // killed: PostgreSQL ends the backend when the client's socket closes), so a crashed writer's messages are
    // published at the next sweep. lease_owner is the backend pid of that session (the column's default).
    claimDueOutbox: `WITH due AS (
  SELECT id, available_at FROM ${s}.outbox
  WHERE available_at <= now()
    AND (lease_until IS NULL OR lease_until <= now() OR lease_owner NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL))
  ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE ${s}.outbox o SET lease_until = now() + $2::double precision * interval '1 millisecond', lease_owner = pg_backend_pid()
  FROM due WHERE o.id = due.id
  RETURNING ${OUTBOX_COLUMNS.split(', ')
    .map((column) => `o.${column}`)
    .join(', ')}, due.available_at AS due_at
)
SELECT ${OUTBOX_COLUMNS} FROM claimed ORDER BY due_at, id`,
    deleteOutbox: `DELETE FROM ${s}.outbox WHERE id = ANY($1::text[])`,
    countOutbox: `SELECT count(*)::int AS count FROM ${s}.outbox`,
    pruneInbox: `DELETE FROM ${s}.inbox WHERE message_id IN (
  SELECT message_id FROM ${s}.inbox WHERE processed_at < now() - $1::double precision * interval '1 millisecond'
  LIMIT $2 FOR UPDATE SKIP LOCKED
)`,
    // Through instances_completed_at_idx; the events go in the same statement (their primary key leads with workflow_id).
    pruneFinishedRuns: `WITH doomed AS (
  SELECT workflow_id FROM ${s}.instances WHERE completed_at < now() - $1::double precision * interval '1 millisecond'
  ORDER BY completed_at LIMIT $2 FOR UPDATE SKIP LOCKED
), history AS (
  DELETE FROM ${s}.events e USING doomed d WHERE e.workflow_id = d.workflow_id
)
DELETE FROM ${s}.instances i USING doomed d WHERE i.workflow_id = d.workflow_id`,
  } as const;
}

/** The SQL texts returned by {@link storeQueries}. */
export type StoreQueries = ReturnType<typeof storeQueries>;

/**
 * The step-start mark (see `markStepsStarted` above) over the marks of `source`, a relation `m` of one row per mark.
 * The running status is checked inside the CASE, where no index can serve it: as a condition of its own, a generic
 * plan made while statistics counted few running instances (a quiet moment, or a store of mostly finished runs)
 * scanned every running instance through instances_status_started_idx at each mark (about 4,000 buffers and 10 ms
 * per mark with 100,000 finished and some thousand running runs, `npm run bench -- --preload 100000`).
 */
function markStatement(s: string, source: string): string {
  return `UPDATE ${s}.instances i SET version = i.version + 1, cursor = CASE WHEN m.path_index IS NULL
  THEN i.cursor || jsonb_build_object('startedAt', m.started_at)
  ELSE jsonb_set(i.cursor, ARRAY['fork', 'paths', m.path_index::text, 'cursor', 'startedAt'], to_jsonb(m.started_at)) END
FROM ${source},
  (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit
WHERE i.workflow_id = m.workflow_id AND i.version = m.expected_version
  AND CASE WHEN i.status <> 'running' THEN NULL WHEN m.path_index IS NULL THEN i.cursor->>'commandId'
    ELSE i.cursor #>> ARRAY['fork', 'paths', m.path_index::text, 'cursor', 'commandId'] END = m.command_id
RETURNING i.workflow_id`;
}
