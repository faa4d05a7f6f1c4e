import type { Pool } from 'pg';

/** How {@link PostgresWorkflowStore} reaches its database. Give `url` or `pool`. */
export interface PostgresStoreOptions {
  /** Connection string, e.g. `postgres://user@host:5432/db`. Used when no `pool` is given. */
  readonly url?: string;
  /** A pool the application owns; the store uses it but never ends it. */
  readonly pool?: Pool;
  /**
   * Schema of the store's tables, created by `migrate()`. An unquoted-style identifier
   * (`/^[a-z_][a-z0-9_]{0,62}$/`), so that several systems or tests share one database.
   * @default 'strategos'
   */
  readonly schema?: string;
  /**
   * Connections of the pool the store creates from `url`.
   * @default 10
   */
  readonly poolSize?: number;
  /**
   * How long an operation waits for a connection (a new one, or a free one of a busy pool) before it
   * rejects, so that an unreachable database fails operations instead of hanging them.
   * @default 10000
   */
  readonly connectionTimeoutMs?: number;
  /**
   * `application_name` of the connections the store creates from `url` (shown in `pg_stat_activity`).
   * @default 'strategos'
   */
  readonly applicationName?: string;
  /**
   * Whether a commit that ends a workflow sends a notice (`pg_notify` on the channel `<schema>_transitions`)
   * and `waitFor` listens for them on one dedicated connection, so that callers waiting in any process wake
   * at once. Turn it off behind a pooler that does not keep sessions (PgBouncer in transaction mode):
   * `waitFor` then relies on polling.
   * @default true
   */
  readonly notifications?: boolean;
}
