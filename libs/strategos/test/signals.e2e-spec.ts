import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { controlQueueName, stepQueueName, topologyNames, type HistoryEntry } from '@strategos/nestjs';
import { quickPaymentFlow, quickSleepFlow, SIGNAL_STEPS, StepLog, type SignalState } from './fixtures/signal-workflows';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const WORKFLOWS = [quickPaymentFlow, quickSleepFlow];
const WAIT = 'AwaitSignal(payment-confirmed)';

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const count = (history: readonly HistoryEntry[], predicate: (entry: HistoryEntry) => boolean) => history.filter(predicate).length;

/** Signals and durable timers on RabbitMQ and PostgreSQL, with the races of issue 12. */
describe('signals and durable timers on the real servers', () => {
  let environment: TestEnvironment;
  let app: TestApp;
  let broker: amqp.ChannelModel;
  let channel: amqp.Channel;
  let db: Client;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // This test reads the dead-letter queue itself.
    app = await startTestApp(environment, WORKFLOWS, SIGNAL_STEPS, { archiveDeadLetters: false });
    broker = await amqp.connect(environment.rabbitmqUrl);
    channel = await broker.createChannel();
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await broker?.close();
    await app?.close();
    await environment.cleanup(WORKFLOWS);
  });

  const start = async (definition = quickPaymentFlow, extra: Partial<SignalState> = {}) => {
    const workflowId = randomUUID();
    await app.starter.start(definition, { workflowId, ...extra });
    return workflowId;
  };
  const parked = (workflowId: string, phase = WAIT) =>
    until(`${workflowId} at ${phase}`, async () => {
      const view = await app.query.get(workflowId);
      return view?.phase === phase ? view : undefined;
    });

  it('parks with nothing in flight and the timer in PostgreSQL at its due time; a signal resumes it', async () => {
    const workflowId = await start();
    const view = await parked(workflowId);
    const wakesAt = view.active[0].wakesAt!;
    expect(view.active[0]).toMatchObject({ waitingFor: 'payment-confirmed', step: WAIT });
    // No command in flight: every step queue of the workflow is empty and unacknowledged-free.
    for (const step of quickPaymentFlow.stepsByName.keys()) {
      const queue = await channel.checkQueue(stepQueueName(environment.namespace, quickPaymentFlow.name, step));
      expect(queue.messageCount).toBe(0);
    }
    // The timer is an outbox row for the control queue, due at wakesAt.
    const { rows } = await db.query<{ available_at: Date; routing_key: string }>(
      `SELECT available_at, routing_key FROM "${environment.schema}".outbox WHERE type = 'FireTimer' AND body->>'workflowId' = $1`,
      [workflowId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].routing_key).toBe(controlQueueName(environment.namespace, quickPaymentFlow.name));
    expect(rows[0].available_at.getTime()).toBe(wakesAt.getTime());

    await app.control.signal(workflowId, 'payment-confirmed', { reference: 'tx-9', amount: 9 });
    const done = await app.query.waitFor<SignalState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ paymentRef: 'tx-9', ran: ['Reserve', 'Ship', 'Confirm'] });
  });

  it('keeps a signal sent during the retry back-off of an earlier step and applies it at the wait', async () => {
    // Reserve throws on attempt 1; its retry is 2 s later.
    const workflowId = await start(quickPaymentFlow, { reserveThrowsUntil: 1 });
    await until('the failed first attempt', async () => (await app.query.history(workflowId)).some((e) => e.kind === 'StepFailed'));
    const sent = await app.control.signal(workflowId, 'payment-confirmed', { reference: 'early', amount: 1 }, { signalId: 'early-1' });
    expect(sent.status).toBe('stored');
    const again = await app.control.signal(workflowId, 'payment-confirmed', { reference: 'early', amount: 1 }, { signalId: 'early-1' });
    expect(again.status).toBe('duplicate');
    const done = await app.query.waitFor<SignalState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ paymentRef: 'early', ran: ['Reserve', 'Ship', 'Confirm'] });
    const history = await app.query.history(workflowId);
    expect(count(history, (e) => e.kind === 'SignalReceived')).toBe(1);
    expect(count(history, (e) => e.kind === 'Waiting')).toBe(0);
  });

  it('refuses bad signals on the control queue into the dead-letter queue with their code; the run keeps waiting', async () => {
    const workflowId = await start();
    await parked(workflowId);
    const queue = controlQueueName(environment.namespace, quickPaymentFlow.name);
    const send = (body: object) => channel.sendToQueue(queue, Buffer.from(JSON.stringify(body)), { persistent: true });
    const base = { action: 'signal', workflowId };
    send({ ...base, messageId: randomUUID(), name: 'payment-confirmed', payload: { reference: '', amount: 0 } });
    send({ ...base, messageId: randomUUID(), name: 'no-such-signal', payload: {} });
    const codes: string[] = [];
    await until('two dead letters', async () => {
      const message = await channel.get(topologyNames(environment.namespace).deadLetterQueue, { noAck: true });
      if (message) codes.push(String(message.properties.headers?.['x-strategos-dead-letter-code']));
      return codes.length >= 2;
    });
    expect(codes.sort()).toEqual(['INVALID_SIGNAL_PAYLOAD', 'UNKNOWN_SIGNAL']);
    expect((await app.query.get(workflowId))!.phase).toBe(WAIT);
    send({ ...base, messageId: 'signal-message-1', name: 'payment-confirmed', payload: { reference: 'by-message', amount: 3 } });
    const done = await app.query.waitFor<SignalState>(workflowId, { timeoutMs: 30_000 });
    expect(done.state.paymentRef).toBe('by-message');
  });

  it('a signal and its timeout at the same moment: exactly one wins, the other is recorded and ignored', async () => {
    const offsets = [-150, -50, 0, 50, 150, 300];
    const outcomes = await Promise.all(
      offsets.map(async (offset) => {
        const workflowId = await start();
        const view = await parked(workflowId);
        const at = view.active[0].wakesAt!.getTime() + offset;
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
        const reply = await app.control
          .signal(workflowId, 'payment-confirmed', { reference: `race-${offset}`, amount: 1 })
          .then((result) => result.status)
          .catch((error: { code?: string }) => error.code ?? 'error');
        const done = await app.query.waitFor<SignalState>(workflowId, { timeoutMs: 30_000 });
        // The loser's timer may fire after the run ended: give it time to be (not) applied.
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return { workflowId, reply, done, history: await app.query.history(workflowId) };
      }),
    );
    for (const { reply, done, history } of outcomes) {
      expect(done.status).toBe('completed');
      const signalWon = done.state.paymentRef !== undefined;
      const timeoutFired = count(history, (e) => e.kind === 'TimerFired' && e.data.purpose === 'timeout');
      const escalated = done.state.ran!.includes('Escalate');
      // Exactly one of the two moved the run on.
      expect(signalWon !== escalated).toBe(true);
      if (signalWon) {
        expect(timeoutFired).toBe(0);
        expect(reply).toBe('applied');
      } else {
        expect(timeoutFired).toBe(1);
        // The late signal was recorded (kept for a wait that never comes) or refused with a code to its caller.
        expect(['stored', 'SIGNAL_NOT_ACCEPTED']).toContain(reply);
      }
      expect(count(history, (e) => e.kind === 'SignalReceived' && e.data.stored === false)).toBe(signalWon ? 1 : 0);
    }
  });

  it('cancels a parked run at once and compensates; its timer later changes nothing', async () => {
    const workflowId = await start();
    await parked(workflowId);
    await app.control.cancel(workflowId, 'customer left');
    const done = await app.query.waitFor(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('cancelled');
    expect(app.app.get(StepLog).count(workflowId, 'Release')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const after = await app.query.get(workflowId);
    expect(after!.version).toBe(done.version);
    await expect(app.control.signal(workflowId, 'payment-confirmed', { reference: 'late', amount: 1 })).rejects.toMatchObject({
      code: 'SIGNAL_NOT_ACCEPTED',
    });
  });
});

describe('durable timers across processes', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });
  afterAll(() => environment.cleanup(WORKFLOWS));

  it('two processes fire each timer once', async () => {
    const first = await startTestApp(environment, WORKFLOWS, SIGNAL_STEPS);
    const second = await startTestApp(environment, WORKFLOWS, SIGNAL_STEPS);
    try {
      const ids = Array.from({ length: 40 }, () => randomUUID());
      await Promise.all(ids.map((workflowId, i) => (i % 2 ? first : second).starter.start(quickSleepFlow, { workflowId })));
      for (const workflowId of ids) {
        const done = await first.query.waitFor<SignalState>(workflowId, { timeoutMs: 60_000 });
        expect(done.status).toBe('completed');
        expect(done.state.ran).toEqual(['Reserve', 'Confirm']);
        const history = await first.query.history(workflowId);
        expect(count(history, (e) => e.kind === 'TimerFired')).toBe(1);
      }
      const confirms = [first, second].reduce(
        (sum, app) => sum + app.app.get(StepLog).runs.filter((run) => run.step === 'Confirm').length,
        0,
      );
      expect(confirms).toBe(ids.length);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('a timer that fell due while every process was down fires right after the first one starts', async () => {
    const before = await startTestApp(environment, WORKFLOWS, SIGNAL_STEPS);
    const workflowId = randomUUID();
    await before.starter.start(quickSleepFlow, { workflowId });
    const view = await until('the sleep', async () => {
      const current = await before.query.get(workflowId);
      return current?.phase === 'Sleep(2000ms)' ? current : undefined;
    });
    await before.close();
    const dueAt = view.active[0].wakesAt!;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, dueAt.getTime() - Date.now()) + 1_500));
    const startedAt = Date.now();
    const after = await startTestApp(environment, WORKFLOWS, SIGNAL_STEPS);
    try {
      const done = await after.query.waitFor(workflowId, { timeoutMs: 30_000 });
      expect(done.status).toBe('completed');
      const fired = (await after.query.history(workflowId)).find((e) => e.kind === 'TimerFired')!;
      expect(fired.timestamp.getTime()).toBeGreaterThanOrEqual(startedAt);
      // Right after the start (a generous bound for a loaded machine).
      expect(fired.timestamp.getTime() - startedAt).toBeLessThan(15_000);
    } finally {
      await after.close();
    }
  });
});
