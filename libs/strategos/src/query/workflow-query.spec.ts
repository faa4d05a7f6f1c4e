import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { advanceWrite, counterNamed, createWrite } from '../../test/support/workflow-store.contract';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { InMemoryWorkflowStore } from '../persistence/in-memory/in-memory-workflow-store';
import type { Unsubscribe } from '../persistence/terminal-subscriptions';
import { TransitionNotifier } from '../persistence/transition-notifier';
import type { TransitionWrite } from '../persistence/workflow-store.interface';
import { waitUntil } from '../../test/support/wait-until';
import { WorkflowQuery } from './workflow-query';

const WORKFLOW = 'queried';
const definitions = { find: (name: string) => (name === WORKFLOW ? counterNamed(WORKFLOW) : undefined) };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A store whose notices never arrive: what `waitFor` sees when the database cannot deliver them. */
class SilentStore extends InMemoryWorkflowStore {
  override subscribeTerminal(): Promise<Unsubscribe> {
    return new Promise<Unsubscribe>(() => undefined);
  }
}

/** What node-postgres rejects with while the database refuses connections: classified transient. */
const connectionRefused = (): Error => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

/** A store whose reads fail with the queued errors first (or always, with `failing`), then answer: a database outage. */
class FlakyStore extends InMemoryWorkflowStore {
  loads = 0;
  failing: (() => Error) | undefined;
  hanging = false;

  constructor(private readonly failures: Error[] = []) {
    super();
  }

  override load(workflowId: string): Promise<WorkflowInstance | null> {
    this.loads++;
    if (this.hanging) return new Promise<WorkflowInstance | null>(() => undefined);
    const failure = this.failures.shift() ?? this.failing?.();
    return failure ? Promise.reject(failure) : super.load(workflowId);
  }
}

describe('WorkflowQuery', () => {
  let store: InMemoryWorkflowStore;
  let query: WorkflowQuery;

  beforeEach(() => {
    store = new InMemoryWorkflowStore();
    query = new WorkflowQuery(store, new TransitionNotifier(), definitions, { estimateCacheMs: 0 });
  });

  async function commit(write: TransitionWrite): Promise<WorkflowInstance> {
    expect(await store.commit([write])).toEqual(['committed']);
    return write.transition.instance;
  }

  async function run(start: number, steps: number): Promise<WorkflowInstance> {
    let at = start;
    let instance = await commit(createWrite(randomUUID(), null, { workflow: WORKFLOW, now: new Date(at) }));
    for (let step = 0; step < steps; step++)
      instance = await commit(advanceWrite(instance, randomUUID(), instance.version, { now: new Date((at += 1_000)) }));
    return instance;
  }

  describe('list', () => {
    it('pages through views with an opaque cursor, each instance exactly once', async () => {
      const start = Date.now() - 60_000;
      const instances = [];
      for (let i = 0; i < 5; i++) instances.push(await run(start + i, i % 2 === 0 ? 3 : 1));

      const first = await query.list({ workflow: counterNamed(WORKFLOW), limit: 2 });
      const second = await query.list({ workflow: WORKFLOW, limit: 2, cursor: first.nextCursor });
      const third = await query.list({ workflow: WORKFLOW, limit: 2, cursor: second.nextCursor });

      expect([first, second, third].map((page) => page.items.map((view) => view.workflowId))).toEqual([
        [instances[0].workflowId, instances[1].workflowId],
        [instances[2].workflowId, instances[3].workflowId],
        [instances[4].workflowId],
      ]);
      expect(third.nextCursor).toBeUndefined();
      expect(typeof first.nextCursor).toBe('string');
      const running = await query.list({ workflow: WORKFLOW, status: 'running' });
      expect(running.items.map((view) => view.workflowId)).toEqual([instances[1].workflowId, instances[3].workflowId]);
      // Running instances carry the estimate, as `get` does; completed ones do not.
      expect(running.items[0].estimatedCompletionAt).toBeInstanceOf(Date);
      expect(running.items[0]).toEqual({ ...(await query.get(instances[1].workflowId)), estimatedCompletionAt: expect.any(Date) });
      expect(first.items[0].estimatedCompletionAt).toBeUndefined();
    });

    it('rejects an invalid filter with INVALID_LIST_QUERY', async () => {
      await expect(query.list({ limit: 501 })).rejects.toMatchObject({ code: 'INVALID_LIST_QUERY', field: 'limit' });
      await expect(query.list({ cursor: 'forged' })).rejects.toMatchObject({ code: 'INVALID_LIST_QUERY', field: 'cursor' });
    });
  });

  describe('get', () => {
    it('estimates completion from recent runs: the median of the rest of the current step and the later ones', async () => {
      const start = Date.now() - 600_000;
      for (let i = 0; i < 3; i++) await run(start + i * 10_000, 3);
      const running = await commit(createWrite(randomUUID(), null, { workflow: WORKFLOW }));

      const before = Date.now();
      const view = await query.get(running.workflowId);
      const after = Date.now();

      // Each step of the completed runs took 1000 ms; the new instance has just entered its first step.
      const estimate = view?.estimatedCompletionAt?.getTime() ?? Number.NaN;
      expect(estimate).toBeGreaterThanOrEqual(Date.parse(running.updatedAt) + 3_000);
      expect(estimate).toBeLessThanOrEqual(after + 3_000);
      expect(estimate).toBeGreaterThanOrEqual(before + 2_000);
    });

    it('has no estimate for a workflow this process does not define', async () => {
      for (let i = 0; i < 2; i++) await run(Date.now() - 100_000, 3);
      const running = await run(Date.now(), 1);
      const anonymous = new WorkflowQuery(store, new TransitionNotifier());
      expect((await anonymous.get(running.workflowId))?.estimatedCompletionAt).toBeUndefined();
      expect((await query.get(running.workflowId))?.estimatedCompletionAt).toBeInstanceOf(Date);
    });
  });

  describe('waitFor', () => {
    it('is woken by the store when a transition ending the workflow commits, without polling', async () => {
      let instance = await run(Date.now(), 2);
      const started = Date.now();
      const done = query.waitFor(instance.workflowId, { timeoutMs: 10_000, pollIntervalMs: 60_000 });
      await sleep(50);
      instance = await commit(advanceWrite(instance));

      const view = await done;
      expect(view).toMatchObject({ workflowId: instance.workflowId, status: 'completed', phase: 'Completed' });
      expect(Date.now() - started).toBeLessThan(2_000);
    });

    it('falls back to polling when no notice arrives', async () => {
      const silent = new SilentStore();
      const polling = new WorkflowQuery(silent, new TransitionNotifier());
      const created = createWrite();
      await silent.commit([created]);
      let instance = created.transition.instance;
      const done = polling.waitFor(instance.workflowId, { timeoutMs: 5_000, pollIntervalMs: 20 });
      for (let step = 0; step < 3; step++) {
        const write = advanceWrite(instance);
        await silent.commit([write]);
        instance = write.transition.instance;
      }
      await expect(done).resolves.toMatchObject({ status: 'completed' });
    });

    it('gives up after timeoutMs, naming the last phase', async () => {
      const instance = await run(Date.now(), 1);
      await expect(query.waitFor(instance.workflowId, { timeoutMs: 50 })).rejects.toMatchObject({
        code: 'WAIT_FOR_TIMEOUT',
        workflowId: instance.workflowId,
        lastPhase: 'Charge',
      });
    });

    describe('while the store fails', () => {
      let flaky: FlakyStore;
      let flakyQuery: WorkflowQuery;

      async function stored(steps: number): Promise<WorkflowInstance> {
        let write = createWrite();
        await flaky.commit([write]);
        for (let step = 0; step < steps; step++) {
          write = advanceWrite(write.transition.instance);
          await flaky.commit([write]);
        }
        return write.transition.instance;
      }

      function query(failures: Error[] = []): WorkflowQuery {
        flaky = new FlakyStore(failures);
        flakyQuery = new WorkflowQuery(flaky, new TransitionNotifier());
        return flakyQuery;
      }

      it('keeps waiting through transient read failures and resolves once the store answers', async () => {
        query([connectionRefused(), connectionRefused()]);
        const instance = await stored(3);
        const started = Date.now();

        const view = await flakyQuery.waitFor(instance.workflowId, { timeoutMs: 5_000, pollIntervalMs: 50 });

        expect(view).toMatchObject({ workflowId: instance.workflowId, status: 'completed' });
        expect(flaky.loads).toBe(3);
        // Each failed read waits for the next poll: no hot loop against a database that is down.
        expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      });

      it('sees a run that completed while the store failed', async () => {
        query();
        flaky.failing = connectionRefused;
        let instance = await stored(2);
        const done = flakyQuery.waitFor(instance.workflowId, { timeoutMs: 5_000, pollIntervalMs: 20 });
        await waitUntil('two failed reads', () => (flaky.loads >= 2 ? true : undefined), { intervalMs: 5 });
        const write = advanceWrite(instance);
        await flaky.commit([write]);
        instance = write.transition.instance;
        expect(instance.status).toBe('completed');
        await waitUntil('another failed read after the completion', () => (flaky.loads >= 4 ? true : undefined), { intervalMs: 5 });
        flaky.failing = undefined;

        await expect(done).resolves.toMatchObject({ workflowId: instance.workflowId, status: 'completed', phase: 'Completed' });
      });

      it.each([
        ['a data error', Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02', severity: 'ERROR' })],
        ['a bug', new TypeError("Cannot read properties of undefined (reading 'status')")],
      ])('rejects at once with %s, which waiting cannot mend', async (_, error) => {
        query([error]);
        const instance = await stored(1);
        const started = Date.now();

        await expect(flakyQuery.waitFor(instance.workflowId, { timeoutMs: 10_000, pollIntervalMs: 50 })).rejects.toBe(error);

        expect(flaky.loads).toBe(1);
        expect(Date.now() - started).toBeLessThan(1_000);
      });

      it('rejects at the deadline with WAIT_FOR_TIMEOUT naming the store failure when the store never answers', async () => {
        query();
        const instance = await stored(1);
        flaky.failing = connectionRefused;
        const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
        const warn = jest.spyOn(Logger.prototype, 'warn');
        const started = Date.now();

        const error = await flakyQuery.waitFor(instance.workflowId, { timeoutMs: 300, pollIntervalMs: 50 }).catch((e: unknown) => e);
        const [debugCalls, warnCalls] = [[...debug.mock.calls], [...warn.mock.calls]];
        debug.mockRestore();
        warn.mockRestore();

        const elapsed = Date.now() - started;
        expect(error).toMatchObject({ code: 'WAIT_FOR_TIMEOUT', workflowId: instance.workflowId, timeoutMs: 300, lastPhase: undefined });
        expect((error as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
        expect((error as Error).message).toBe(
          `Workflow ${instance.workflowId} did not finish within 300 ms (last phase: unknown); the store could not be read: connect ECONNREFUSED 127.0.0.1:5432`,
        );
        expect(elapsed).toBeGreaterThanOrEqual(295);
        expect(elapsed).toBeLessThan(1_000);
        // One read per poll, not a tight loop: 300 / 50 + the first read, with room for a slow timer.
        expect(flaky.loads).toBeGreaterThanOrEqual(3);
        expect(flaky.loads).toBeLessThanOrEqual(8);
        // Quiet: one debug line for the whole outage, not one per read.
        expect(debugCalls).toEqual([
          [expect.objectContaining({ message: 'Store unavailable; waitFor keeps waiting', workflowId: instance.workflowId })],
        ]);
        expect(warnCalls).toEqual([]);
      });

      it('times out without a cause, naming the last phase, when the store recovered but the run did not finish', async () => {
        query([connectionRefused()]);
        const instance = await stored(1);

        const error = await flakyQuery.waitFor(instance.workflowId, { timeoutMs: 200, pollIntervalMs: 20 }).catch((e: unknown) => e);

        expect(error).toMatchObject({ code: 'WAIT_FOR_TIMEOUT', lastPhase: 'Charge' });
        expect((error as Error).cause).toBeUndefined();
        expect(flaky.loads).toBeGreaterThanOrEqual(2);
      });

      it('never waits past the deadline for a read the store does not answer', async () => {
        query();
        const instance = await stored(1);
        flaky.hanging = true;
        const started = Date.now();

        await expect(flakyQuery.waitFor(instance.workflowId, { timeoutMs: 200, pollIntervalMs: 50 })).rejects.toMatchObject({
          code: 'WAIT_FOR_TIMEOUT',
        });
        expect(Date.now() - started).toBeLessThan(1_000);
        expect(flaky.loads).toBe(1);
      });
    });
  });
});
