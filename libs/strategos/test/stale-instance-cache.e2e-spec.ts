import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { Client } from 'pg';
import { stepQueueName } from '../src/messages/topology';
import { slowRetrySaga } from './fixtures/scripted-workflow';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const WORKER = 'libs/strategos/test/fixtures/test-worker.main.js';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Step runs a worker process printed (`step-started <workflowId>/<step>#<attempt>`). */
function runs(worker: RunningProcess, workflowId: string, step: string): string[] {
  return worker.output.filter((line) => line.includes(`step-started ${workflowId}/${step}#`)).map((line) => line.split('#')[1]);
}

/**
 * The instance cache of a worker process (the instance it committed last, kept for the run's next command) against
 * writes of other processes. Charge of slow-retry-saga fails its first attempt and retries after 3 s: meanwhile the
 * worker's cache holds the instance waiting for the retry command.
 */
describe('a worker whose cached instance another process changed', () => {
  let environment: TestEnvironment;
  let api: TestApp;
  let database: Client;
  let broker: amqp.ChannelModel;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [slowRetrySaga], [], { steps: [] });
    database = new Client({ connectionString: environment.databaseUrl });
    await database.connect();
    broker = await amqp.connect(environment.rabbitmqUrl);
  });

  afterAll(async () => {
    await broker.close();
    await database.end();
    await api.close();
    await environment.cleanup([slowRetrySaga]);
  });

  async function waitForHistory(workflowId: string, kind: string): Promise<void> {
    for (let i = 0; i < 1_500; i++) {
      if ((await api.query.history(workflowId)).some((event) => event.kind === kind)) return;
      await sleep(20);
    }
    throw new Error(`no ${kind} in the history of ${workflowId}`);
  }

  async function chargeQueueDrained(): Promise<void> {
    const channel = await broker.createChannel();
    try {
      const queue = stepQueueName(environment.namespace, slowRetrySaga.name, 'Charge');
      for (let i = 0; i < 1_500 && (await channel.checkQueue(queue)).messageCount > 0; i++) await sleep(20);
    } finally {
      await channel.close();
    }
  }

  it('does not run the next forward step after another process committed a cancel', async () => {
    const worker = startProcess(WORKER, { ...environment.env, LOG_STEP_STARTS: '1' });
    try {
      await worker.waitForOutput('worker-ready');
      const { workflowId } = await api.starter.start(slowRetrySaga, {
        workflowId: randomUUID(),
        script: { Charge: { throwUntilAttempt: 1 } },
      });
      await waitForHistory(workflowId, 'StepFailed');

      // Another process cancels while the retry waits; the worker's cache still shows the run going forward.
      await api.control.cancel(workflowId, 'changed my mind');
      expect(await api.query.waitFor(workflowId, { timeoutMs: 10_000 })).toMatchObject({ status: 'cancelled' });

      // The retry command comes due and reaches the worker, which must not run the step.
      await sleep(3_500);
      await chargeQueueDrained();
      await sleep(1_000);
      expect(runs(worker, workflowId, 'Charge')).toEqual(['1']);
    } finally {
      await worker.stop();
    }
  });

  it('does not run a step again for a command another process already applied', async () => {
    // One Charge at a time in this worker, so that a long Charge keeps the retry command for the other worker; and
    // no Confirm, so that nothing after Charge refreshes its cached instance.
    const first = startProcess(WORKER, {
      ...environment.env,
      LOG_STEP_STARTS: '1',
      PREFETCH: '1',
      STRATEGOS_STEPS: 'slow-retry-saga.Reserve,slow-retry-saga.Charge',
    });
    let second: RunningProcess | undefined;
    try {
      await first.waitForOutput('worker-ready');
      const { workflowId } = await api.starter.start(slowRetrySaga, {
        workflowId: randomUUID(),
        script: { Charge: { throwUntilAttempt: 1 } },
      });
      await waitForHistory(workflowId, 'StepFailed');
      const { rows } = await database.query<{
        routing_key: string;
        message_id: string;
        type: string;
        headers: Record<string, string>;
        body: object;
      }>(
        `SELECT routing_key, message_id, type, headers, body FROM "${environment.schema}".outbox WHERE body->>'workflowId' = $1 AND body->>'attempt' = '2'`,
        [workflowId],
      );
      expect(rows).toHaveLength(1);
      const retry = rows[0];

      const blocker = await api.starter.start(slowRetrySaga, {
        workflowId: randomUUID(),
        script: { Charge: { sleepMs: 8_000, ignoreSignal: true } },
      });
      await first.waitForOutput(`step-started ${blocker.workflowId}/Charge#1`);

      // The retry comes due while the first worker is busy: the second one applies it.
      second = startProcess(WORKER, { ...environment.env, LOG_STEP_STARTS: '1' });
      await second.waitForOutput('worker-ready');
      expect(await api.query.waitFor(workflowId, { timeoutMs: 20_000 })).toMatchObject({ status: 'completed' });
      expect(runs(second, workflowId, 'Charge')).toEqual(['2']);
      await second.stop();

      // The same command delivered again (a relay's republish): the first worker, whose cache still holds the
      // instance waiting for it, gets it once its long Charge ends (the blocker then waits for a Confirm worker).
      const channel = await broker.createConfirmChannel();
      channel.sendToQueue(retry.routing_key, Buffer.from(JSON.stringify(retry.body)), {
        messageId: retry.message_id,
        type: retry.type,
        headers: retry.headers,
        persistent: true,
      });
      await channel.waitForConfirms();
      await channel.close();
      await waitForHistory(blocker.workflowId, 'StepCompleted');
      for (
        let i = 0;
        i < 500 && !(await api.query.history(blocker.workflowId)).some((e) => e.data.step === 'Charge' && e.kind === 'StepCompleted');
        i++
      )
        await sleep(20);
      await chargeQueueDrained();
      await sleep(1_000);

      expect(runs(first, workflowId, 'Charge')).toEqual(['1']);
    } finally {
      await second?.stop();
      await first.stop();
    }
  });
});
