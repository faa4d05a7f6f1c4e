import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { advanceWrite, counterNamed, createWrite } from '../../test/support/workflow-store.contract';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { InMemoryWorkflowStore } from '../persistence/in-memory/in-memory-workflow-store';
import type { Unsubscribe } from '../persistence/terminal-subscriptions';
import { TransitionNotifier } from '../persistence/transition-notifier';
import type { TransitionWrite } from '../persistence/workflow-store.interface';
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
  });
});
