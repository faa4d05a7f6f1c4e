import type { WorkflowDefinition } from '../definition/workflow-definition';
import { deepFreeze } from '../state/deep-freeze';
import { DEFAULT_RETRY_POLICY } from '../step/retry-policy';
import type { StepCommand } from './step-command';
import type { StepOutcome } from './step-outcome';
import type { Transition, TransitionContext } from './transition';
import { TransitionEngine } from './transition-engine';
import { TransitionRejectedError } from './transition-rejected.error';
import type { WorkflowEventKind } from './workflow-event';
import { TERMINAL_STATUSES, type WorkflowInstance, type WorkflowStatus } from './workflow-instance';
import { prng, randomDefinition } from '../../test/support/random-workflows';

function randomOutcome(random: () => number, instance: WorkflowInstance): StepOutcome {
  const roll = random();
  if (instance.cancelReason !== null && instance.cursor?.role === 'forward' && roll < 0.3) return { kind: 'skipped' };
  if (roll < 0.55) return { kind: 'succeeded', patch: { [`at${instance.version}`]: roll } };
  if (roll < 0.7) return { kind: 'failed', error: { code: 'BUSINESS', message: 'no' } };
  return { kind: 'errored', message: 'boom', timedOut: roll > 0.9 };
}

/** The most transitions one run (from start or from a retry to a terminal status) can take. */
function transitionBound(definition: WorkflowDefinition): number {
  const attempts = [...definition.stepsByName.values()].reduce(
    (sum, step) => sum + (step.retry.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts),
    0,
  );
  return attempts + 2; // + the start (or retry) and one cancel request
}

const SEEDS = 400;
const TERMINAL_EVENT: Record<Exclude<WorkflowStatus, 'running'>, WorkflowEventKind> = {
  completed: 'Completed',
  failed: 'Failed',
  compensated: 'Failed',
  cancelled: 'Cancelled',
};
const NOW = new Date('2030-01-02T03:04:05.000Z');

describe('TransitionEngine under random outcomes', () => {
  it.each(Array.from({ length: SEEDS }, (_, seed) => seed))('keeps its invariants (seed %i)', (seed) => {
    const random = prng(seed);
    const engine = new TransitionEngine();
    const definition = randomDefinition(random, 'random-flow');
    let lastId = 0;
    const context = (causationId: string): TransitionContext => ({ now: NOW, newId: () => `m${++lastId}`, random, causationId });
    const issued: StepCommand[] = [];
    let retriesLeft = 2;
    let transitionsThisRun = 0;
    let totalTransitions = 0;

    const first = engine.start(definition, { workflowId: `wf-${seed}` }, context('start'));
    let instance = deepFreeze(first.instance);
    issued.push(...first.commands.map(({ command }) => command));
    expect(first.events.map((event) => event.sequence)).toEqual([1, 2]);

    const accept = (previous: WorkflowInstance, transition: Transition, label: string): void => {
      transitionsThisRun++;
      totalTransitions++;
      const next = transition.instance;
      expect({ label, version: next.version }).toEqual({ label, version: previous.version + 1 });
      expect(transition.events.length).toBeGreaterThan(0);
      expect(transition.events.map((event) => event.sequence)).toEqual(transition.events.map((_, index) => previous.sequence + index + 1));
      expect(next.sequence).toBe(previous.sequence + transition.events.length);
      if (TERMINAL_STATUSES.has(next.status)) {
        expect({ label, commands: transition.commands }).toEqual({ label, commands: [] });
        expect(next.cursor).toBeNull();
        expect(next.completedAt).not.toBeNull();
        expect(transition.events.at(-1)?.kind).toBe(TERMINAL_EVENT[next.status as Exclude<WorkflowStatus, 'running'>]);
      } else if (transition.events.some((event) => event.kind === 'CancelRequested') && previous.cursor?.startedAt !== undefined) {
        // The step in flight finishes first.
        expect(transition.commands).toEqual([]);
        expect(next.cursor).toEqual(previous.cursor);
      } else {
        expect(transition.commands).toHaveLength(1);
        expect(next.cursor?.commandId).toBe(transition.commands[0].command.messageId);
      }
      issued.push(...transition.commands.map(({ command }) => command));
      expect(transitionsThisRun).toBeLessThanOrEqual(transitionBound(definition));
      instance = deepFreeze(next);
    };

    while (totalTransitions < 10 * transitionBound(definition)) {
      if (instance.status === 'running') {
        // Only the command the cursor points at may move the instance; every other one is stale.
        const current = issued.filter((command) => engine.isCurrent(instance, command));
        expect(current.map((command) => command.messageId)).toEqual([instance.cursor?.commandId]);

        if (random() < 0.1) {
          const cancellable = instance.cancelReason === null && instance.cursor?.role === 'forward';
          // Half the time a worker has recorded the step's start (as the runtime does, bumping the version).
          const target =
            instance.cursor && random() < 0.5
              ? deepFreeze({ ...instance, version: instance.version + 1, cursor: { ...instance.cursor, startedAt: NOW.toISOString() } })
              : instance;
          const cancel = () => engine.requestCancel(definition, target, 'random cancel', context('cancel'));
          if (cancellable) accept(target, cancel(), 'cancel');
          else expect(cancel).toThrow(expect.objectContaining({ code: 'WORKFLOW_ALREADY_CANCELLING' }));
          continue;
        }
        const outcome = randomOutcome(random, instance);
        accept(instance, engine.applyOutcome(definition, instance, outcome, context(current[0].messageId)), outcome.kind);
        continue;
      }

      // Terminal: nothing issued is current any more, and a cancel is refused.
      expect(issued.filter((command) => engine.isCurrent(instance, command))).toEqual([]);
      expect(() => engine.requestCancel(definition, instance, 'late', context('cancel'))).toThrow(TransitionRejectedError);
      const retryable =
        instance.status === 'failed' &&
        instance.compensationError === null &&
        definition.stepsByName.get(instance.error?.step ?? '')?.role === 'forward';
      const retry = () => engine.retry(definition, instance, context('retry'));
      if (!retryable) {
        expect(retry).toThrow(expect.objectContaining({ code: 'WORKFLOW_NOT_RETRYABLE' }));
        break;
      }
      if (retriesLeft === 0) break;
      retriesLeft--;
      transitionsThisRun = 0;
      accept(instance, retry(), 'retry');
      expect(instance.cursor).toMatchObject({ role: 'forward', attempt: 1 });
    }

    expect(TERMINAL_STATUSES.has(instance.status)).toBe(true);
    if (instance.status === 'completed') expect(instance.completedSteps).toEqual(definition.steps.map((step) => step.name));
    if (instance.status === 'cancelled') expect(instance.cancelReason).toBe('random cancel');
  });
});
