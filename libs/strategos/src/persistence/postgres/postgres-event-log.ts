import { Logger } from '@nestjs/common';
import type { Client, QueryResultRow } from 'pg';
import type { EventLog, EventLogPosition, Leadership, LoggedEvent } from '../event-log.interface';
import { advisoryLockKey } from './advisory-lock-key';
import type { EventRow } from './event-row';
import { quoteSchema } from './schema-name';
import { statementName } from './statement-name';

/** A logged event row with its publication position. */
interface LoggedEventRow extends Omit<EventRow, 'recorded_at'> {
  readonly recorded_at: string;
  readonly traceparent: string | null;
  readonly tx: string;
  readonly position: string;
}

/** The SQL of the event log's publication for one (validated) schema; values are parameters. */
export function eventLogQueries(schema: string) {
  const s = quoteSchema(schema);
  return {
    // Only transactions below the oldest one still running: every row they wrote is committed (and visible to this
    // statement's snapshot) or gone, and no later commit can add a row before the cursor. Through events_publication_idx.
    // ORDER BY names the columns, not the text aliases of the output (which would sort as text).
    // recorded_at as the ISO-8601 text of JavaScript's toISOString (the event's `timestamp`), rather than a Date to format.
    readAfter: `SELECT workflow_id, sequence, event_id, workflow_name, type, kind, data, traceparent,
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at, e.tx::text AS tx, e.position::text AS position
FROM ${s}.events e
WHERE e.tx IS NOT NULL AND (e.tx, e.position) > ($1::xid8, $2::bigint) AND e.tx < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY e.tx, e.position LIMIT $3`,
    // The first leader of a namespace starts at the beginning of the log (rows of older versions have tx NULL).
    cursor: `WITH created AS (
  INSERT INTO ${s}.event_publication (namespace, tx, position) VALUES ($1, '0', 0) ON CONFLICT (namespace) DO NOTHING
  RETURNING tx, position
)
SELECT tx::text AS tx, position::text AS position FROM created
UNION ALL
SELECT tx::text, position::text FROM ${s}.event_publication WHERE namespace = $1`,
    advance: `UPDATE ${s}.event_publication SET tx = $2::xid8, position = $3::bigint, updated_at = now()
WHERE namespace = $1 AND (tx, position) < ($2::xid8, $3::bigint)`,
    // The last event of an ended transaction, found from the end of events_publication_idx.
    skipToEnd: `UPDATE ${s}.event_publication p SET tx = e.tx, position = e.position, updated_at = now()
FROM (
  SELECT tx, position FROM ${s}.events
  WHERE tx IS NOT NULL AND tx < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY tx DESC, position DESC LIMIT 1
) e
WHERE p.namespace = $1 AND (p.tx, p.position) < (e.tx, e.position)`,
    lead: 'SELECT pg_try_advisory_lock($1::bigint) AS locked',
  } as const;
}

type EventLogQueries = ReturnType<typeof eventLogQueries>;

/**
 * The PostgreSQL event log as a message source (see {@link EventLog}). Events are ordered by the id of the
 * transaction that inserted them (`tx`, a column default), then by `position` (a sequence). The leader holds a
 * session advisory lock on a dedicated connection and runs every query there: when that session ends (the
 * process died, the network or the server went away), the lock is released and another process leads, and this
 * one learns it lost the lead from its failing query.
 */
export class PostgresEventLog implements EventLog {
  private readonly logger = new Logger(PostgresEventLog.name);
  private readonly queries: EventLogQueries;
  private readonly names: Readonly<Record<keyof EventLogQueries, string>>;
  private session: Promise<Client> | undefined;
  /** The client of `session` once it connected. */
  private client: Client | undefined;
  private leading = false;

  constructor(
    private readonly schema: string,
    private readonly connect: () => Client,
  ) {
    this.queries = eventLogQueries(schema);
    this.names = Object.fromEntries(
      Object.entries(this.queries).map(([key, text]) => [key, statementName(`eventLog_${key}`, text)]),
    ) as Record<keyof EventLogQueries, string>;
  }

  async lead(namespace: string): Promise<Leadership> {
    if (this.leading && this.session) return 'held';
    // Tried only while not leading: the lock is re-entrant, a second success would stack a second hold.
    const { rows } = await this.run<{ locked: boolean }>('lead', [advisoryLockKey(`strategos:events:${this.schema}:${namespace}`)]);
    this.leading = rows[0]?.locked === true;
    return this.leading ? 'acquired' : 'standby';
  }

  async cursor(namespace: string): Promise<EventLogPosition> {
    const { rows } = await this.run<{ tx: string; position: string }>('cursor', [namespace]);
    return { tx: rows[0].tx, position: rows[0].position };
  }

  async readAfter(after: EventLogPosition, limit: number): Promise<LoggedEvent[]> {
    const { rows } = await this.run<LoggedEventRow>('readAfter', [after.tx, after.position, Math.max(1, Math.floor(limit))]);
    return rows.map((row) => ({
      event: {
        eventId: row.event_id,
        type: row.type,
        kind: row.kind,
        workflowId: row.workflow_id,
        workflowName: row.workflow_name,
        sequence: row.sequence,
        timestamp: row.recorded_at,
        data: row.data,
      },
      traceparent: row.traceparent,
      at: { tx: row.tx, position: row.position },
    }));
  }

  async advance(namespace: string, to: EventLogPosition): Promise<void> {
    await this.run('advance', [namespace, to.tx, to.position]);
  }

  async skipToEnd(namespace: string): Promise<void> {
    await this.run('skipToEnd', [namespace]);
  }

  async resign(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    this.client = undefined;
    this.leading = false;
    if (session) await session.then((client) => client.end()).catch(() => undefined);
  }

  /** Runs a query on the leader's session; a failure ends the session (and with it the lead, if held). */
  private async run<R extends QueryResultRow>(query: keyof EventLogQueries, values: unknown[]): Promise<{ rows: R[] }> {
    try {
      const client = await this.openSession();
      return await client.query<R>({ name: this.names[query], text: this.queries[query], values });
    } catch (error) {
      await this.resign();
      throw error;
    }
  }

  private openSession(): Promise<Client> {
    this.session ??= this.newSession();
    return this.session;
  }

  private async newSession(): Promise<Client> {
    const client = this.connect();
    // An idle session's connection dies (server restart, terminated backend): forget it, and with it the lead.
    client.on('error', (error: Error) => {
      if (this.client !== client) return;
      this.logger.warn({ message: 'Event log session lost', schema: this.schema, error: error.message });
      void this.resign();
    });
    await client.connect();
    // The session only moves the publication cursor: a move lost in a crash republishes a batch (delivery is at
    // least once), so its commits need not wait for the WAL flush.
    await client.query('SET synchronous_commit = off');
    this.client = client;
    return client;
  }
}
