import { Workflow } from '../definition/workflow';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import { deepFreeze } from '../state/deep-freeze';
import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { StepClass, WorkflowStep } from '../step/workflow-step.interface';
import { BRANCH_NO_CASE, CONDITION_ERROR, LOOP_LIMIT_EXCEEDED } from './graph-walk';
import type { StepOutcome } from './step-outcome';
import type { Transition, TransitionContext } from './transition';
import { TransitionEngine } from './transition-engine';
import type { WorkflowInstance } from './workflow-instance';

interface OrderState extends WorkflowState {
  readonly delivery?: 'digital' | 'physical';
  readonly amount?: number;
  readonly complete?: boolean;
}

function stepNamed(name: string): StepClass<OrderState> {
  @Step({ name, retry: { maxAttempts: 2, initialDelayMs: 10 } })
  class NamedStep implements WorkflowStep<OrderState> {
    execute(): StepResult<OrderState> {
      return StepResult.ok();
    }
  }
  return NamedStep;
}

const [Validate, Charge, Refund, Reserve, Release, Ship, SendLink, Confirm, Notify, Close, Request, Withdraw, Review] = [
  'Validate',
  'Charge',
  'Refund',
  'Reserve',
  'Release',
  'Ship',
  'SendLink',
  'Confirm',
  'Notify',
  'Close',
  'Request',
  'Withdraw',
  'Review',
].map(stepNamed);

/** Drives one instance through the engine as the runtime does, answering each command in turn. */
class Run {
  readonly transitions: Transition[] = [];
  instance!: WorkflowInstance;
  private id = 0;
  readonly engine = new TransitionEngine();

  constructor(readonly definition: WorkflowDefinition) {}

  private context(): TransitionContext {
    return { now: new Date('2030-01-01T00:00:00Z'), newId: () => `id-${++this.id}`, random: () => 0.5, causationId: 'cause' };
  }

  start(state: JsonObject = {}): this {
    return this.record(this.engine.start(this.definition, deepFreeze({ workflowId: 'wf-1', ...state }), this.context()));
  }

  outcome(outcome: StepOutcome): this {
    return this.record(this.engine.applyOutcome(this.definition, this.instance, outcome, this.context()));
  }

  ok(patch: JsonObject = {}): this {
    return this.outcome({ kind: 'succeeded', patch });
  }

  fail(code = 'NO'): this {
    return this.outcome({ kind: 'failed', error: { code, message: `${code} happened` } });
  }

  /** Throws on every attempt: the step is exhausted. */
  exhaust(): this {
    this.outcome({ kind: 'errored', message: 'boom', timedOut: false });
    return this.outcome({ kind: 'errored', message: 'boom', timedOut: true });
  }

  retry(): this {
    return this.record(this.engine.retry(this.definition, this.instance, this.context()));
  }

  private record(transition: Transition): this {
    this.transitions.push(transition);
    this.instance = deepFreeze(transition.instance) as WorkflowInstance;
    return this;
  }

  get step(): string | undefined {
    return this.instance.cursor?.step;
  }

  get last(): Transition {
    return this.transitions[this.transitions.length - 1];
  }

  /** Every command issued, as `step/role`. */
  commands(): string[] {
    return this.transitions.flatMap((t) => t.commands.map((c) => `${c.command.step}/${c.command.role}`));
  }

  events(kind: string): JsonObject[] {
    return this.transitions.flatMap((t) => t.events.filter((e) => e.kind === kind).map((e) => e.data));
  }
}

const delivery = () =>
  Workflow.create<OrderState>('delivery')
    .startWith(Validate)
    .then(Charge, { compensate: Refund })
    .branch((s) => s.delivery!, {
      physical: (b) => b.then(Reserve, { compensate: Release }).then(Ship),
      digital: (b) => b.then(SendLink),
    })
    .onFailure(Notify)
    .finally(Confirm);

describe('control flow in the engine', () => {
  describe('branch', () => {
    it('chooses the case in the same transition as the step before it, and rejoins the flow', () => {
      const run = new Run(delivery()).start();
      run.ok({ delivery: 'digital' });
      expect(run.step).toBe('Charge');
      run.ok();

      expect(run.last.commands.map((c) => c.command.step)).toEqual(['SendLink']);
      run.ok();
      expect(run.step).toBe('Confirm');
      run.ok();
      expect(run.instance.status).toBe('completed');
      expect(run.commands()).toEqual(['Validate/forward', 'Charge/forward', 'SendLink/forward', 'Confirm/forward']);
    });

    it('compensates exactly the steps of the case the run took, in reverse order', () => {
      const run = new Run(delivery()).start().ok({ delivery: 'physical' }).ok().ok();
      expect(run.step).toBe('Ship');
      run.fail('CARRIER_DOWN');
      expect(run.step).toBe('Release');
      run.ok();
      expect(run.step).toBe('Refund');
      run.ok().ok();
      expect(run.instance).toMatchObject({ status: 'compensated', error: { code: 'CARRIER_DOWN', step: 'Ship' } });
      expect(run.commands().filter((c) => !c.endsWith('/forward'))).toEqual([
        'Release/compensation',
        'Refund/compensation',
        'Notify/onFailure',
      ]);
    });

    it('fails the run with BRANCH_NO_CASE naming the value when no case and no otherwise match', () => {
      const run = new Run(delivery()).start().ok({ delivery: 'pigeon' }).ok();

      expect(run.instance.error).toMatchObject({ code: BRANCH_NO_CASE, step: 'branch#1', details: { value: 'pigeon' } });
      expect(run.instance.error?.message).toContain('"pigeon"');
      expect(run.step).toBe('Refund');
    });

    it('takes otherwise for any other value', () => {
      const definition = Workflow.create<OrderState>('otherwise')
        .startWith(Validate)
        .branch((s) => s.amount ?? 0, { 0: (b) => b.then(Charge), otherwise: (b) => b.then(Review) })
        .finally(Confirm);
      expect(new Run(definition).start().ok({ amount: 0 }).step).toBe('Charge');
      expect(new Run(definition).start().ok({ amount: 7 }).step).toBe('Review');
    });

    it('runs finally after a branch that is the last construct (Branch -> Finally)', () => {
      const definition = Workflow.create<OrderState>('branch-finally')
        .startWith(Validate)
        .branch((s) => s.delivery!, { digital: (b) => b.then(SendLink), physical: (b) => b.then(Ship) })
        .finally(Confirm);
      const run = new Run(definition).start().ok({ delivery: 'physical' }).ok();
      expect(run.step).toBe('Confirm');
      expect(run.ok().instance.status).toBe('completed');
    });

    it('ends the run early with complete() (finally still runs) or on the failure path with fail()', () => {
      const definition = Workflow.create<OrderState>('early')
        .startWith(Validate)
        .then(Charge, { compensate: Refund })
        .branch((s) => s.delivery!, {
          digital: (b) => b.then(SendLink).complete(),
          physical: (b) => b.fail('NO_SHIPPING', 'we do not ship'),
        })
        .then(Ship)
        .finally(Confirm);
      const completed = new Run(definition).start().ok({ delivery: 'digital' }).ok().ok();
      expect(completed.step).toBe('Confirm');
      expect(completed.ok().instance.status).toBe('completed');
      expect(completed.commands()).not.toContain('Ship/forward');

      const failed = new Run(definition).start().ok({ delivery: 'physical' }).ok();
      expect(failed.instance.error).toMatchObject({ code: 'NO_SHIPPING', message: 'we do not ship', step: 'fail#1' });
      expect(failed.step).toBe('Refund');
      expect(failed.ok().instance.status).toBe('compensated');
    });
  });

  describe('repeatUntil', () => {
    const collect = (maxIterations: number) =>
      Workflow.create<OrderState>('collect')
        .startWith(Validate)
        .repeatUntil(
          (s) => s.complete === true,
          'collect-documents',
          (b) => b.then(Request, { compensate: Withdraw }),
          { maxIterations },
        )
        .finally(Confirm);

    it('checks the condition after each pass and carries the pass in the events and the cursor', () => {
      const run = new Run(collect(5)).start().ok().ok().ok();
      expect(run.instance.cursor).toMatchObject({
        step: 'Request',
        node: 'Request',
        iterations: [{ loop: 'collect-documents', iteration: 3 }],
      });
      run.ok({ complete: true });
      expect(run.step).toBe('Confirm');
      expect(run.instance.cursor?.iterations).toEqual([]);
      expect(run.events('PhaseChanged').filter((e) => e.to === 'Request')).toEqual([
        { from: 'Validate', to: 'Request', loop: 'collect-documents', iteration: 1 },
        { from: 'Request', to: 'Request', loop: 'collect-documents', iteration: 2 },
        { from: 'Request', to: 'Request', loop: 'collect-documents', iteration: 3 },
      ]);
      expect(run.events('StepCompleted').map((e) => e.iteration)).toEqual([undefined, 1, 2, 3]);
    });

    it('fails with LOOP_LIMIT_EXCEEDED past maxIterations and compensates every pass, latest first', () => {
      const run = new Run(collect(3)).start().ok().ok().ok().ok();
      expect(run.instance.error).toMatchObject({ code: LOOP_LIMIT_EXCEEDED, step: 'repeat:collect-documents' });
      const undo = run.events('Compensating')[0];
      expect(undo.steps).toEqual(['Withdraw', 'Withdraw', 'Withdraw']);
      run.ok().ok().ok();
      expect(run.instance.status).toBe('compensated');
      expect(run.commands().filter((c) => c === 'Withdraw/compensation')).toHaveLength(3);
      expect(
        run.transitions.flatMap((t) => t.commands.filter((c) => c.command.role === 'compensation').map((c) => c.command.step)),
      ).toEqual(['Withdraw', 'Withdraw', 'Withdraw']);
    });

    it('runs finally after a loop that is the last construct', () => {
      const run = new Run(collect(2)).start().ok().ok({ complete: true });
      expect(run.step).toBe('Confirm');
      expect(run.ok().instance.status).toBe('completed');
    });

    it('resumes a retried run inside the loop at the pass where it failed', () => {
      // A run that compensated is not retryable: the loop runs Review, which has no compensation.
      const reviews = Workflow.create<OrderState>('reviews')
        .startWith(Validate)
        .repeatUntil(
          (s) => s.complete === true,
          'review',
          (b) => b.then(Review),
          { maxIterations: 5 },
        )
        .finally(Confirm);
      const retried = new Run(reviews).start().ok().ok().ok().fail('REVIEWER_AWAY');
      expect(retried.instance).toMatchObject({
        status: 'failed',
        error: { step: 'Review', iterations: [{ loop: 'review', iteration: 3 }] },
      });
      retried.retry();
      expect(retried.instance.cursor).toMatchObject({ step: 'Review', iterations: [{ loop: 'review', iteration: 3 }] });
      expect(retried.ok().ok().ok({ complete: true }).step).toBe('Confirm');
      expect(
        retried
          .events('PhaseChanged')
          .filter((e) => e.to === 'Review')
          .map((e) => e.iteration),
      ).toEqual([1, 2, 3, 3, 4, 5]);
    });
  });

  describe('validateState', () => {
    it('fails the run with its code right after the step before it, without retry, and compensates', () => {
      const definition = Workflow.create<OrderState>('guarded')
        .startWith(Validate)
        .then(Charge, { compensate: Refund })
        .validateState((s) => (s.amount ?? 0) > 0, 'AMOUNT_NOT_POSITIVE', 'the amount must be positive')
        .finally(Confirm);
      const run = new Run(definition).start().ok().ok({ amount: 0 });
      expect(run.instance.error).toMatchObject({ code: 'AMOUNT_NOT_POSITIVE', message: 'the amount must be positive', step: 'guard#1' });
      expect(run.step).toBe('Refund');
      expect(new Run(definition).start().ok().ok({ amount: 5 }).step).toBe('Confirm');
    });
  });

  describe('a condition that throws', () => {
    it('fails the run with CONDITION_ERROR in the same transition instead of throwing (which would redeliver forever)', () => {
      const definition = Workflow.create<OrderState>('throwing')
        .startWith(Validate)
        .then(Charge, { compensate: Refund })
        .validateState(
          () => {
            throw new Error('bad predicate');
          },
          'NEVER',
          'never',
        )
        .finally(Confirm);
      const run = new Run(definition).start().ok().ok();

      expect(run.instance.error).toMatchObject({ code: CONDITION_ERROR, step: 'guard#1' });
      expect(run.instance.error?.message).toContain('bad predicate');
      expect(run.step).toBe('Refund');
    });
  });

  describe('then(Step, { name })', () => {
    it('runs one class under two names, each its own step with its own command and events', () => {
      const definition = Workflow.create<OrderState>('twice')
        .startWith(Review)
        .then(Charge)
        .then(Review, { name: 'Rereview' })
        .finally(Confirm);
      const run = new Run(definition).start().ok().ok();
      expect(run.last.commands[0].command).toMatchObject({ step: 'Rereview', type: 'ExecuteRereviewCommand' });
      expect(definition.stepsByName.get('Rereview')?.stepClass).toBe(Review);
      expect(run.ok().ok().instance.status).toBe('completed');
    });
  });

  describe('onFailure chain', () => {
    const chained = () =>
      Workflow.create<OrderState>('chained')
        .startWith(Validate)
        .then(Charge, { compensate: Refund })
        .onFailure((f) => f.then(Notify).then(Close))
        .finally(Confirm);

    it('runs after compensation, step by step, each retried by its policy', () => {
      const run = new Run(chained()).start().ok().ok().fail('DECLINED');
      expect(run.step).toBe('Refund');
      run.ok();
      expect(run.step).toBe('Notify');
      run.outcome({ kind: 'errored', message: 'smtp', timedOut: false });
      expect(run.instance.cursor).toMatchObject({ step: 'Notify', role: 'onFailure', attempt: 2 });
      run.ok();
      expect(run.instance.cursor).toMatchObject({ step: 'Close', role: 'onFailure', attempt: 1 });
      run.ok();
      expect(run.instance).toMatchObject({ status: 'compensated', error: { code: 'DECLINED' }, compensationError: null });
    });

    it('ends failed with both errors when a step of the chain fails', () => {
      const run = new Run(chained()).start().ok().ok().fail('DECLINED').ok().ok().exhaust();
      expect(run.commands().slice(-4)).toEqual(['Refund/compensation', 'Notify/onFailure', 'Close/onFailure', 'Close/onFailure']);
      expect(run.instance).toMatchObject({
        status: 'failed',
        error: { code: 'DECLINED', step: 'Confirm' },
        compensationError: { code: 'STEP_EXHAUSTED', step: 'Close' },
      });
      expect(run.events('Failed')).toEqual([
        expect.objectContaining({
          status: 'failed',
          error: expect.objectContaining({ code: 'DECLINED' }),
          compensationError: expect.objectContaining({ step: 'Close' }),
        }),
      ]);
    });
  });

  describe('instances stored before graphs', () => {
    const sequential = () =>
      Workflow.create<OrderState>('sequential')
        .startWith(Validate)
        .then(Charge, { compensate: Refund })
        .then(Reserve, { compensate: Release })
        .then(Ship)
        .finally(Confirm);

    /** The cursor as releases before the graph stored it: no node, path, iterations, undo or since. */
    const oldShape = (instance: WorkflowInstance): WorkflowInstance => {
      const { step, role, attempt, commandId } = instance.cursor!;
      return { ...instance, cursor: { step, role, attempt, commandId } };
    };

    it('continues a forward step and a compensation from the old cursor shape', () => {
      const run = new Run(sequential()).start().ok().ok();
      const forward = run.engine.applyOutcome(
        run.definition,
        oldShape(run.instance),
        { kind: 'succeeded', patch: {} },
        {
          now: new Date(),
          newId: () => 'new-id',
          random: () => 0.5,
          causationId: 'c',
        },
      );
      expect(forward.instance.cursor).toMatchObject({ step: 'Ship', node: 'Ship', role: 'forward' });

      const failing = new Run(sequential()).start().ok().ok().ok().fail('CARRIER_DOWN');
      expect(failing.step).toBe('Release');
      const afterRelease = failing.engine.applyOutcome(
        failing.definition,
        oldShape(failing.instance),
        { kind: 'succeeded', patch: {} },
        {
          now: new Date(),
          newId: () => 'new-id',
          random: () => 0.5,
          causationId: 'c',
        },
      );
      expect(afterRelease.instance.cursor).toMatchObject({ step: 'Refund', role: 'compensation' });
    });
  });
});
