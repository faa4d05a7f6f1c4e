import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { initialOrderState, ORDER_SERVICES, ORDER_STEPS, processOrder, StartProcessOrderCommand } from '@app/orders';
import { DeadLetters, StrategosRuntime, topologyNames, type DeadLetter, type JsonObject } from '@strategos/nestjs';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const VALID = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const HUGE = `${VALID}${'0'.repeat(200_000)}`;

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Finding 1 of issue 10: trace context can neither fail, stall nor poison a workflow; unpublishable rows are dead letters. */
describe('hostile trace context and unpublishable outbox rows', () => {
  let environment: TestEnvironment;
  let worker: TestApp;
  let connectionsClosed = 0;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    worker = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS], {
      outbox: { leaseMs: 1_000, relayIntervalMs: 200 },
    });
  });

  afterAll(async () => {
    await worker.close();
    await environment.cleanup([processOrder]);
  });

  it('starts a run from a start message with a 200 KB traceparent with a fresh trace, while 100 good workflows keep completing', async () => {
    const connection = await amqp.connect(environment.rabbitmqUrl);
    connection.on('error', () => undefined);
    const channel = await connection.createConfirmChannel();
    const queue = StartProcessOrderCommand.queue(environment.namespace);
    const hostile = initialOrderState();
    const malformed = initialOrderState();
    channel.sendToQueue(
      queue,
      Buffer.from(JSON.stringify({ ...StartProcessOrderCommand.create(hostile, randomUUID()), traceparent: HUGE })),
      { persistent: true },
    );
    channel.sendToQueue(
      queue,
      Buffer.from(JSON.stringify({ ...StartProcessOrderCommand.create(malformed, randomUUID()), traceparent: 'not-a-traceparent' })),
      { persistent: true },
    );
    await channel.waitForConfirms();
    await connection.close();

    // The transport of the worker must never lose its connection over it (RabbitMQ closed it with 541 before the fix).
    const runtime = worker.app.get(StrategosRuntime);
    const healthWatch = setInterval(() => {
      if (!runtime.transport.isHealthy()) connectionsClosed++;
    }, 20);
    const started = Date.now();
    try {
      const good = await Promise.all(
        Array.from({ length: 100 }, async () => (await worker.starter.start(processOrder, initialOrderState())).workflowId),
      );
      const views = await Promise.all(
        [hostile.workflowId, malformed.workflowId, ...good].map((id) => worker.query.waitFor(id, { timeoutMs: 60_000 })),
      );
      expect(views.map((view) => view.status)).toEqual(views.map(() => 'completed'));
      expect(Date.now() - started).toBeLessThan(60_000);
    } finally {
      clearInterval(healthWatch);
    }
    expect(connectionsClosed).toBe(0);
    expect(await worker.app.get(DeadLetters).list()).toEqual([]);
  });

  it('drops an invalid traceparent given to WorkflowStarter.start (client entry): the run completes', async () => {
    const ids = await Promise.all(
      [HUGE, 'not-a-traceparent', `00-${'0'.repeat(32)}-b7ad6b7169203331-01`, VALID].map(
        async (traceparent) => (await worker.starter.start(processOrder, initialOrderState(), { traceparent })).workflowId,
      ),
    );
    for (const id of ids) expect(await worker.query.waitFor(id, { timeoutMs: 60_000 })).toMatchObject({ status: 'completed' });
  });

  it('completes a run stored with a bad traceparent before it was validated at every entry (no INVALID_COMMAND dead letter)', async () => {
    const runtime = worker.app.get(StrategosRuntime);
    const definition = runtime.registry.find('process-order')!;
    const ids: string[] = [];
    for (const traceparent of ['not-a-traceparent', HUGE]) {
      const state = initialOrderState();
      // What an older version wrote: the engine copies the run's traceparent into every command body and header.
      const transition = runtime.engine.start(definition, state as unknown as JsonObject, {
        now: new Date(),
        newId: randomUUID,
        random: Math.random,
        causationId: state.workflowId,
        traceparent,
      });
      await runtime.committer.commit({ inboxMessageId: null, expectedVersion: 0, transition });
      ids.push(state.workflowId);
    }
    for (const id of ids) expect(await worker.query.waitFor(id, { timeoutMs: 60_000 })).toMatchObject({ status: 'completed' });
    expect(await worker.app.get(DeadLetters).list()).toEqual([]);
  });

  it('dead-letters an outbox row whose headers the broker would refuse as UNPUBLISHABLE, once, and replays it once fixed', async () => {
    const client = new Client({ connectionString: environment.databaseUrl });
    await client.connect();
    const names = topologyNames(environment.namespace);
    const subscriber = await amqp.connect(environment.rabbitmqUrl);
    const channel = await subscriber.createChannel();
    const { queue: spy } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(spy, names.eventsExchange, 'process-order.Probe');
    const received: amqp.ConsumeMessage[] = [];
    await channel.consume(spy, (message) => message && received.push(message), { noAck: true });
    try {
      const id = `zz-${randomUUID()}`;
      await client.query(
        `INSERT INTO "${environment.schema}".outbox (id, exchange, routing_key, message_id, type, headers, body, available_at)
         VALUES ($1, $2, 'process-order.Probe', $3, 'ProcessOrderProbe', $4, $5, now())`,
        [id, names.eventsExchange, `m-${id}`, JSON.stringify({ 'x-junk': 'j'.repeat(100_000) }), JSON.stringify({ probe: true })],
      );
      const deadLetters = worker.app.get(DeadLetters);
      const [letter] = await eventually<DeadLetter[]>(
        () => deadLetters.list({ code: 'UNPUBLISHABLE' }),
        (letters) => letters.length > 0,
        30_000,
        'the UNPUBLISHABLE dead letter',
      );
      expect(letter).toMatchObject({ originalQueue: 'process-order.Probe', messageId: `m-${id}`, body: JSON.stringify({ probe: true }) });
      expect(letter.reason).toContain('maxHeaderBytes');
      expect(letter.headers).not.toHaveProperty('x-junk');
      expect((await client.query(`SELECT count(*)::int AS n FROM "${environment.schema}".outbox WHERE id = $1`, [id])).rows[0].n).toBe(0);
      expect(await deadLetters.list({ code: 'UNPUBLISHABLE' })).toHaveLength(1);

      // Replayable: the copy lost the oversized header, so the event reaches its exchange and routing key.
      await deadLetters.replay(letter.id);
      await eventually(
        async () => received.length,
        (count) => count === 1,
        10_000,
        'the replayed event',
      );
      expect(JSON.parse(received[0].content.toString())).toEqual({ probe: true });
    } finally {
      await subscriber.close();
      await client.end();
    }
  });

  it('dead-letters an event whose body is over limits.maxMessageBytes (1 MiB) as UNPUBLISHABLE; the run itself completes', async () => {
    const base = initialOrderState();
    const state = { ...base, note: 'n'.repeat(1_200_000) } as typeof base;
    const { workflowId } = await worker.starter.start(processOrder, state);
    expect(await worker.query.waitFor(workflowId, { timeoutMs: 60_000 })).toMatchObject({ status: 'completed' });
    const letters = await eventually<DeadLetter[]>(
      async () =>
        (await worker.app.get(DeadLetters).list({ code: 'UNPUBLISHABLE', limit: 1000 })).filter((l) => l.body.includes(workflowId)),
      (found) => found.some((letter) => letter.type === 'ProcessOrderStarted'),
      30_000,
      'the Started event dead letter',
    );
    const started = letters.find((letter) => letter.type === 'ProcessOrderStarted')!;
    expect(started.reason).toContain('maxMessageBytes');
    expect(started.body.length).toBeGreaterThan(1_200_000);
  });
});
