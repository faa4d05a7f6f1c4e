import { Inject, Injectable, type Type } from '@nestjs/common';
import { initialOrderState, anOrder, processOrder } from '@app/orders';
import {
  Step,
  StepResult,
  Workflow,
  WorkflowError,
  type HistoryEntry,
  type JsonObject,
  type StepContext,
  type WorkflowState,
  type WorkflowStep,
} from '@strategos/nestjs';
import { startProcess } from './support/processes';
import { startApiAndWorkers, type ApiAndWorkers } from './support/api-and-workers';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

interface LedgerState extends WorkflowState {
  readonly script: readonly string[];
  readonly [output: string]: unknown;
}

/** What each step execution received, per workflow. */
@Injectable()
class ReceivedStates {
  readonly byWorkflow = new Map<string, { step: string; attempt: number; state: JsonObject }[]>();

  record(context: StepContext, state: Readonly<LedgerState>): void {
    const list = this.byWorkflow.get(context.workflowId) ?? [];
    list.push({ step: context.stepName, attempt: context.attempt, state: structuredClone(state) as unknown as JsonObject });
    this.byWorkflow.set(context.workflowId, list);
  }
}

/** A step that follows the run's script: `throw:<Step>` fails its first attempt, `fail:<Step>` fails it for good. */
function ledgerStep(name: string) {
  @Step({ name, retry: { maxAttempts: 2, initialDelayMs: 10, multiplier: 1, maxDelayMs: 10 } })
  class LedgerStep implements WorkflowStep<LedgerState> {
    constructor(@Inject(ReceivedStates) private readonly received: ReceivedStates) {}

    execute(state: Readonly<LedgerState>, context: StepContext): StepResult<LedgerState> {
      this.received.record(context, state);
      if (state.script.includes(`throw:${name}`) && context.attempt === 1) throw new Error(`${name} flaked`);
      if (state.script.includes(`fail:${name}`)) return StepResult.fail(WorkflowError.create('SCRIPTED', `${name} refused`));
      // JSONB normalises what it stores (key order, number forms): replay must see what the steps saw.
      return StepResult.ok({
        shared: { by: name, at: context.attempt, big: 12345678901234, ratio: 0.1 + 0.2 },
        [`out${name}`]: ['é', { nested: [null, true] }],
      } as Partial<LedgerState>);
    }
  }
  return LedgerStep;
}

const ledger = Workflow.create<LedgerState>('query-ledger')
  .startWith(ledgerStep('Open'), { compensate: ledgerStep('Reopen') })
  .then(ledgerStep('Post'), { compensate: ledgerStep('Reverse') })
  .then(ledgerStep('Close'))
  .finally(ledgerStep('Report'));

/** The event that issued an execution's command: its step's PhaseChanged, or the StepFailed that scheduled the retry. */
function issuingEvent(history: readonly HistoryEntry[], step: string, attempt: number): HistoryEntry | undefined {
  return attempt === 1
    ? history.find((event) => event.kind === 'PhaseChanged' && event.data.to === step)
    : history.find((event) => event.kind === 'StepFailed' && event.data.step === step && event.data.attempt === attempt - 1);
}

describe('WorkflowQuery on PostgreSQL and RabbitMQ', () => {
  describe('in one process', () => {
    let environment: TestEnvironment;
    let app: TestApp;

    beforeAll(async () => {
      environment = await createTestEnvironment();
      const steps = [...ledger.stepsByName.values()].map((step) => step.stepClass as unknown as Type<unknown>);
      app = await startTestApp(environment, [ledger], [ReceivedStates, ...steps]);
    });

    afterAll(async () => {
      await app.close();
      await environment.cleanup([ledger]);
    });

    it('rebuilds from the stored log the state each step was handed, and the final one', async () => {
      const scripts = [[], ['throw:Post'], ['fail:Close'], ['throw:Open', 'fail:Post'], ['throw:Report']];
      const ids = await Promise.all(
        scripts.map(
          async (script) =>
            (await app.starter.start(ledger, { workflowId: `ledger-${environment.schema}-${script.join('-') || 'plain'}`, script }))
              .workflowId,
        ),
      );
      const views = await Promise.all(ids.map((id) => app.query.waitFor(id, { timeoutMs: 30_000 })));
      expect(views.map((view) => view.status)).toEqual(['completed', 'completed', 'compensated', 'compensated', 'completed']);

      const received = app.app.get(ReceivedStates);
      for (const view of views) {
        const history = await app.query.history(view.workflowId);
        const executions = received.byWorkflow.get(view.workflowId) ?? [];
        expect(executions.length).toBeGreaterThanOrEqual(2);
        for (const { step, attempt, state } of executions) {
          const issued = issuingEvent(history, step, attempt);
          expect({ step, attempt, state: await app.query.stateAt(view.workflowId, issued?.sequence ?? -1) }).toEqual({
            step,
            attempt,
            state,
          });
        }
        expect(await app.query.stateAt(view.workflowId, history.at(-1)?.sequence ?? -1)).toEqual(view.state);
      }
    });

    it('lists its workflows a page at a time, filtered by status', async () => {
      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const page = await app.query.list({ workflow: ledger, limit: 2, ...(cursor ? { cursor } : {}) });
        pages.push(page.items.map((view) => view.workflowId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
      expect(new Set(pages.flat()).size).toBe(5);
      const compensated = await app.query.list({ workflow: 'query-ledger', status: 'compensated' });
      expect(compensated.items.map((view) => view.status)).toEqual(['compensated', 'compensated']);
      expect(compensated.nextCursor).toBeUndefined();
    });
  });

  describe('with the steps in a worker process', () => {
    let system: ApiAndWorkers;
    let environment: TestEnvironment;
    let api: TestApp;

    beforeAll(async () => {
      system = await startApiAndWorkers(0);
      ({ environment, api } = system);
    });

    afterAll(() => system.stop());

    it('wakes waitFor in the API process by notice, and estimates the completion of a waiting run', async () => {
      const worker = startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env);
      let ids: string[];
      try {
        await worker.waitForOutput('worker-ready');
        ids = [];
        for (let i = 0; i < 4; i++) ids.push((await api.starter.start(processOrder, initialOrderState())).workflowId);
        // An invalid order fails at ValidateOrder (a declined card would race the reservation's fork path: failed or compensated).
        ids.push((await api.starter.start(processOrder, initialOrderState(anOrder({ items: [] })))).workflowId);

        // No poll comes before the deadline (where waitFor reads once more): only the worker's notices can end these waits early.
        const waiting = Date.now();
        const views = await Promise.all(ids.map((id) => api.query.waitFor(id, { timeoutMs: 45_000, pollIntervalMs: 120_000 })));
        expect(views.map((view) => view.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'failed']);
        expect(Date.now() - waiting).toBeLessThan(30_000);
      } finally {
        await worker.stop();
      }

      // With no worker, a new run waits in its first step: its estimate comes from the completed runs.
      const { workflowId } = await api.starter.start(processOrder, initialOrderState());
      const view = await api.query.get(workflowId);
      expect(view).toMatchObject({ status: 'running', phase: 'ValidateOrder' });
      expect(view?.estimatedCompletionAt?.getTime()).toBeGreaterThanOrEqual(view?.updatedAt.getTime() ?? Number.NaN);
      const running = await api.query.list({ workflow: processOrder, status: 'running' });
      expect(running.items.map((item) => item.workflowId)).toEqual([workflowId]);
      expect(running.items[0].estimatedCompletionAt).toBeInstanceOf(Date);
      const all = await api.query.list({ workflow: processOrder, limit: 500 });
      expect(all.items.map((item) => item.workflowId)).toEqual([...ids, workflowId]);
    });
  });
});
