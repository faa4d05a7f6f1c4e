import { Workflow } from '../definition/workflow';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import { deepFreeze } from '../state/deep-freeze';
import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { StepClass, WorkflowStep } from '../step/workflow-step.interface';
import { markedStarted } from './path-positions';
import { reissuedCommands } from './reissued-commands';
import type { StepOutcome } from './step-outcome';
import type { Transition, TransitionContext } from './transition';
import { TransitionEngine } from './transition-engine';
import { activePositions, type WorkflowInstance } from './workflow-instance';

const TRACE = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function stepNamed(name: string, initialDelayMs: number): StepClass<WorkflowState> {
  @Step({ name, retry: { maxAttempts: 3, initialDelayMs, maxDelayMs: Math.max(initialDelayMs, 1), jitter: 0 } })
  class NamedStep implements WorkflowStep<WorkflowState> {
    execute(): StepResult<WorkflowState> {
      return StepResult.ok();
    }
  }
  return NamedStep;
}

const [Score, Fraud, Reserve, Decide] = ['Score', 'Fraud', 'Reserve', 'Decide'].map((name) => stepNamed(name, 0));
const Slow = stepNamed('Slow', 5_000);

const linear = () => Workflow.create<WorkflowState>('linear').startWith(Score).then(Slow).then(Decide).build();
const forked = () =>
  Workflow.create<WorkflowState>('forked')
    .startWith(Score)
    .fork(
      (p) => p.then(Fraud),
      (p) => p.then(Reserve),
    )
    .join(Decide)
    .build();

/** Drives one instance with a clock that moves on a second per transition, as the runtime would. */
class Drive {
  private readonly engine = new TransitionEngine();
  private id = 0;
  private second = 0;
  instance!: WorkflowInstance;
  last!: Transition;

  constructor(private readonly definition: WorkflowDefinition) {
    this.record(this.engine.start(definition, deepFreeze({ workflowId: 'wf-1' }), this.context('start-request')));
  }

  /** Applies `outcome` to the position running `step`, on behalf of its command (the causation). */
  apply(step: string, outcome: StepOutcome): string {
    const commandId = this.commandOf(step);
    this.record(this.engine.applyOutcome(this.definition, this.instance, outcome, this.context(commandId)));
    return commandId;
  }

  commandOf(step: string): string {
    return activePositions(this.instance).find((position) => position.step === step)!.commandId;
  }

  private context(causationId: string): TransitionContext {
    const now = new Date(Date.UTC(2030, 0, 1, 0, 0, this.second++));
    return { now, newId: () => `id-${++this.id}`, random: () => 0.5, causationId, traceparent: TRACE };
  }

  private record(transition: Transition): void {
    this.last = transition;
    this.instance = deepFreeze(transition.instance) as WorkflowInstance;
  }
}

const ok: StepOutcome = { kind: 'succeeded', patch: {} };
const failed: StepOutcome = { kind: 'errored', message: 'down', timedOut: false };

describe('reissuedCommands', () => {
  it('derives the command a step transition issued again: same id, same body, same key order', () => {
    const run = new Drive(linear());
    const scoreCommand = run.apply('Score', ok);
    const reissued = reissuedCommands(run.instance, scoreCommand, TRACE);
    expect(reissued).toEqual(run.last.commands.map((scheduled) => scheduled.command));
    expect(reissued.map((command) => JSON.stringify(command))).toEqual(run.last.commands.map((c) => JSON.stringify(c.command)));
  });

  it('derives every path command a fork transition issued', () => {
    const run = new Drive(forked());
    const scoreCommand = run.apply('Score', ok);
    expect(run.last.commands).toHaveLength(2);
    expect(reissuedCommands(run.instance, scoreCommand, TRACE)).toEqual(run.last.commands.map((scheduled) => scheduled.command));

    // One path moves on: only the other path's command is still waiting for the fork's transition.
    run.apply('Fraud', ok);
    expect(reissuedCommands(run.instance, scoreCommand, TRACE).map((command) => command.step)).toEqual(['Reserve']);
  });

  it('keeps the issue time of an immediate retry (its createdAt), not the time the run entered the step', () => {
    const run = new Drive(linear());
    run.apply('Score', ok);
    run.apply('Slow', ok);
    const failedAttempt = run.apply('Decide', failed);
    expect(run.last.commands[0].availableAt).toBe(run.instance.updatedAt);
    const reissued = reissuedCommands(run.instance, failedAttempt, TRACE);
    expect(reissued).toEqual([run.last.commands[0].command]);
    expect(reissued[0]).toMatchObject({ attempt: 2, createdAt: run.instance.updatedAt });
    expect(run.instance.cursor!.since).not.toBe(run.instance.updatedAt);
  });

  it('derives nothing for a delayed retry (its outbox row sends it), another message, or a step that started', () => {
    const delayed = new Drive(linear());
    delayed.apply('Score', ok);
    const slowAttempt = delayed.apply('Slow', failed);
    expect(delayed.last.commands[0].availableAt > delayed.instance.updatedAt).toBe(true);
    expect(reissuedCommands(delayed.instance, slowAttempt)).toEqual([]);

    const run = new Drive(linear());
    const scoreCommand = run.apply('Score', ok);
    expect(reissuedCommands(run.instance, 'some-other-message')).toEqual([]);
    const started = markedStarted(run.instance, run.commandOf('Slow'), '2030-01-01T00:00:09.000Z');
    expect(reissuedCommands(started, scoreCommand)).toEqual([]);
  });

  it('derives nothing once the run has ended', () => {
    const run = new Drive(linear());
    run.apply('Score', ok);
    run.apply('Slow', ok);
    const last = run.apply('Decide', ok);
    expect(run.instance.status).toBe('completed');
    expect(reissuedCommands(run.instance, last)).toEqual([]);
  });
});
