import { COMMIT_RECORD_TYPES } from './commit-parameters';
import { INSTANCE_COLUMNS } from './instance-row';
import { planOnceArray } from './plan-once-parameter';
import { quoteSchema } from './schema-name';

/**
 * The whole commit of a batch as ONE statement (one round trip, one implicit transaction), built from
 * data-modifying CTEs over the parameters of `commitParameters` ($1 creates, $2 updates, $3 events,
 * $4 outbox rows, $5 inbox ids, $6 the notification channel or null, $7 the ids of the updated instances).
 * Events get no outbox row: `EventLogPublisher` publishes them from the event log:
 *
 * 1. `seen`: inbox messages already recorded; their writes are `duplicate` and apply nothing. Only fired timers
 *    carry an inbox id (step commands rely on the version guard below), so $5 is usually empty.
 * 2. `created` / `updated`: the version guard. A create inserts the instance `ON CONFLICT DO NOTHING` (it
 *    exists -> `duplicate`); an update runs `UPDATE ... WHERE version = expectedVersion` (no row ->
 *    `conflict`). A concurrent writer of the same row makes the UPDATE wait, then re-check the version.
 *    The UPDATE also filters on `workflow_id = ANY($7::text[])`: the planner cannot tell how many rows
 *    `json_to_recordset` yields (it assumes 100, and the statement is prepared, so the plan is generic),
 *    and would scan the whole table to hash-join them; a typed array of the ids is estimated as a few
 *    rows, so the instances are found through the primary key at any batch size. The arrays are hidden from
 *    the planner (`planOnceArray`), so the statement is planned once per connection, not at every execution.
 * 3. `applied`: the writes that passed; only they record their inbox message (so a conflicting write leaves
 *    the message free for its redelivery), append their events and insert their outbox rows.
 * 4. `notified`: when $6 names a channel, `pg_notify($6, workflow_id)` for each applied write that ends its
 *    instance (terminal status), delivered to listeners when the transaction commits (`waitFor` in other
 *    processes). Only terminal transitions: a waiter needs nothing else, and the queue stays small. An id
 *    too long for a notice's payload (8000 bytes) is not notified, rather than failing the commit: its
 *    waiters poll.
 *
 * All CTEs see the snapshot taken when the statement started, so a batch must not hold two writes for
 * one instance or one inbox message: `commitRounds` splits such batches. Only the validated schema is
 * interpolated; every value is a parameter.
 */
export function commitStatementSql(schema: string): string {
  const s = quoteSchema(schema);
  const assignments = INSTANCE_COLUMNS.split(', ')
    .filter((column) => column !== 'workflow_id')
    .map((column) => `${column} = u.${column}`)
    .join(', ');
  return `WITH c AS (
  SELECT * FROM json_to_recordset($1::json) AS c(idx int, inbox_id text, ${COMMIT_RECORD_TYPES.instance})
), u AS (
  SELECT * FROM json_to_recordset($2::json) AS u(idx int, inbox_id text, expected_version int, ${COMMIT_RECORD_TYPES.instance})
), seen AS (
  SELECT message_id FROM ${s}.inbox WHERE message_id = ANY(${planOnceArray('$5', 'text')})
), created AS (
  INSERT INTO ${s}.instances (${INSTANCE_COLUMNS})
  SELECT ${INSTANCE_COLUMNS} FROM c WHERE NOT EXISTS (SELECT 1 FROM seen WHERE seen.message_id = c.inbox_id)
  ON CONFLICT (workflow_id) DO NOTHING
  RETURNING workflow_id
), updated AS (
  UPDATE ${s}.instances i SET ${assignments}
  FROM u
  WHERE i.workflow_id = u.workflow_id AND i.version = u.expected_version AND i.workflow_id = ANY(${planOnceArray('$7', 'text')})
    AND NOT EXISTS (SELECT 1 FROM seen WHERE seen.message_id = u.inbox_id)
  RETURNING u.idx, u.inbox_id, u.workflow_id, u.status
), applied AS (
  SELECT c.idx, c.inbox_id, workflow_id, c.status FROM c JOIN created USING (workflow_id)
  UNION ALL
  SELECT idx, inbox_id, workflow_id, status FROM updated
), inbox_rows AS (
  INSERT INTO ${s}.inbox (message_id) SELECT inbox_id FROM applied WHERE inbox_id IS NOT NULL
  ON CONFLICT DO NOTHING
), applied_events AS (
  SELECT e.* FROM json_to_recordset($3::json) AS e(${COMMIT_RECORD_TYPES.event})
  JOIN applied a ON a.idx = e.w
), event_rows AS (
  INSERT INTO ${s}.events (workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at, traceparent)
  SELECT workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at::timestamptz, traceparent FROM applied_events
  -- Rows are inserted, and their position (the publication order within the transaction) drawn, in this order.
  ORDER BY w, sequence
), outbox_rows AS (
  INSERT INTO ${s}.outbox (id, exchange, routing_key, message_id, type, headers, body, available_at, lease_until)
  SELECT o.id, o.exchange, o.routing_key, o.message_id, o.type, o.headers, o.body, o.available_at, o.lease_until
  FROM json_to_recordset($4::json) AS o(${COMMIT_RECORD_TYPES.outbox})
  JOIN applied a ON a.idx = o.w
), notified AS (
  -- A volatile call in a sub-select is never optimised away; the CROSS JOIN below makes this CTE run.
  SELECT count(*) AS sent FROM (
    SELECT pg_notify($6::text, workflow_id) FROM applied
    WHERE $6::text IS NOT NULL AND status <> 'running' AND octet_length(workflow_id) < 8000
  ) AS notices
), writes AS (
  SELECT idx, inbox_id, true AS creates FROM c
  UNION ALL
  SELECT idx, inbox_id, false FROM u
)
SELECT CASE
  WHEN a.idx IS NOT NULL THEN 'committed'
  WHEN w.creates OR EXISTS (SELECT 1 FROM seen WHERE seen.message_id = w.inbox_id) THEN 'duplicate'
  ELSE 'conflict'
END AS result
FROM writes w LEFT JOIN applied a ON a.idx = w.idx CROSS JOIN notified
ORDER BY w.idx`;
}
