import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeadLetters, StrategosRuntime, stepQueueName, type HistoryEntry, type TransitionWrite, type WriteResult } from '@strategos/nestjs';
import { SCRIPTED_PROVIDERS, scriptedSaga } from './fixtures/scripted-workflow';
import { stepCompletionCounts } from './support/history-assertions';
import { nextMessage, whenDelivered } from './support/queued-messages';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const EXACTLY_ONCE = { Reserve: 1, Charge: 1, Ship: 1, Confirm: 1 };

function connectionLost(): Error {
  return Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
}

/**
 * Step commands' commits record no inbox entry (issue 14): the instance's cursor and the version guard alone apply
 * each command once, on the real broker and database, whether it comes again after it applied, several copies come
 * at once to two workers, or the commit's reply is lost and the commit retried.
 */
describe('step commands without an inbox entry', () => {
  let environment: TestEnvironment;
  let api: TestApp;
  let database: Client;
  let connection: amqp.ChannelModel;
  let channel: amqp.ConfirmChannel;
  const reserveQueue = () => stepQueueName(environment.namespace, scriptedSaga.name, 'Reserve');

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [scriptedSaga], [], { steps: [] });
    database = new Client({ connectionString: environment.databaseUrl });
    await database.connect();
    connection = await amqp.connect(environment.rabbitmqUrl);
    channel = await connection.createConfirmChannel();
  });

  afterAll(async () => {
    await connection.close();
    await database.end();
    await api.close();
    await environment.cleanup([scriptedSaga]);
  });

  async function inboxRows(): Promise<number> {
    const { rows } = await database.query<{ count: number }>(`SELECT count(*)::int AS count FROM "${environment.schema}".inbox`);
    return rows[0].count;
  }

  async function start(): Promise<string> {
    return (await api.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {} })).workflowId;
  }

  /** Each transition of the run applied once: every step completed once, one event per sequence number. */
  async function expectAppliedOnce(workflowId: string): Promise<void> {
    expect(await stepCompletionCounts(api.query, workflowId)).toEqual(EXACTLY_ONCE);
    const history = await api.query.history(workflowId);
    expect(new Set(history.map((event) => event.sequence)).size).toBe(history.length);
  }

  it('applies a command delivered again after it applied, and copies delivered at once to two workers, once; no inbox row', async () => {
    const again = await start();
    const copies = await start();
    // Both runs' first commands, taken off the queue: one is delivered now and again later, the other three times at once.
    const taken = new Map<string, amqp.GetMessage>();
    for (let i = 0; i < 2; i++) {
      const message = await nextMessage(channel, reserveQueue());
      taken.set((JSON.parse(message.content.toString()) as { workflowId: string }).workflowId, message);
    }
    const send = (workflowId: string) =>
      channel.sendToQueue(reserveQueue(), taken.get(workflowId)!.content, taken.get(workflowId)!.properties);
    send(again);
    for (let copy = 0; copy < 3; copy++) send(copies);
    await channel.waitForConfirms();
    for (const message of taken.values()) channel.ack(message);

    const workers = [
      await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS]),
      await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS]),
    ];
    let historyWhenCompleted: HistoryEntry[] = [];
    try {
      const views = await Promise.all([again, copies].map((id) => api.query.waitFor(id, { timeoutMs: 30_000 })));
      expect(views.map((view) => view.status)).toEqual(['completed', 'completed']);
      historyWhenCompleted = await api.query.history(again);

      // The same command once more, after its run completed: recognised as applied (no longer the cursor's), acked.
      send(again);
      await channel.waitForConfirms();
      await whenDelivered(channel, reserveQueue());
    } finally {
      // A graceful close settles what the workers hold: a command not acknowledged would be back in its queue.
      for (const worker of workers) await worker.close();
    }

    expect((await channel.checkQueue(reserveQueue())).messageCount).toBe(0);
    expect(await api.query.history(again)).toEqual(historyWhenCompleted);
    expect(await api.app.get(DeadLetters).list()).toEqual([]);
    await expectAppliedOnce(again);
    await expectAppliedOnce(copies);
    expect(await inboxRows()).toBe(0);
  });

  it('recognises a commit retried after its reply was lost (a version conflict) and publishes the next command again', async () => {
    const worker = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], {
      storeRetry: { initialDelayMs: 5, maxDelayMs: 20, maxHoldMs: 10_000 },
    });
    const store = worker.app.get(StrategosRuntime).store;
    const commit = store.commit.bind(store);
    const workflowId = randomUUID();
    const lost: TransitionWrite[] = [];
    const retried: WriteResult[] = [];
    // Charge's commit (it issues Ship's command, which has no outbox row) applies, then its reply is lost once.
    const isVictim = (write: TransitionWrite) =>
      write.transition.instance.workflowId === workflowId &&
      write.transition.events.some((event) => event.kind === 'StepCompleted' && event.data.step === 'Charge');
    store.commit = async (writes: readonly TransitionWrite[]): Promise<WriteResult[]> => {
      const results = await commit(writes);
      const index = writes.findIndex(isVictim);
      if (index < 0) return results;
      if (lost.length > 0) retried.push(results[index]);
      else {
        lost.push(writes[index]);
        throw connectionLost();
      }
      return results;
    };
    try {
      await api.starter.start(scriptedSaga, { workflowId, script: {} });
      const view = await api.query.waitFor(workflowId, { timeoutMs: 30_000 });

      expect(view.status).toBe('completed');
      expect(lost.map((write) => write.inboxMessageId)).toEqual([null]);
      // The retry applied nothing: the version moved with the lost commit. Ship ran: its command was published again.
      expect(retried).toEqual(['conflict']);
      await expectAppliedOnce(workflowId);
      expect(await inboxRows()).toBe(0);
    } finally {
      await worker.close();
    }
  });
});
