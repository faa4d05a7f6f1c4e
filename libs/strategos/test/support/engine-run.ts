import type { WorkflowDefinition } from '../../src/definition/workflow-definition';
import type { StepOutcome } from '../../src/engine/step-outcome';
import type { Transition, TransitionContext } from '../../src/engine/transition';
import { TransitionEngine } from '../../src/engine/transition-engine';
import { activePositions, type StepCursor, type WorkflowInstance } from '../../src/engine/workflow-instance';
import { deepFreeze } from '../../src/state/deep-freeze';
import type { JsonObject } from '../../src/state/workflow-state.interface';

/** Drives one instance through the engine as the runtime does; a path's step is answered by its step name. */
export class EngineRun {
  readonly transitions: Transition[] = [];
  instance!: WorkflowInstance;
  private id = 0;
  readonly engine = new TransitionEngine();

  constructor(readonly definition: WorkflowDefinition) {}

  private context(causationId = 'cause'): TransitionContext {
    return { now: new Date('2030-01-01T00:00:00Z'), newId: () => `id-${++this.id}`, random: () => 0.5, causationId };
  }

  start(state: JsonObject = {}): this {
    return this.record(this.engine.start(this.definition, deepFreeze({ workflowId: 'wf-1', ...state }), this.context()));
  }

  /** The active position running `step`. */
  at(step: string): StepCursor {
    const position = activePositions(this.instance).find((p) => p.step === step);
    if (!position) throw new Error(`no active position at ${step}; active: ${this.active().join(', ')}`);
    return position;
  }

  active(): string[] {
    return activePositions(this.instance).map((p) => p.step);
  }

  outcome(step: string, outcome: StepOutcome): this {
    const position = this.at(step);
    expect(this.engine.isCurrent(this.instance, { messageId: position.commandId, step, role: position.role })).toBe(true);
    return this.record(this.engine.applyOutcome(this.definition, this.instance, outcome, this.context(position.commandId)));
  }

  ok(step: string, patch: JsonObject = {}): this {
    return this.outcome(step, { kind: 'succeeded', patch });
  }

  fail(step: string, code = 'NO'): this {
    return this.outcome(step, { kind: 'failed', error: { code, message: `${code} happened` } });
  }

  started(step: string): this {
    const position = this.at(step);
    const fork = this.instance.fork;
    const instance = fork
      ? {
          ...this.instance,
          fork: {
            ...fork,
            paths: fork.paths.map((p) =>
              p.cursor?.commandId === position.commandId ? { ...p, cursor: { ...p.cursor, startedAt: 'now' } } : p,
            ),
          },
        }
      : { ...this.instance, cursor: { ...this.instance.cursor!, startedAt: 'now' } };
    this.instance = deepFreeze(instance) as WorkflowInstance;
    return this;
  }

  cancel(): this {
    return this.record(this.engine.requestCancel(this.definition, this.instance, 'stop', this.context()));
  }

  /** Sends the signal `name`; returns what became of it. */
  signal(name: string, payload: JsonObject = {}): string {
    const received = { signalId: `signal-${++this.id}`, name, payload, receivedAt: '2030-01-01T00:00:00Z' };
    const { disposition, transition } = this.engine.receiveSignal(this.definition, this.instance, received, this.context());
    if (transition) this.record(transition);
    return disposition;
  }

  /** Fires the timer `timerId`. */
  timer(timerId: string): this {
    const transition = this.engine.fireTimer(this.definition, this.instance, timerId, this.context(timerId));
    if (!transition) throw new Error(`timer ${timerId} changed nothing`);
    return this.record(transition);
  }

  private record(transition: Transition): this {
    this.transitions.push(transition);
    this.instance = deepFreeze(transition.instance) as WorkflowInstance;
    return this;
  }

  get last(): Transition {
    return this.transitions[this.transitions.length - 1];
  }

  commands(): string[] {
    return this.transitions.flatMap((t) => t.commands.map((c) => `${c.command.step}/${c.command.role}`));
  }

  events(kind: string): JsonObject[] {
    return this.transitions.flatMap((t) => t.events.filter((e) => e.kind === kind).map((e) => e.data));
  }
}
