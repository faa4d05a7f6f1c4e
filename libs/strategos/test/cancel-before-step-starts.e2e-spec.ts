import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import type { HistoryEntry } from '@strategos/nestjs';
import { stepQueueName } from '../src/messages/topology';
import { SCRIPTED_PROVIDERS, ScriptSwitches, scriptedSaga } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

function trail(history: HistoryEntry[]): string[] {
  return history.map((e) => (e.kind === 'PhaseChanged' ? `→${e.data.to}` : e.kind === 'StepCompleted' ? `${e.data.step}✓` : e.kind));
}

describe('a cancel of a run whose current step has not started', () => {
  let environment: TestEnvironment;
  let api: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // Every step but Charge has a worker: a run that reaches Charge waits there.
    api = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], {
      steps: ['Reserve', 'Unreserve', 'Refund', 'Ship', 'Notify', 'Confirm'],
      outbox: { relayIntervalMs: 50 },
    });
  });

  afterAll(async () => {
    await api.close();
    await environment.cleanup([scriptedSaga]);
  });

  it('takes effect at once, and the waiting command is skipped when a worker for it appears', async () => {
    const { workflowId } = await api.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {} });
    for (let i = 0; i < 500 && (await api.query.get(workflowId))?.phase !== 'Charge'; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await api.query.get(workflowId))?.phase).toBe('Charge');

    await api.control.cancel(workflowId, 'nobody charges');

    const view = await api.query.waitFor(workflowId, { timeoutMs: 10_000 });
    expect(view).toMatchObject({ status: 'cancelled', phase: 'Cancelled', cancelReason: 'nobody charges' });
    const expected = [
      'Started',
      '→Reserve',
      'Reserve✓',
      '→Charge',
      'CancelRequested',
      'Compensating',
      '→Unreserve',
      'Unreserve✓',
      'Compensated',
      'Cancelled',
    ];
    expect(trail(await api.query.history(workflowId))).toEqual(expected);

    // A worker for Charge starts: it receives the command and acknowledges it without running the step.
    const worker = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], { steps: ['Charge'] });
    const connection = await amqp.connect(environment.rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      const queue = stepQueueName(environment.namespace, scriptedSaga.name, 'Charge');
      for (let i = 0; i < 500; i++) {
        const { messageCount } = await channel.checkQueue(queue);
        if (messageCount === 0) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect((await channel.checkQueue(queue)).messageCount).toBe(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(worker.app.get(ScriptSwitches).started.has(`${workflowId}/Charge`)).toBe(false);
      expect(trail(await api.query.history(workflowId))).toEqual(expected);
    } finally {
      await connection.close();
      await worker.close();
    }
  });
});
