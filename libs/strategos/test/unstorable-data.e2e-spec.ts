import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DeadLetters, InMemoryTransport, PostgresWorkflowStore, startQueueName, stepQueueName, type HistoryEntry } from '@strategos/nestjs';
import { TransitionEngine } from '../src/engine/transition-engine';
import { resolveSettings } from '../src/nest/resolve-settings';
import { classifyFailure } from '../src/persistence/failure-kind';
import { TransitionCommitter } from '../src/persistence/transition-committer';
import { TransitionNotifier } from '../src/persistence/transition-notifier';
import type { JsonObject } from '../src/state/workflow-state.interface';
import { SCRIPTED_PROVIDERS, ScriptSwitches, scriptedSaga, type ScriptedState } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

/** Issue 10, findings 2 and 3: data PostgreSQL cannot store fails alone, where it enters, with a code, once. */
describe('Data the store cannot keep', () => {
  let environment: TestEnvironment;
  let app: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], { outbox: { relayIntervalMs: 50 } });
  });

  afterAll(async () => {
    await app.close();
    await environment.cleanup([scriptedSaga]);
  });

  async function waitForDeadLetter(code: string, queue: string, timeoutMs = 15_000) {
    const deadLetters = app.app.get(DeadLetters);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await deadLetters.list()).filter((letter) => letter.code === code && letter.originalQueue === queue);
      if (found.length > 0 || Date.now() > deadline) return found;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function sendToQueue(queue: string, body: unknown): Promise<void> {
    const connection = await amqp.connect(environment.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      channel.sendToQueue(queue, Buffer.from(JSON.stringify(body)), { persistent: true, messageId: randomUUID() });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
  }

  it('fails only the write PostgreSQL refuses in a group commit; the rest of the batch commits', async () => {
    const store = new PostgresWorkflowStore({ url: environment.databaseUrl, schema: environment.schema });
    const settings = resolveSettings({ namespace: environment.namespace, commitBatchSize: 64, commitConcurrency: 1 });
    const committer = new TransitionCommitter(store, new InMemoryTransport(), new TransitionNotifier(), settings);
    const engine = new TransitionEngine(settings.defaultRetry);
    try {
      const start = (state: JsonObject) =>
        committer.commit({
          inboxMessageId: null,
          expectedVersion: 0,
          transition: engine.start(scriptedSaga, state, {
            now: new Date(),
            newId: randomUUID,
            random: Math.random,
            causationId: randomUUID(),
          }),
        });
      // The first write is flushed alone; the 21 after it wait for it and share one statement.
      const first = start({ workflowId: randomUUID(), script: {} });
      const good = Array.from({ length: 20 }, () => randomUUID());
      const bad = randomUUID();
      const all = [...good.slice(0, 10), bad, ...good.slice(10)];
      const results = await Promise.allSettled(
        all.map((workflowId) => start({ workflowId, script: {}, note: workflowId === bad ? 'poison\u0000' : 'fine' })),
      );
      await first;
      const byId = new Map(all.map((workflowId, index) => [workflowId, results[index]]));
      const refused = byId.get(bad);
      expect(refused?.status).toBe('rejected');
      expect(classifyFailure((refused as PromiseRejectedResult).reason)).toBe('data');
      expect(good.map((workflowId) => byId.get(workflowId))).toEqual(good.map(() => ({ status: 'fulfilled', value: 'committed' })));
      for (const workflowId of good) expect(await store.load(workflowId)).not.toBeNull();
      expect(await store.load(bad)).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('rejects a start with INVALID_INITIAL_STATE naming the field, while good starts beside it succeed', async () => {
    const good = Array.from({ length: 20 }, () => app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {} }));
    const bad = app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {}, note: 'a\u0000b' });
    await expect(bad).rejects.toMatchObject({ code: 'INVALID_INITIAL_STATE', field: 'note', message: expect.stringContaining('note') });
    await expect(app.starter.start(scriptedSaga, { workflowId: `x\u0000`, script: {} })).rejects.toMatchObject({
      code: 'INVALID_INITIAL_STATE',
      field: 'workflowId',
    });
    const started = await Promise.all(good);
    expect(started.every((result) => result.started)).toBe(true);
    for (const { workflowId } of started)
      expect(await app.query.waitFor(workflowId, { timeoutMs: 30_000 })).toMatchObject({ status: 'completed' });
  });

  it('dead-letters at once a start command whose state the store cannot keep', async () => {
    const queue = startQueueName(environment.namespace, scriptedSaga.name);
    const workflowId = randomUUID();
    await sendToQueue(queue, {
      messageId: randomUUID(),
      type: 'StartScriptedSagaCommand',
      workflowName: scriptedSaga.name,
      state: { workflowId, script: {}, note: 'poison\u0000' },
    });
    const letters = await waitForDeadLetter('INVALID_INITIAL_STATE', queue);
    expect(letters).toEqual([expect.objectContaining({ code: 'INVALID_INITIAL_STATE' })]);
    expect(await app.query.get(workflowId)).toBeNull();
  });

  it('dead-letters a step command whose workflowId the store cannot look up, without running the step', async () => {
    const queue = stepQueueName(environment.namespace, scriptedSaga.name, 'Charge');
    const workflowId = `poison\u0000${randomUUID()}`;
    await sendToQueue(queue, {
      messageId: randomUUID(),
      type: 'ExecuteChargeCommand',
      workflowId,
      workflowName: scriptedSaga.name,
      step: 'Charge',
      role: 'forward',
      attempt: 1,
      idempotencyKey: randomUUID(),
      correlationId: randomUUID(),
      causationId: randomUUID(),
      createdAt: new Date().toISOString(),
    });
    const letters = await waitForDeadLetter('INVALID_COMMAND', queue);
    expect(letters).toHaveLength(1);
    expect(app.app.get(ScriptSwitches).executions.get(`${workflowId}/Charge`)).toBeUndefined();
  });

  it('fails the workflow with STATE_NOT_STORABLE and compensates when a step result cannot be stored, running the step once', async () => {
    const { workflowId } = await app.starter.start(scriptedSaga, {
      workflowId: randomUUID(),
      script: { Charge: { unstorableResult: true } },
    });
    const view = await app.query.waitFor<ScriptedState>(workflowId, { timeoutMs: 30_000 });
    expect(view.status).toBe('compensated');
    const history: HistoryEntry[] = await app.query.history(workflowId);
    expect(history).toContainEqual(
      expect.objectContaining({ kind: 'StepFailed', data: expect.objectContaining({ step: 'Charge', code: 'STATE_NOT_STORABLE' }) }),
    );
    expect(history).toContainEqual(
      expect.objectContaining({ kind: 'StepCompleted', data: expect.objectContaining({ step: 'Unreserve' }) }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(app.app.get(ScriptSwitches).executions.get(`${workflowId}/Charge`)).toBe(1);
  });

  describe('anything else PostgreSQL refuses (here a CHECK constraint on the state: 23514)', () => {
    let client: Client;

    beforeAll(async () => {
      client = new Client({ connectionString: environment.databaseUrl });
      await client.connect();
      await client.query(
        `ALTER TABLE "${environment.schema}".instances ADD CONSTRAINT no_poison CHECK (state->>'note' IS DISTINCT FROM 'poison')`,
      );
    });

    afterAll(async () => {
      await client.query(`ALTER TABLE "${environment.schema}".instances DROP CONSTRAINT no_poison`);
      await client.end();
    });

    it('fails only that start, with INVALID_INITIAL_STATE, while good starts in the same group commit succeed', async () => {
      const good = Array.from({ length: 30 }, () => app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {} }));
      const bad = app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {}, note: 'poison' });
      await expect(bad).rejects.toMatchObject({ code: 'INVALID_INITIAL_STATE', message: expect.stringContaining('no_poison') });
      const started = await Promise.all(good);
      for (const { workflowId } of started)
        expect(await app.query.waitFor(workflowId, { timeoutMs: 30_000 })).toMatchObject({ status: 'completed' });
    });

    it('fails the workflow with STATE_NOT_STORABLE and compensates when the commit of a step result is refused', async () => {
      const poisoned = await app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: { Charge: { resultNote: 'poison' } } });
      const good = await Promise.all(
        Array.from({ length: 20 }, () => app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {} })),
      );
      const view = await app.query.waitFor(poisoned.workflowId, { timeoutMs: 30_000 });
      expect(view.status).toBe('compensated');
      const history: HistoryEntry[] = await app.query.history(poisoned.workflowId);
      expect(history).toContainEqual(
        expect.objectContaining({ kind: 'StepFailed', data: expect.objectContaining({ step: 'Charge', code: 'STATE_NOT_STORABLE' }) }),
      );
      expect(app.app.get(ScriptSwitches).executions.get(`${poisoned.workflowId}/Charge`)).toBe(1);
      for (const { workflowId } of good)
        expect(await app.query.waitFor(workflowId, { timeoutMs: 30_000 })).toMatchObject({ status: 'completed' });
    });
  });
});
