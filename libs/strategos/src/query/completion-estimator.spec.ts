import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { advanceWrite, counterNamed, createWrite } from '../../test/support/workflow-store.contract';
import { TransitionEngine } from '../engine/transition-engine';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { InMemoryWorkflowStore } from '../persistence/in-memory/in-memory-workflow-store';
import type { TransitionWrite } from '../persistence/workflow-store.interface';
import { WorkflowError } from '../step/workflow-error';
import { CompletionEstimator } from './completion-estimator';

const WORKFLOW = 'estimated';
const definitions = { find: (name: string) => (name === WORKFLOW ? counterNamed(WORKFLOW) : undefined) };
const engine = new TransitionEngine();
const T = Date.UTC(2030, 0, 1);

describe('CompletionEstimator', () => {
  let store: InMemoryWorkflowStore;

  beforeEach(() => {
    store = new InMemoryWorkflowStore();
  });

  async function commit(write: TransitionWrite): Promise<WorkflowInstance> {
    expect(await store.commit([write])).toEqual(['committed']);
    return write.transition.instance;
  }

  /** A run started at `start` whose steps (Reserve, Charge, Confirm) take these ms each. */
  async function run(start: number, durations: readonly number[]): Promise<WorkflowInstance> {
    let at = start;
    let instance = await commit(createWrite(randomUUID(), null, { workflow: WORKFLOW, now: new Date(at) }));
    for (const ms of durations)
      instance = await commit(advanceWrite(instance, randomUUID(), instance.version, { now: new Date((at += ms)) }));
    return instance;
  }

  /** Medians: Reserve 200, Charge 1000, Confirm 500. */
  async function completedRuns(): Promise<void> {
    await run(T, [100, 1_000, 500]);
    await run(T + 10_000, [300, 1_000, 500]);
  }

  it('estimates the rest of the current step plus the medians of the later ones', async () => {
    await completedRuns();
    const estimator = new CompletionEstimator(store, definitions, 50, 0);
    const reserving = await run(T + 20_000, []);

    const now = T + 20_050;
    expect(await estimator.estimate(reserving, now)).toEqual(new Date(now + 150 + 1_000 + 500));
    const charging = await run(T + 30_000, [10]);
    expect(await estimator.estimate(charging, T + 30_010 + 5_000)).toEqual(new Date(T + 30_010 + 5_000 + 500));
  });

  it('counts the time spent in the current step from its start, across retries', async () => {
    await completedRuns();
    const estimator = new CompletionEstimator(store, definitions, 50, 0);
    const charging = await run(T + 20_000, [10]);
    const retry = engine.applyOutcome(
      counterNamed(WORKFLOW),
      charging,
      { kind: 'errored', message: 'flaky', timedOut: false },
      { now: new Date(T + 20_410), newId: randomUUID, random: () => 0.5, causationId: 'test' },
    );
    const retrying = await commit({ inboxMessageId: null, expectedVersion: charging.version, transition: retry, outbox: [] });
    expect(retrying.cursor).toMatchObject({ step: 'Charge', attempt: 2 });

    // Charge started at T + 20_010: 700 ms spent, 300 left, then Confirm.
    const now = T + 20_710;
    expect(await estimator.estimate(retrying, now)).toEqual(new Date(now + 300 + 500));
  });

  it('has no estimate without completed runs, off the forward path, or for a workflow it does not know', async () => {
    const estimator = new CompletionEstimator(store, definitions, 50, 0);
    const early = await run(T, []);
    expect(await estimator.estimate(early, T)).toBeUndefined();

    await completedRuns();
    const done = await run(T + 20_000, [1, 1, 1]);
    expect(done.status).toBe('completed');
    expect(await estimator.estimate(done, T + 20_010)).toBeUndefined();

    const charging = await run(T + 30_000, [10]);
    const context = { now: new Date(T + 30_020), newId: randomUUID, random: () => 0.5, causationId: 'test' };
    const cancelling = engine.requestCancel(counterNamed(WORKFLOW), charging, 'stop', context).instance;
    expect(await estimator.estimate(cancelling, T + 30_030)).toBeUndefined();
    const failed = engine.applyOutcome(
      counterNamed(WORKFLOW),
      charging,
      { kind: 'failed', error: WorkflowError.create('NO', 'no') },
      context,
    ).instance;
    expect(failed.cursor?.role).not.toBe('forward');
    expect(await estimator.estimate(failed, T + 30_030)).toBeUndefined();

    const unknown = new CompletionEstimator(store, { find: () => undefined }, 50, 0);
    expect(await unknown.estimate(charging, T + 30_020)).toBeUndefined();
  });

  it("reuses a workflow's medians for cacheMs, then reads them again", async () => {
    await completedRuns();
    const estimator = new CompletionEstimator(store, definitions, 1, 1_000);
    const confirming = await run(T + 20_000, [10, 10]);
    const now = T + 20_020;
    expect(await estimator.estimate(confirming, now)).toEqual(new Date(now + 500));

    await run(T + 30_000, [10, 10, 9_000]);
    expect(await estimator.estimate(confirming, now + 999)).toEqual(new Date(now + 999)); // the cached 500 ms median is spent
    expect(await estimator.estimate(confirming, now + 1_000)).toEqual(new Date(now + 1_000 + 9_000 - 1_000));
  });
});
