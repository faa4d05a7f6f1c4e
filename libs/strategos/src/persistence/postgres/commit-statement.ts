import { INSTANCE_COLUMNS } from './instance-row';
import { quoteSchema } from './schema-name';

/**
 * The whole commit of a batch as ONE statement (one round trip, one implicit transaction), built from
 * data-modifying CTEs over the array parameters of `commitParameters`:
 *
 * 1. `seen`: writes whose inbox message is already recorded -> `duplicate`, nothing applied.
 * 2. `created` / `updated`: the version guard. `expectedVersion` 0 inserts the instance (`ON CONFLICT DO
 *    NOTHING`: it exists -> `duplicate`); otherwise `UPDATE ... WHERE version = expectedVersion` (no row ->
 *    `conflict`). A concurrent writer of the same row makes the UPDATE wait and re-check the version.
 * 3. `applied`: the writes that passed; only they record their inbox message (so a conflicting write leaves
 *    the message free for its redelivery), append their events and insert their outbox rows.
 *
 * All CTEs see the snapshot taken when the statement started, so a batch must not hold two writes for
 * one instance or one inbox message: `commitRounds` splits such batches. Only the validated schema is
 * interpolated; every value is a parameter.
 */
export function commitStatementSql(schema: string): string {
  const s = quoteSchema(schema);
  return `WITH w AS (
  SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::text[], $8::int[], $9::int[],
                       $10::jsonb[], $11::jsonb[], $12::jsonb[], $13::jsonb[], $14::text[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[])
    WITH ORDINALITY AS t(inbox_id, expected_version, workflow_id, workflow_name, state, phase, status, version, sequence,
                         cursor, completed_steps, error, compensation_error, cancel_reason, started_at, updated_at, completed_at, idx)
), seen AS (
  SELECT w.idx FROM w JOIN ${s}.inbox i ON i.message_id = w.inbox_id
), fresh AS (
  SELECT w.* FROM w WHERE NOT EXISTS (SELECT 1 FROM seen WHERE seen.idx = w.idx)
), created AS (
  INSERT INTO ${s}.instances (${INSTANCE_COLUMNS})
  SELECT ${INSTANCE_COLUMNS} FROM fresh WHERE expected_version = 0
  ON CONFLICT (workflow_id) DO NOTHING
  RETURNING workflow_id
), updated AS (
  UPDATE ${s}.instances i SET workflow_name = f.workflow_name, state = f.state, phase = f.phase, status = f.status,
    version = f.version, sequence = f.sequence, cursor = f.cursor, completed_steps = f.completed_steps, error = f.error,
    compensation_error = f.compensation_error, cancel_reason = f.cancel_reason, started_at = f.started_at,
    updated_at = f.updated_at, completed_at = f.completed_at
  FROM fresh f
  WHERE f.expected_version <> 0 AND i.workflow_id = f.workflow_id AND i.version = f.expected_version
  RETURNING f.idx
), applied AS (
  SELECT f.idx, f.inbox_id FROM fresh f JOIN created c ON c.workflow_id = f.workflow_id WHERE f.expected_version = 0
  UNION ALL
  SELECT f.idx, f.inbox_id FROM fresh f JOIN updated u ON u.idx = f.idx
), inbox_rows AS (
  INSERT INTO ${s}.inbox (message_id) SELECT inbox_id FROM applied WHERE inbox_id IS NOT NULL
  ON CONFLICT DO NOTHING
), event_rows AS (
  INSERT INTO ${s}.events (workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at)
  SELECT e.workflow_id, e.sequence, e.event_id, e.workflow_name, e.type, e.kind, e.data, e.recorded_at
  FROM unnest($18::int[], $19::text[], $20::int[], $21::text[], $22::text[], $23::text[], $24::text[], $25::jsonb[], $26::timestamptz[])
    AS e(write_idx, workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at)
  JOIN applied a ON a.idx = e.write_idx
), outbox_rows AS (
  INSERT INTO ${s}.outbox (id, exchange, routing_key, message_id, type, headers, body, available_at)
  SELECT o.id, o.exchange, o.routing_key, o.message_id, o.type, o.headers, o.body, o.available_at
  FROM unnest($27::int[], $28::text[], $29::text[], $30::text[], $31::text[], $32::text[], $33::jsonb[], $34::jsonb[], $35::timestamptz[])
    AS o(write_idx, id, exchange, routing_key, message_id, type, headers, body, available_at)
  JOIN applied a ON a.idx = o.write_idx
)
SELECT CASE
  WHEN seen.idx IS NOT NULL THEN 'duplicate'
  WHEN a.idx IS NOT NULL THEN 'committed'
  WHEN w.expected_version = 0 THEN 'duplicate'
  ELSE 'conflict'
END AS result
FROM w LEFT JOIN seen ON seen.idx = w.idx LEFT JOIN applied a ON a.idx = w.idx
ORDER BY w.idx`;
}
