import { Workflow } from '../definition/workflow';
import type { FlowBuilder, ParallelFlowConstructs } from '../definition/flow-builder';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import { deepFreeze } from '../state/deep-freeze';
import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import { prng, stepNamed } from '../../test/support/random-workflows';
import type { StepCommand } from './step-command';
import type { StepOutcome } from './step-outcome';
import type { Transition, TransitionContext } from './transition';
import { TransitionEngine } from './transition-engine';
import { markedStarted } from './fork-join';
import { activePositions, type StepCursor, TERMINAL_STATUSES, type WorkflowInstance } from './workflow-instance';

type State = WorkflowState & Record<string, unknown>;
const KEYS = 4;
const VALUES = ['a', 'b', 'c', 'z'] as const;

/**
 * Builds random nested definitions from every construct: steps (some compensable), branches, loops, guards, forks,
 * waits (signals, approvals, sleeps; inside fork paths too), complete() and fail().
 */
class RandomFlows {
  private steps = 0;
  private loops = 0;
  private signals = 0;
  /** How many forks enclose the construct being built (up to two levels: a fork inside a fork path). */
  private forkDepth = 0;

  constructor(private readonly random: () => number) {}

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private step<B extends ParallelFlowConstructs<State, B>>(flow: B): B {
    const n = this.steps++;
    const compensate = this.random() < 0.5 ? { compensate: stepNamed(`Undo${n}`, 1 + Math.floor(this.random() * 2)) } : {};
    return flow.then(stepNamed(`Step${n}`, 1 + Math.floor(this.random() * 3)), compensate);
  }

  /** Adds 1 to 3 constructs to `flow`; nesting stops at depth 0. */
  constructs<B extends ParallelFlowConstructs<State, B>>(flow: B, depth: number): B {
    let current = flow;
    const count = 1 + Math.floor(this.random() * 3);
    for (let i = 0; i < count; i++) {
      const roll = depth > 0 ? this.random() : 0;
      const key = Math.floor(this.random() * KEYS);
      if (roll < 0.4) current = this.step(current);
      else if (roll < 0.58) {
        const withOtherwise = this.random() < 0.5;
        const cases: Record<string, (b: FlowBuilder<State>) => FlowBuilder<State> | ReturnType<FlowBuilder<State>['complete']>> = {
          a: (b) => this.subFlow(b, depth - 1),
          b: (b) => this.subFlow(b, depth - 1),
        };
        if (withOtherwise) cases.otherwise = (b) => this.subFlow(b, depth - 1);
        current = current.branch((s) => String(s[`k${key}`]), cases as { otherwise: (b: FlowBuilder<State>) => FlowBuilder<State> });
      } else if (roll < 0.68 && this.forkDepth < 2) {
        this.forkDepth++;
        const paths = Array.from(
          { length: 2 + Math.floor(this.random() * 2) },
          () => (b: FlowBuilder<State>) => this.constructs(this.step(b), depth - 1),
        );
        const fork = current.fork(...paths);
        current = fork.join(stepNamed(`Join${this.steps++}`, 1 + Math.floor(this.random() * 2)));
        this.forkDepth--;
      } else if (roll < 0.8) {
        current = this.wait(current, depth);
      } else if (roll < 0.9) {
        const name = `loop-${this.loops++}`;
        current = current.repeatUntil(
          (s) => s[`d${key}`] === true,
          name,
          (b) => this.constructs(this.step(b), depth - 1),
          { maxIterations: 1 + Math.floor(this.random() * 3) },
        );
      } else {
        current = current.validateState((s) => s[`g${key}`] !== false, `GUARD_${key}`, `g${key} is false`);
      }
    }
    return current;
  }

  /** A signal wait (maybe with a timeout, maybe with onTimeout), an approval (maybe with onRejection) or a sleep. */
  private wait<B extends ParallelFlowConstructs<State, B>>(flow: B, depth: number): B {
    const roll = this.random();
    const name = `signal-${this.signals++}`;
    const sub = this.random() < 0.5 ? (b: FlowBuilder<State>) => this.subFlow(b, Math.max(depth - 1, 0)) : undefined;
    const timeout = this.random() < 0.6 ? { timeoutMs: 5_000, ...(sub ? { onTimeout: sub } : {}) } : {};
    if (roll < 0.4) return flow.awaitSignal<{ value: string }>(name, { apply: (s, d) => ({ [name]: d.value }), ...timeout });
    if (roll < 0.7) return flow.awaitApproval(name, { ...(this.random() < 0.5 && sub ? { onRejection: sub } : {}), ...timeout });
    return flow.sleep(1_000);
  }

  private subFlow(flow: FlowBuilder<State>, depth: number) {
    const body = this.constructs(flow, depth);
    const end = this.random();
    // A fork path must reach its join: complete() is refused there.
    if (end < 0.15 && this.forkDepth === 0) return body.complete();
    if (end < 0.25) return body.fail('EARLY_FAIL', 'the case ends the run');
    return body;
  }

  definition(name: string): WorkflowDefinition<State> {
    const start = this.step(Workflow.create<State>(name).startWith(stepNamed('Start', 2)));
    let builder = this.constructs(start, 3);
    const failure = this.random();
    if (failure < 0.3) builder = builder.onFailure(stepNamed('OnFailure', 2));
    else if (failure < 0.6) builder = builder.onFailure((f) => f.then(stepNamed('NotifyA', 2)).then(stepNamed('NotifyB', 1)));
    return builder.finally(stepNamed('Finally', 2));
  }
}

function randomPatch(random: () => number): JsonObject {
  const patch: JsonObject = {};
  for (let key = 0; key < KEYS; key++) {
    if (random() < 0.5) patch[`k${key}`] = VALUES[Math.floor(random() * VALUES.length)];
    if (random() < 0.5) patch[`d${key}`] = random() < 0.5;
    if (random() < 0.3) patch[`g${key}`] = random() < 0.85;
  }
  return patch;
}

function randomOutcome(random: () => number, instance: WorkflowInstance, cursor: StepCursor, calm: boolean): StepOutcome {
  // Calm runs mostly succeed, so that they get deep into nested constructs.
  const roll = calm ? random() * 0.75 : random();
  if (instance.cancelReason !== null && cursor.role === 'forward' && roll < 0.3) return { kind: 'skipped' };
  if (roll < 0.7) return { kind: 'succeeded', patch: randomPatch(random) };
  if (roll < 0.8) return { kind: 'failed', error: { code: 'BUSINESS', message: 'no' } };
  return { kind: 'errored', message: 'boom', timedOut: roll > 0.92 };
}

const SEEDS = 300;

/** Whether a node of `kind` is reached from a fork path's entry before its join. */
function inPaths(definition: WorkflowDefinition, kind: 'wait' | 'fork'): boolean {
  const nodes = definition.graph.nodes;
  const reach = (from: string | null | undefined, seen: Set<string>): boolean => {
    const node = from ? nodes.get(from) : undefined;
    if (!node || seen.has(node.id) || node.kind === 'join') return false;
    seen.add(node.id);
    if (node.kind === kind) return true;
    const next = [
      'next' in node ? node.next : null,
      ...(node.kind === 'branch' ? [...node.cases.map((c) => c.entry), node.otherwise] : []),
      ...(node.kind === 'loop' || node.kind === 'repeat' ? [node.body] : []),
    ];
    return next.some((id) => reach(id, seen));
  };
  return [...nodes.values()].some((node) => node.kind === 'fork' && node.paths.some((entry) => reach(entry, new Set())));
}

/** Across all seeds: which node kinds the definitions had, and which statuses and error codes the runs ended with. */
function coverage(): Set<string> {
  const seen = new Set<string>();
  for (let seed = 0; seed < SEEDS; seed++) {
    const random = prng(seed * 7919 + 13);
    const definition = new RandomFlows(random).definition('random-graph');
    for (const node of definition.graph.nodes.values()) seen.add(node.kind === 'end' ? `end:${node.outcome}` : node.kind);
    if (inPaths(definition, 'wait')) seen.add('wait in fork path');
    if (inPaths(definition, 'fork')) seen.add('fork in fork path');
    if (definition.onFailure.length > 1) seen.add('onFailure chain');
  }
  return seen;
}
const NOW = new Date('2030-01-02T03:04:05.000Z');

/** A parked position moves on: its sleep's timer, its signal wait's timeout, or its signal (an approval approved or rejected). */
function wake(
  engine: TransitionEngine,
  definition: WorkflowDefinition,
  instance: WorkflowInstance,
  cursor: StepCursor,
  random: () => number,
  context: (causationId?: string) => TransitionContext,
): Transition | null {
  const wait = cursor.wait!;
  if (wait.timerId !== undefined && (wait.kind === 'sleep' || random() < 0.3)) {
    return engine.fireTimer(definition, instance, wait.timerId, context(wait.timerId));
  }
  return sendSignal(engine, definition, instance, wait.signal!, random, context);
}

function sendSignal(
  engine: TransitionEngine,
  definition: WorkflowDefinition,
  instance: WorkflowInstance,
  name: string,
  random: () => number,
  context: (causationId?: string) => TransitionContext,
): Transition | null {
  if (![...definition.graph.nodes.values()].some((node) => node.kind === 'wait' && node.signal === name)) return null;
  const payload = { value: VALUES[Math.floor(random() * VALUES.length)], approved: random() < 0.7 };
  const signal = { signalId: `s${Math.floor(random() * 1e9)}`, name, payload, receivedAt: NOW.toISOString() };
  try {
    return engine.receiveSignal(definition, instance, signal, context()).transition;
  } catch (error) {
    expect(error).toMatchObject({ code: 'SIGNAL_NOT_ACCEPTED' });
    return null;
  }
}

/** One run of seed's random definition under random outcomes (and, rarely, a cancel), to its end. */
function simulate(seed: number, calm = false) {
  const random = prng(seed * 7919 + 13);
  const definition = new RandomFlows(random).definition('random-graph');
  const engine = new TransitionEngine();
  let ids = 0;
  const context = (causationId = 'c'): TransitionContext => ({ now: NOW, newId: () => `m${++ids}`, random, causationId });
  const transitions: Transition[] = [];
  const completedForward: string[] = [];
  const compensationsRun: string[] = [];
  /** Each applied step command, with the index of the transition that applied it. */
  const applied: { command: Pick<StepCommand, 'messageId' | 'step' | 'role'>; at: number }[] = [];
  let instance = deepFreeze(engine.start(definition, { workflowId: `wf-${seed}`, ...randomPatch(random) }, context()).instance);
  for (let step = 0; instance.status === 'running'; step++) {
    if (step > 2_000) throw new Error(`seed ${seed}: no terminal status after 2000 transitions`);
    // Inside a fork: any running path may finish next; the runtime records its start before running it.
    const positions = activePositions(instance);
    const cursor = positions[Math.floor(random() * positions.length)];
    const cancellable = instance.fork ? !instance.fork.stopping : cursor.role === 'forward';
    if (cancellable && instance.cancelReason === null && random() < (calm ? 0.002 : 0.03)) {
      const cancel = engine.requestCancel(definition, instance, 'random cancel', context());
      transitions.push(cancel);
      instance = deepFreeze(cancel.instance);
      continue;
    }
    if (cursor.wait) {
      const transition = wake(engine, definition, instance, cursor, random, context);
      if (transition) transitions.push(transition);
      instance = deepFreeze(transition?.instance ?? instance);
      continue;
    }
    if (random() < 0.05) {
      // A signal sent early is kept for its wait (or refused once the run is cancelling or failing).
      const transition = sendSignal(engine, definition, instance, `signal-${Math.floor(random() * 6)}`, random, context);
      if (transition) transitions.push(transition);
      instance = deepFreeze(transition?.instance ?? instance);
      continue;
    }
    if (random() < 0.5) instance = deepFreeze(markedStarted(instance, cursor.commandId, NOW.toISOString()));
    const outcome = randomOutcome(random, instance, cursor, calm);
    const transition = engine.applyOutcome(definition, instance, outcome, context(cursor.commandId));
    if (outcome.kind === 'succeeded' && cursor.role === 'forward') completedForward.push(cursor.step);
    if (cursor.role === 'compensation' && transition.events.some((e) => e.kind === 'StepCompleted')) compensationsRun.push(cursor.step);
    applied.push({ command: { messageId: cursor.commandId, step: cursor.step, role: cursor.role }, at: transitions.length });
    transitions.push(transition);
    instance = deepFreeze(transition.instance);
  }
  return { definition, instance, transitions, completedForward, compensationsRun, applied };
}

describe('control flow under random definitions and outcomes', () => {
  it('generates every construct', () => {
    expect([...coverage()].sort()).toEqual([
      'branch',
      'end:complete',
      'end:fail',
      'fork',
      'fork in fork path',
      'guard',
      'join',
      'loop',
      'onFailure chain',
      'repeat',
      'step',
      'wait',
      'wait in fork path',
    ]);
  });

  it('ends runs in every terminal status and fails them at branches, loop limits, guards, fail(), timeouts and rejections; paths park', () => {
    const endings = new Set<string>();
    for (let seed = 0; seed < SEEDS; seed++) {
      const { instance, transitions } = simulate(seed);
      endings.add(instance.status);
      const events = transitions.flatMap((t) => t.events);
      if (events.some((e) => e.kind === 'Waiting' && e.data.path !== undefined)) endings.add('(a path parked)');
      if (events.some((e) => e.kind === 'TimerFired' && e.data.path !== undefined)) endings.add('(a path timer fired)');
      if (instance.error) endings.add(instance.error.code.replace(/_\d+$/, ''));
    }
    expect([...endings].filter((ending) => !['BUSINESS', 'STEP_EXHAUSTED'].includes(ending)).sort()).toEqual([
      '(a path parked)',
      '(a path timer fired)',
      'APPROVAL_REJECTED',
      'BRANCH_NO_CASE',
      'EARLY_FAIL',
      'GUARD',
      'LOOP_LIMIT_EXCEEDED',
      'SIGNAL_TIMEOUT',
      'cancelled',
      'compensated',
      'completed',
      'failed',
    ]);
  });

  it('takes an applied command off the instance for good (so step commands need no inbox entry)', () => {
    const engine = new TransitionEngine();
    for (let seed = 0; seed < SEEDS; seed++) {
      for (const calm of [false, true]) {
        const { transitions, applied } = simulate(seed, calm);
        for (const { command, at } of applied) {
          const currentAgain = transitions.slice(at).findIndex((transition) => engine.isCurrent(transition.instance, command));
          expect({ seed, calm, command, currentAgain }).toEqual({ seed, calm, command, currentAgain: -1 });
        }
      }
    }
  });

  it('joins nested forks once per pass when outcomes are mostly successful', () => {
    let joined = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      const { definition, instance, transitions } = simulate(seed, true);
      expect(TERMINAL_STATUSES.has(instance.status)).toBe(true);
      const events = transitions.flatMap((t) => t.events);
      // Every nested join's step was entered once per run of its nested fork: once per PhaseChanged from that join.
      const nestedJoins = events.filter((e) => e.kind === 'PhaseChanged' && String(e.data.from).startsWith('join#'));
      for (const entered of nestedJoins) {
        const join = definition.graph.nodes.get(String(entered.data.from));
        expect(join?.kind === 'join' ? join.next : undefined).toBe(entered.data.to);
      }
      joined += nestedJoins.length;
    }
    expect(joined).toBeGreaterThan(0);
  });

  it.each(Array.from({ length: SEEDS }, (_, seed) => seed))(
    'ends in exactly one terminal status and compensates each completed compensable step once, latest first (seed %i)',
    (seed) => {
      const { definition, instance, transitions, completedForward, compensationsRun } = simulate(seed);

      expect(TERMINAL_STATUSES.has(instance.status)).toBe(true);
      const terminalEvents = transitions.flatMap((t) => t.events).filter((e) => ['Completed', 'Failed', 'Cancelled'].includes(e.kind));
      expect(terminalEvents).toHaveLength(1);
      expect(instance.completedSteps).toEqual(completedForward);

      const due = [...completedForward]
        .reverse()
        .map((name) => definition.stepsByName.get(name)?.compensation?.name)
        .filter((name): name is string => name !== undefined);
      if (instance.status === 'completed') {
        expect(compensationsRun).toEqual([]);
      } else if (instance.compensationError?.step.startsWith('Undo')) {
        // A compensation failed: the ones before it ran, in order, once each.
        expect(due.slice(0, compensationsRun.length)).toEqual(compensationsRun);
        expect(due[compensationsRun.length]).toBe(instance.compensationError.step);
      } else {
        expect(compensationsRun).toEqual(due);
        expect(instance.status).toBe(
          instance.cancelReason !== null ? 'cancelled' : due.length > 0 && !instance.compensationError ? 'compensated' : 'failed',
        );
      }
    },
  );
});
