import { Client } from 'pg';
import { toOutboxRows } from '../src/messages/message-codec';
import { SortableIdGenerator } from '../src/persistence/sortable-id';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import type { TransitionWrite } from '../src/persistence/workflow-store.interface';
import { postgresUrl, uniqueName } from './support/services';
import { advanceWrite, createWrite } from './support/workflow-store.contract';

/**
 * The PostgreSQL store's events are published from the event log (`EventLogPublisher`, see
 * `event-log-publisher.e2e-spec.ts`), so the runtime gives its commit no outbox row for them. Rows a caller does
 * give it, events' included, are stored exactly as the writer would publish them, so that the relay publishes the
 * same message.
 */
describe('outbox rows of events', () => {
  const schema = uniqueName('evbody');
  const ids = new SortableIdGenerator();
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

  /** `write` with the outbox rows the writer builds for its transition (commands and events). */
  function withWriterOutbox(write: TransitionWrite): TransitionWrite {
    const { transition } = write;
    const rows = toOutboxRows(
      'evns',
      'evns.events',
      { ...transition, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      new Date(),
      30_000,
      () => ids.next(),
    );
    return { ...write, outbox: [...rows.publishNow, ...rows.delayed] };
  }

  it('stores every outbox row with the body, headers, id and type the writer publishes', async () => {
    const create = withWriterOutbox(createWrite());
    const advance = withWriterOutbox(advanceWrite(create.transition.instance));
    expect(await store.commit([create])).toEqual(['committed']);
    expect(await store.commit([advance])).toEqual(['committed']);
    const written = [...create.outbox, ...advance.outbox];
    expect(written.filter((row) => row.exchange === 'evns.events').length).toBeGreaterThanOrEqual(3);

    const { rows } = await admin.query<{
      id: string;
      exchange: string;
      routing_key: string;
      message_id: string;
      type: string;
      headers: object;
      body: object;
      available_at: Date;
    }>(`SELECT id, exchange, routing_key, message_id, type, headers, body, available_at FROM "${schema}".outbox ORDER BY id`);
    const expected = written
      .map((row) => ({
        id: row.id,
        exchange: row.exchange,
        routing_key: row.routingKey,
        message_id: row.messageId,
        type: row.type,
        headers: row.headers,
        // As published: through JSON, as the relay reads it back.
        body: JSON.parse(JSON.stringify(row.body)) as object,
        available_at: new Date(row.availableAt),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(rows).toEqual(expected);
  });

  it('applies nothing of a write that conflicts, event rows included', async () => {
    const create = withWriterOutbox(createWrite());
    expect(await store.commit([create])).toEqual(['committed']);
    const stale = withWriterOutbox(advanceWrite(create.transition.instance, undefined, create.transition.instance.version + 5));
    expect(await store.commit([stale])).toEqual(['conflict']);
    const { rows } = await admin.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${schema}".outbox WHERE id = ANY($1::text[])`,
      [stale.outbox.map((row) => row.id)],
    );
    expect(rows[0].count).toBe(0);
  });
});
