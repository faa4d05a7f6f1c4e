import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { Client } from 'pg';
import { StrategosHeader } from '../src/messages/outbox-message';
import { buildTopology, topologyNames } from '../src/messages/topology';
import { resolveSettings } from '../src/nest/resolve-settings';
import { EventLogPublisher } from '../src/persistence/event-log-publisher';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import type { TransitionWrite } from '../src/persistence/workflow-store.interface';
import type { WorkflowEvent } from '../src/engine/workflow-event';
import type { WorkflowInstance } from '../src/engine/workflow-instance';
import { RabbitMqTransport } from '../src/transport/rabbitmq/rabbitmq-transport';
import { postgresUrl, rabbitmqUrl, uniqueName } from './support/services';
import { eventually } from './support/transport.contract';
import { advanceWrite, createWrite } from './support/workflow-store.contract';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** One event message as a subscriber of the events exchange received it. */
interface Received {
  readonly routingKey: string;
  readonly messageId: unknown;
  readonly type: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly body: string;
  readonly event: WorkflowEvent;
}

/**
 * The event-log publisher on the real PostgreSQL and RabbitMQ: events committed by the store (with no outbox row)
 * are published from the `events` table in batches, per workflow in sequence order, without passing over a
 * transaction that commits after a later one, and a standby takes over when the leader's session ends.
 */
describe('EventLogPublisher', () => {
  const schema = uniqueName('evlog');
  const namespace = uniqueName('evlog').replace(/_/g, '-');
  const settings = resolveSettings({ namespace, outbox: { relayIntervalMs: 50 }, events: { batchSize: 7, pollIntervalMs: 60_000 } });
  const stores: PostgresWorkflowStore[] = [];
  const publishers: EventLogPublisher[] = [];
  let url: string;
  let transport: RabbitMqTransport;
  let admin: Client;
  let connection: ChannelModel;
  let channel: Channel;
  const received: Received[] = [];

  function newStore(applicationName = `evlog-${stores.length}`): PostgresWorkflowStore {
    const store = new PostgresWorkflowStore({ url, schema, poolSize: 2, applicationName });
    stores.push(store);
    return store;
  }

  function newPublisher(store: PostgresWorkflowStore): EventLogPublisher {
    const publisher = new EventLogPublisher(store.eventLog, transport, settings);
    publishers.push(publisher);
    return publisher;
  }

  beforeAll(async () => {
    url = await postgresUrl();
    admin = new Client({ connectionString: url });
    await admin.connect();
    await newStore().migrate();
    transport = new RabbitMqTransport({ url: await rabbitmqUrl() });
    await transport.connect(buildTopology(namespace, 'quorum', []));
    connection = await connect(await rabbitmqUrl());
    channel = await connection.createChannel();
    await channel.prefetch(1);
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, topologyNames(namespace).eventsExchange, '#');
    await channel.consume(queue, (message: ConsumeMessage | null) => {
      if (!message) return;
      const body = message.content.toString('utf8');
      received.push({
        routingKey: message.fields.routingKey,
        messageId: message.properties.messageId,
        type: message.properties.type,
        headers: message.properties.headers ?? {},
        body,
        event: (JSON.parse(body) as { data: WorkflowEvent }).data,
      });
      channel.ack(message);
    });
  });

  // One leader per namespace: each test's publishers give up the lead when it ends.
  afterEach(async () => {
    for (const publisher of publishers.splice(0)) await publisher.stop();
  });

  afterAll(async () => {
    for (const store of stores) await store.close();
    await transport?.close();
    if (connection) {
      const cleanup = await connection.createChannel();
      await cleanup.deleteExchange(topologyNames(namespace).eventsExchange);
      await cleanup.deleteExchange(topologyNames(namespace).deadLetterExchange);
      await connection.close();
    }
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  /** Commits `count` transitions of each of `runs` new workflows, each transition in its own commit. */
  async function commitRuns(store: PostgresWorkflowStore, runs: number, count: number): Promise<WorkflowEvent[]> {
    const events: WorkflowEvent[] = [];
    const instances: WorkflowInstance[] = [];
    const creates = Array.from({ length: runs }, () => traced(createWrite()));
    expect(await store.commit(creates)).toEqual(creates.map(() => 'committed'));
    for (const write of creates) {
      instances.push(write.transition.instance);
      events.push(...write.transition.events);
    }
    for (let round = 1; round < count; round++) {
      const advances = instances.map((instance) => traced(advanceWrite(instance)));
      expect(await store.commit(advances)).toEqual(advances.map(() => 'committed'));
      advances.forEach((write, index) => (instances[index] = write.transition.instance));
      events.push(...advances.flatMap((write) => write.transition.events));
    }
    return events;
  }

  function traced(write: TransitionWrite): TransitionWrite {
    return { ...write, transition: { ...write.transition, traceparent: TRACEPARENT }, outbox: [] };
  }

  /** Per workflow, the sequences of the first arrival of each event, in arrival order. */
  function firstArrivals(of: readonly WorkflowEvent[]): Map<string, number[]> {
    const ids = new Set(of.map((event) => event.eventId));
    const seen = new Set<string>();
    const byWorkflow = new Map<string, number[]>();
    for (const { event } of received) {
      if (!ids.has(event.eventId) || seen.has(event.eventId)) continue;
      seen.add(event.eventId);
      byWorkflow.set(event.workflowId, [...(byWorkflow.get(event.workflowId) ?? []), event.sequence]);
    }
    return byWorkflow;
  }

  function expectEveryEventInSequenceOrder(events: readonly WorkflowEvent[]): void {
    const expected = new Map<string, number[]>();
    for (const event of events) expected.set(event.workflowId, [...(expected.get(event.workflowId) ?? []), event.sequence]);
    const arrived = firstArrivals(events);
    for (const [workflowId, sequences] of expected) expect(arrived.get(workflowId)).toEqual([...sequences].sort((a, b) => a - b));
  }

  const arrivedCount = (events: readonly WorkflowEvent[]): number => {
    const ids = new Set(events.map((event) => event.eventId));
    return new Set(received.filter(({ event }) => ids.has(event.eventId)).map(({ event }) => event.eventId)).size;
  };

  it('publishes every committed event once, in batches, per workflow in sequence order, as the documented message', async () => {
    const store = newStore();
    const publisher = newPublisher(store);
    const events = await commitRuns(store, 6, 4);
    expect(events.length).toBeGreaterThan(3 * settings.eventBatchSize);
    await publisher.publishPending();
    await eventually(() => arrivedCount(events) === events.length, 10_000, 'every event');
    expectEveryEventInSequenceOrder(events);
    const mine = received.filter(({ event }) => events.some((e) => e.eventId === event.eventId));
    expect(mine).toHaveLength(events.length);
    for (const message of mine) {
      const event = events.find((e) => e.eventId === message.event.eventId)!;
      expect(message.routingKey).toBe(`${event.workflowName}.${event.kind}`);
      expect(message.messageId).toBe(event.eventId);
      expect(message.type).toBe(event.type);
      expect(message.headers).toMatchObject({
        [StrategosHeader.WorkflowId]: event.workflowId,
        [StrategosHeader.Workflow]: event.workflowName,
        [StrategosHeader.Sequence]: event.sequence,
        [StrategosHeader.TraceParent]: TRACEPARENT,
      });
      expect(JSON.parse(message.body)).toEqual({ pattern: message.routingKey, data: event });
    }
    // Byte for byte the packet of the recorded event (what the relay publishes from an outbox row: `data` in jsonb's key order).
    const recorded = await store.history(events[0].workflowId);
    for (const event of recorded) {
      const message = mine.find((candidate) => candidate.event.eventId === event.eventId)!;
      expect(message.body).toBe(JSON.stringify({ pattern: message.routingKey, data: event }));
    }
    // The outbox holds no row for them.
    const { rows } = await admin.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${schema}".outbox`);
    expect(rows[0].count).toBe(0);
  });

  it('moves the cursor without waiting for the WAL flush (a lost move only republishes); the server default stays on', async () => {
    const store = newStore();
    const publisher = newPublisher(store);
    const events = await commitRuns(store, 1, 2);
    await publisher.publishPending();
    await eventually(() => arrivedCount(events) === events.length, 10_000, 'every event');
    const leaderSession = (store.eventLog as unknown as { client: Client }).client;
    const setting = async (client: Client) =>
      (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0].synchronous_commit;
    expect(await setting(leaderSession)).toBe('off');
    expect(await setting(admin)).toBe('on');
  });

  it('with events.kinds [] publishes nothing and keeps the cursor at the end of the log, so enabling kinds later starts there', async () => {
    const store = newStore();
    const silent = new EventLogPublisher(
      store.eventLog,
      transport,
      resolveSettings({ namespace, events: { kinds: [], pollIntervalMs: 60_000 } }),
    );
    publishers.push(silent);
    const skipped = await commitRuns(store, 2, 2);
    await silent.publishPending();
    const { rows } = await admin.query<{ tx: string; position: string }>(
      `SELECT tx::text, position::text FROM "${schema}".event_publication WHERE namespace = $1`,
      [namespace],
    );
    const last = await admin.query<{ tx: string; position: string }>(
      `SELECT tx::text, position::text FROM "${schema}".events WHERE tx IS NOT NULL ORDER BY tx DESC, position DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual(last.rows[0]);
    await silent.stop();

    const later = await commitRuns(store, 1, 1);
    const publishing = newPublisher(store);
    await publishing.publishPending();
    await eventually(() => arrivedCount(later) === later.length, 10_000, 'the events after the switch');
    expect(arrivedCount(skipped)).toBe(0);
  });

  it('does not pass over a transaction that commits after a transaction with a larger id', async () => {
    const store = newStore();
    const publisher = newPublisher(store);
    await publisher.publishPending();
    // An open transaction inserts an event first (it gets the smaller transaction id) and commits last.
    const early = new Client({ connectionString: url });
    await early.connect();
    const late = traced(createWrite());
    const earlyEvent = { ...late.transition.events[0], eventId: crypto.randomUUID(), workflowId: crypto.randomUUID() };
    try {
      await early.query('BEGIN');
      await early.query(
        `INSERT INTO "${schema}".events (workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at)
         VALUES ($1, 1, $2, $3, $4, $5, $6, $7)`,
        [
          earlyEvent.workflowId,
          earlyEvent.eventId,
          earlyEvent.workflowName,
          earlyEvent.type,
          earlyEvent.kind,
          earlyEvent.data,
          earlyEvent.timestamp,
        ],
      );
      expect(await store.commit([late])).toEqual(['committed']);
      await publisher.publishPending();
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The later transaction committed, but the earlier one may still add rows before it: nothing is published yet.
      expect(arrivedCount(late.transition.events)).toBe(0);
      await early.query('COMMIT');
    } finally {
      await early.end();
    }
    await publisher.publishPending();
    await eventually(() => arrivedCount([earlyEvent, ...late.transition.events]) === 3, 10_000, 'both transactions');
    const order = received.map(({ event }) => event.eventId);
    expect(order.indexOf(earlyEvent.eventId)).toBeLessThan(order.indexOf(late.transition.events[0].eventId));
  });

  it('leaves alone the events written before the migration (no transaction id: the outbox published them)', async () => {
    const store = newStore();
    const publisher = newPublisher(store);
    const old = traced(createWrite()).transition.events[0];
    await admin.query(
      `INSERT INTO "${schema}".events (workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at, tx, position)
       VALUES ($1, 1, $2, $3, $4, $5, $6, $7, NULL, NULL)`,
      [old.workflowId, old.eventId, old.workflowName, old.type, old.kind, old.data, old.timestamp],
    );
    const events = await commitRuns(store, 1, 1);
    await publisher.publishPending();
    await eventually(() => arrivedCount(events) === events.length, 10_000, 'the new events');
    expect(arrivedCount([old])).toBe(0);
  });

  it('has a standby take over, from the cursor, when the leader session ends', async () => {
    const leaderStore = newStore('evlog-leader');
    const standbyStore = newStore('evlog-standby');
    const leader = newPublisher(leaderStore);
    const standby = newPublisher(standbyStore);
    const before = await commitRuns(leaderStore, 3, 3);
    await leader.publishPending();
    await standby.publishPending();
    await eventually(() => arrivedCount(before) === before.length, 10_000, 'the first events');
    const countBefore = received.length;

    // The leader's session ends (as when its process is killed): the lock it held is released.
    await admin.query(
      `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND a.application_name = 'evlog-leader'`,
    );
    const after = await commitRuns(standbyStore, 3, 3);
    await standby.publishPending();
    await eventually(() => arrivedCount(after) === after.length, 10_000, 'the events after the takeover');
    expectEveryEventInSequenceOrder(after);
    // The standby started from the leader's cursor: nothing published before was published again.
    expect(received.length - countBefore).toBe(after.length);
    // The old leader, back, stands by.
    await leader.publishPending();
    const { rows } = await admin.query<{ application_name: string }>(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND a.application_name LIKE 'evlog-%' AND l.granted`,
    );
    expect(rows.map((row) => row.application_name)).toEqual(['evlog-standby']);
  });
});
