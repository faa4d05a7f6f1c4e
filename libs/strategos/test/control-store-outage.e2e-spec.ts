import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DeadLetters, controlQueueName } from '@strategos/nestjs';
import { SCRIPTED_PROVIDERS, ScriptSwitches, scriptedSaga } from './fixtures/scripted-workflow';
import { type AppBehindStoreProxy, startAppBehindStoreProxy } from './support/app-behind-store-proxy';
import { createTestEnvironment, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import type { TcpProxy } from './support/tcp-proxy';
import { waitUntil } from './support/wait-until';

/** How long the store stays down: Reserve (1.5 s) ends within it, so its result waits for the store as the cancel does. */
const OUTAGE_MS = 5_000;

/** Issue 10, finding 5: a cancel sent while the database is down is applied once it is back, never dropped. */
describe('Control requests during a store outage', () => {
  let environment: TestEnvironment;
  let behindProxy: AppBehindStoreProxy | undefined;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    behindProxy = await startAppBehindStoreProxy(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], {
      storeRetry: { initialDelayMs: 100, maxDelayMs: 1_000 },
      outbox: { relayIntervalMs: 100 },
    });
    ({ app, proxy } = behindProxy);
  });

  afterAll(async () => {
    await behindProxy?.close();
    await environment.cleanup([scriptedSaga]);
  });

  async function sendControl(body: unknown): Promise<void> {
    const connection = await amqp.connect(environment.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      channel.sendToQueue(controlQueueName(environment.namespace, scriptedSaga.name), Buffer.from(JSON.stringify(body)), {
        persistent: true,
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  }

  /** Messages on the control queue that no consumer holds yet. */
  async function controlQueueReady(): Promise<number> {
    const connection = await amqp.connect(environment.rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      return (await channel.checkQueue(controlQueueName(environment.namespace, scriptedSaga.name))).messageCount;
    } finally {
      await connection.close();
    }
  }

  it('applies a cancel sent while the store was down once it returns, and dead-letters a malformed id', async () => {
    const { workflowId } = await app.starter.start(scriptedSaga, {
      workflowId: randomUUID(),
      script: { Reserve: { sleepMs: 1_500 }, Charge: { sleepMs: 12_000 } },
    });
    await app.app.get(ScriptSwitches).whenStarted(workflowId, 'Reserve');
    await proxy.cut();
    const outageStarted = Date.now();
    await sendControl({ messageId: randomUUID(), action: 'cancel', workflowId, reason: 'sent during the outage' });
    // The app has taken the cancel off its queue while the store is down: it holds it, retrying in place.
    await waitUntil('the cancel taken by the app', async () => ((await controlQueueReady()) === 0 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))));
    await proxy.restore();

    const view = await app.query.waitFor(workflowId, { timeoutMs: 60_000 });
    expect(view.status).toBe('cancelled');
    const history = await app.query.history(workflowId);
    expect(history).toContainEqual(expect.objectContaining({ kind: 'CancelRequested' }));

    await sendControl({ messageId: randomUUID(), action: 'cancel', workflowId: `bad\u0000id` });
    const deadLetters = app.app.get(DeadLetters);
    const letters = await waitUntil('the malformed cancel in the dead-letter store', async () => {
      const stored = await deadLetters.list();
      return stored.some((letter) => letter.code === 'INVALID_CONTROL_COMMAND') ? stored : undefined;
    });
    expect(letters).toEqual([expect.objectContaining({ code: 'INVALID_CONTROL_COMMAND' })]);
  });
});
