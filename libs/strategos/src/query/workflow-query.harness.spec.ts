import 'reflect-metadata';
import { Inject, Injectable } from '@nestjs/common';
import { Workflow } from '../definition/workflow';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import type { StepContext } from '../step/step-context.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import { WorkflowError } from '../step/workflow-error';
import type { StepClass, WorkflowStep } from '../step/workflow-step.interface';
import { StrategosTestHarness } from '../testing/strategos-test-harness';
import type { HistoryEntry } from './workflow-view';

interface ScriptedState extends WorkflowState {
  readonly seed: number;
  readonly [output: string]: unknown;
}

/** One execution of a step, with the state the runtime handed it. */
interface Execution {
  readonly step: string;
  readonly attempt: number;
  readonly state: JsonObject;
}

/** Records what every step execution received. */
@Injectable()
class ExecutionRecorder {
  readonly executions = new Map<string, Execution[]>();

  record(context: StepContext, state: Readonly<ScriptedState>): void {
    const list = this.executions.get(context.workflowId) ?? [];
    list.push({ step: context.stepName, attempt: context.attempt, state: structuredClone(state) as unknown as JsonObject });
    this.executions.set(context.workflowId, list);
  }
}

/** A number in [0, 1) fixed by the workflow's seed, the step and the attempt: each run is scripted by its seed. */
function roll(seed: number, step: string, attempt: number): number {
  let h = (seed * 2654435761) >>> 0;
  for (const char of `${step}:${attempt}`) h = Math.imul(h ^ char.charCodeAt(0), 16777619) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 2246822507) >>> 0;
  return ((h ^ (h >>> 13)) >>> 0) / 4294967296;
}

/** A step that succeeds with a patch overwriting shared keys, fails, or throws (retried), as the seed says. */
function scriptedStep(name: string): StepClass<ScriptedState> {
  @Step({ name, retry: { maxAttempts: 3, initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 } })
  class ScriptedStep implements WorkflowStep<ScriptedState> {
    constructor(@Inject(ExecutionRecorder) private readonly recorder: ExecutionRecorder) {}

    execute(state: Readonly<ScriptedState>, context: StepContext): StepResult<ScriptedState> {
      this.recorder.record(context, state);
      const r = roll(state.seed, name, context.attempt);
      if (r < 0.2) throw new Error(`${name} is flaky`);
      if (r < 0.28) return StepResult.fail(WorkflowError.create('SCRIPTED_FAILURE', `${name} said no`));
      const key = ['shared', 'other', name][Math.floor(r * 1_000) % 3];
      return StepResult.ok({
        [key]: { by: name, attempt: context.attempt, value: Math.floor(r * 1e6) },
        last: name,
      } as Partial<ScriptedState>);
    }
  }
  return ScriptedStep;
}

const scripted: WorkflowDefinition<ScriptedState> = Workflow.create<ScriptedState>('scripted-replay')
  .startWith(scriptedStep('Reserve'), { compensate: scriptedStep('Release') })
  .then(scriptedStep('Charge'), { compensate: scriptedStep('Refund') })
  .then(scriptedStep('Pack'))
  .onFailure(scriptedStep('Notify'))
  .finally(scriptedStep('Ship'));

/** The event that issued the command an execution ran: the step's PhaseChanged, or the StepFailed that scheduled the retry. */
function issuingEvent(history: readonly HistoryEntry[], execution: Execution): HistoryEntry | undefined {
  return execution.attempt === 1
    ? history.find((event) => event.kind === 'PhaseChanged' && event.data.to === execution.step)
    : history.find(
        (event) =>
          event.kind === 'StepFailed' &&
          event.data.step === execution.step &&
          event.data.attempt === execution.attempt - 1 &&
          event.data.willRetry === true,
      );
}

const RUNS = 40;

describe('WorkflowQuery.stateAt on the test harness', () => {
  let harness: StrategosTestHarness;

  beforeAll(async () => {
    harness = await StrategosTestHarness.create({ workflows: [scripted], providers: [ExecutionRecorder] });
  });

  afterAll(() => harness.close());

  it(`rebuilds, for ${RUNS} scripted runs, the exact state the runtime handed each step and stored at the end`, async () => {
    const ids = await Promise.all(
      Array.from({ length: RUNS }, (_, seed) =>
        harness.starter.start(scripted, { workflowId: `replay-${seed}`, seed }).then((r) => r.workflowId),
      ),
    );
    const views = await Promise.all(ids.map((id) => harness.query.waitFor(id, { timeoutMs: 20_000 })));
    const recorder = harness.get(ExecutionRecorder);

    for (const view of views) {
      const history = await harness.query.history(view.workflowId);
      const executions = recorder.executions.get(view.workflowId) ?? [];
      expect(executions.length).toBeGreaterThan(0);
      for (const execution of executions) {
        const issued = issuingEvent(history, execution);
        expect({ execution: `${execution.step}#${execution.attempt}`, issued: issued !== undefined }).toEqual({
          execution: `${execution.step}#${execution.attempt}`,
          issued: true,
        });
        expect(await harness.query.stateAt(view.workflowId, issued?.sequence ?? -1)).toEqual(execution.state);
      }
      const last = history.at(-1);
      expect(await harness.query.stateAt(view.workflowId, last?.sequence ?? -1)).toEqual(view.state);
      const completed = history.find((event) => event.kind === 'Completed');
      if (completed) expect(await harness.query.stateAt(view.workflowId, completed.sequence)).toEqual(completed.data.state);
    }
    // The scripts cover each ending and retries.
    expect(new Set(views.map((view) => view.status))).toEqual(new Set(['completed', 'compensated', 'failed']));
    expect([...recorder.executions.values()].flat().some((execution) => execution.attempt > 1)).toBe(true);
  });

  it('lists the runs a page at a time, in start order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await harness.query.list({ workflow: scripted, limit: 7, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((view) => view.workflowId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(Array.from({ length: RUNS }, (_, seed) => `replay-${seed}`).sort());
    const failed = await harness.query.list({ workflow: 'scripted-replay', status: ['failed', 'compensated'], limit: 500 });
    expect(failed.items.every((view) => view.status === 'failed' || view.status === 'compensated')).toBe(true);
    expect(failed.items.length).toBeGreaterThan(0);
  });
});
