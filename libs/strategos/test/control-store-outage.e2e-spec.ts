import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DeadLetters, controlQueueName } from '@strategos/nestjs';
import { SCRIPTED_PROVIDERS, scriptedSaga } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import { TcpProxy } from './support/tcp-proxy';

/** Issue 10, finding 5: a cancel sent while the database is down is applied once it is back, never dropped. */
describe('Control requests during a store outage', () => {
  let environment: TestEnvironment;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    proxy = await TcpProxy.start(environment.databaseUrl);
    app = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], {
      postgres: { url: proxy.rewrite(environment.databaseUrl), schema: environment.schema, connectionTimeoutMs: 1_000 },
      storeRetry: { initialDelayMs: 100, maxDelayMs: 1_000 },
      outbox: { relayIntervalMs: 100 },
    });
  });

  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await app.close();
    await proxy.close();
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

  it('applies a cancel sent while the store was down once it returns, and dead-letters a malformed id', async () => {
    const { workflowId } = await app.starter.start(scriptedSaga, {
      workflowId: randomUUID(),
      script: { Reserve: { sleepMs: 1_500 }, Charge: { sleepMs: 12_000 } },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await proxy.cut();
    await sendControl({ messageId: randomUUID(), action: 'cancel', workflowId, reason: 'sent during the outage' });
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    await proxy.restore();

    const view = await app.query.waitFor(workflowId, { timeoutMs: 60_000 });
    expect(view.status).toBe('cancelled');
    const history = await app.query.history(workflowId);
    expect(history).toContainEqual(expect.objectContaining({ kind: 'CancelRequested' }));

    await sendControl({ messageId: randomUUID(), action: 'cancel', workflowId: `bad\u0000id` });
    const deadLetters = app.app.get(DeadLetters);
    const deadline = Date.now() + 15_000;
    let letters = await deadLetters.list();
    while (!letters.some((letter) => letter.code === 'INVALID_CONTROL_COMMAND') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      letters = await deadLetters.list();
    }
    expect(letters).toEqual([expect.objectContaining({ code: 'INVALID_CONTROL_COMMAND' })]);
  });
});
