import type { Migration } from './migration.interface';
import { quoteSchema } from './schema-name';

/** The store's schema history, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'instances, events, inbox, outbox',
    sql: (schema) => {
      const s = quoteSchema(schema);
      return `
        CREATE TABLE ${s}.instances (
          workflow_id text PRIMARY KEY,
          workflow_name text NOT NULL,
          state jsonb NOT NULL,
          phase text NOT NULL,
          status text NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'compensated', 'cancelled')),
          version integer NOT NULL,
          sequence integer NOT NULL,
          cursor jsonb,
          completed_steps jsonb NOT NULL,
          error jsonb,
          compensation_error jsonb,
          cancel_reason text,
          started_at timestamptz NOT NULL,
          updated_at timestamptz NOT NULL,
          completed_at timestamptz
        ) WITH (fillfactor = 70);
        CREATE INDEX instances_name_status_idx ON ${s}.instances (workflow_name, status);

        CREATE TABLE ${s}.events (
          workflow_id text NOT NULL,
          sequence integer NOT NULL,
          event_id text NOT NULL UNIQUE,
          workflow_name text NOT NULL,
          type text NOT NULL,
          kind text NOT NULL,
          data jsonb NOT NULL,
          recorded_at timestamptz NOT NULL,
          PRIMARY KEY (workflow_id, sequence)
        );

        CREATE TABLE ${s}.inbox (
          message_id text PRIMARY KEY,
          processed_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX inbox_processed_at_idx ON ${s}.inbox (processed_at);

        CREATE TABLE ${s}.outbox (
          id text PRIMARY KEY,
          exchange text NOT NULL,
          routing_key text NOT NULL,
          message_id text NOT NULL,
          type text NOT NULL,
          headers jsonb NOT NULL,
          body jsonb NOT NULL,
          available_at timestamptz NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX outbox_available_at_idx ON ${s}.outbox (available_at);
      `;
    },
  },
  {
    version: 2,
    name: 'listing and step-duration indexes',
    sql: (schema) => {
      const s = quoteSchema(schema);
      // Listing pages by (started_at, workflow_id) in code point order (keyset paging, any filter).
      // (workflow_name, status, completed_at) replaces (workflow_name, status): it serves the same lookups and
      // also "the latest completed runs of a workflow" (step-duration statistics) without a sort. No index has
      // a column that every step changes (updated_at, version, phase, state), so a step's update of its
      // instance is a HOT update (with the table's fillfactor): no index entry is rewritten on the hot path.
      return `
        CREATE INDEX instances_started_idx ON ${s}.instances (started_at, workflow_id COLLATE "C");
        CREATE INDEX instances_name_status_completed_idx ON ${s}.instances (workflow_name, status, completed_at);
        DROP INDEX ${s}.instances_name_status_idx;
      `;
    },
  },
  {
    version: 3,
    name: 'outbox leases apart from due times, tied to the leasing session; retention index',
    sql: (schema) => {
      const s = quoteSchema(schema);
      // available_at is when a row is due; lease_until/lease_owner say who publishes it meanwhile (see
      // claimDueOutbox). Rows written before this migration carry their lease in available_at, as before.
      return `
        ALTER TABLE ${s}.outbox ADD COLUMN lease_until timestamptz, ADD COLUMN lease_owner integer DEFAULT pg_backend_pid();
        CREATE INDEX instances_completed_at_idx ON ${s}.instances (completed_at) WHERE completed_at IS NOT NULL;
      `;
    },
  },
  {
    version: 4,
    name: 'dashboard list-filter indexes',
    sql: (schema) => {
      const s = quoteSchema(schema);
      // One index per list filter of the dashboard, each ending in the listing order so that a filtered page is
      // read in order (no sort) and keyset paging stays an index range. A phase that is a step is listed through
      // status = 'running' (the dashboard adds it), so phase itself, which every step changes, gets no index and
      // step updates stay HOT. Status changes once per run (to its end), like the existing status index.
      return `
        CREATE INDEX instances_name_started_idx ON ${s}.instances (workflow_name, started_at, workflow_id COLLATE "C");
        CREATE INDEX instances_status_started_idx ON ${s}.instances (status, started_at, workflow_id COLLATE "C");
        CREATE INDEX instances_id_prefix_idx ON ${s}.instances (workflow_id COLLATE "C");
      `;
    },
  },
  {
    // Issue 12 (signals, timers, deadlines). Numbered apart from the other branches' migrations; versions need
    // not be contiguous (the migrator applies each missing one in order).
    version: 12,
    name: 'run control: stored signals, received signal ids, deadline',
    sql: (schema) => {
      const s = quoteSchema(schema);
      // Nullable and without a default: adding it rewrites no row. Timers need no table of their own: a timer is
      // an outbox row whose available_at is its due time (outbox_available_at_idx), claimed by one relay.
      return `ALTER TABLE ${s}.instances ADD COLUMN control jsonb;`;
    },
  },
  {
    // Issue 14 (events published from the event log, not the outbox). Numbered apart from the other branches'.
    version: 141,
    name: 'event log publication order: transaction id and position; publication cursor',
    sql: (schema) => {
      const s = quoteSchema(schema);
      // tx (the inserting transaction's id) and position order the log for EventLogPublisher: a row whose tx is below
      // the oldest running transaction can no longer be preceded by a row committed later. The columns are added
      // without defaults (no rewrite) and get them afterwards, so rows written before this migration keep tx NULL:
      // they were published through the outbox, and the publisher never reads them. traceparent is the trace
      // context of the transition, the event message's header.
      return `
        CREATE SEQUENCE ${s}.events_position_seq AS bigint;
        ALTER TABLE ${s}.events ADD COLUMN tx xid8, ADD COLUMN position bigint, ADD COLUMN traceparent text;
        ALTER TABLE ${s}.events ALTER COLUMN tx SET DEFAULT pg_current_xact_id(),
          ALTER COLUMN position SET DEFAULT nextval('${s}.events_position_seq');
        ALTER SEQUENCE ${s}.events_position_seq OWNED BY ${s}.events.position;
        CREATE INDEX events_publication_idx ON ${s}.events (tx, position) WHERE tx IS NOT NULL;
        CREATE TABLE ${s}.event_publication (
          namespace text PRIMARY KEY,
          tx xid8 NOT NULL,
          position bigint NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        );
      `;
    },
  },
  {
    // Issue 14 (PostgreSQL's share of a step). Numbered apart from the other branches' migrations.
    version: 145,
    name: 'no unique index on event ids',
    sql: (schema) => {
      const s = quoteSchema(schema);
      // Every step inserted 2.4 entries into events_event_id_key (about 6% of a step's WAL), which nothing reads: an
      // event id is generated (sortable, random) and never looked up, and a run's events stay unique through the
      // primary key (workflow_id, sequence).
      return `ALTER TABLE ${s}.events DROP CONSTRAINT events_event_id_key;`;
    },
  },
];
