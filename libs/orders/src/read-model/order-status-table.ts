import { InvalidReadModelOptionsError } from './invalid-read-model-options.error';

/** A schema name that may be interpolated into SQL: a plain lower-case identifier. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The SQL of the `<schema>.order_status` table. Only the validated schema is interpolated; values are parameters. */
export interface OrderStatusStatements {
  /** Creates the schema and the table when missing. */
  readonly createTable: string;
  /**
   * Upserts a row: `$1` workflow id, `$2` order id, `$3` phase, `$4` status, `$5` sequence, `$6` event time.
   * Phase, status, sequence and time change only for a newer sequence, so a redelivered or late event changes
   * nothing; the order id (the run's input, never changing) is filled in whenever it was still unknown.
   * A row comes back only when something was written.
   */
  readonly upsert: string;
  /** The row of `$1`. */
  readonly find: string;
}

/**
 * The statements of the table in `schema`.
 * @throws InvalidReadModelOptionsError `INVALID_READ_MODEL_OPTIONS` naming `schema`.
 */
export function orderStatusStatements(schema: string): OrderStatusStatements {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidReadModelOptionsError(
      'schema',
      `${JSON.stringify(schema)} is not a valid schema name; use 1 to 63 lower-case letters, digits and _, starting with a letter or _`,
    );
  }
  const table = `"${schema}".order_status`;
  const newer = 'existing.last_sequence < EXCLUDED.last_sequence';
  return {
    createTable: `CREATE SCHEMA IF NOT EXISTS "${schema}";
CREATE TABLE IF NOT EXISTS ${table} (
  workflow_id text PRIMARY KEY,
  order_id text,
  phase text NOT NULL,
  status text NOT NULL,
  last_sequence integer NOT NULL,
  updated_at timestamptz NOT NULL
)`,
    upsert: `INSERT INTO ${table} AS existing (workflow_id, order_id, phase, status, last_sequence, updated_at)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (workflow_id) DO UPDATE SET
  order_id = COALESCE(existing.order_id, EXCLUDED.order_id),
  phase = CASE WHEN ${newer} THEN EXCLUDED.phase ELSE existing.phase END,
  status = CASE WHEN ${newer} THEN EXCLUDED.status ELSE existing.status END,
  updated_at = CASE WHEN ${newer} THEN EXCLUDED.updated_at ELSE existing.updated_at END,
  last_sequence = GREATEST(existing.last_sequence, EXCLUDED.last_sequence)
WHERE ${newer} OR (existing.order_id IS NULL AND EXCLUDED.order_id IS NOT NULL)
RETURNING workflow_id`,
    find: `SELECT workflow_id, order_id, phase, status, last_sequence, updated_at FROM ${table} WHERE workflow_id = $1`,
  };
}
