import { Workflow } from '../definition/workflow';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import { deepFreeze } from '../state/deep-freeze';
import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import { type RetryPolicy } from '../step/retry-policy';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { StepClass, WorkflowStep } from '../step/workflow-step.interface';
import type { StepOutcome } from './step-outcome';
import type { Transition, TransitionContext } from './transition';
import { STEP_EXHAUSTED, STEP_NOT_IN_DEFINITION, TransitionEngine } from './transition-engine';
import { TransitionRejectedError } from './transition-rejected.error';
import type { WorkflowEvent } from './workflow-event';
import type { WorkflowInstance } from './workflow-instance';

const T0 = new Date('2030-01-02T03:04:05.000Z');
const at = (ms: number): string => new Date(T0.getTime() + ms).toISOString();

function stepNamed(name: string, retry?: Partial<RetryPolicy>): StepClass {
  @Step({ name, retry })
  class NamedStep implements WorkflowStep<WorkflowState> {
    execute(): StepResult<WorkflowState> {
      return StepResult.ok();
    }
  }
  return NamedStep;
}

const [StepA, StepB, StepC, StepD] = ['StepA', 'StepB', 'StepC', 'StepD'].map((name) => stepNamed(name));
/** Four forward steps, nothing to compensate, no onFailure. */
const fourSteps = Workflow.create('four-steps').startWith(StepA).then(StepB).then(StepC).finally(StepD);

const ValidateOrder = stepNamed('ValidateOrder');
const ProcessPayment = stepNamed('ProcessPayment', { maxAttempts: 4, initialDelayMs: 100, multiplier: 3, maxDelayMs: 1_000 });
const RefundPayment = stepNamed('RefundPayment');
const ReserveInventory = stepNamed('ReserveInventory');
const ReleaseInventory = stepNamed('ReleaseInventory');
const FulfillOrder = stepNamed('FulfillOrder');
const SendConfirmation = stepNamed('SendConfirmation');
const SendFailureNotification = stepNamed('SendFailureNotification');

const sagaSteps = () =>
  Workflow.create('process-order')
    .startWith(ValidateOrder)
    .then(ProcessPayment, { compensate: RefundPayment })
    .then(ReserveInventory, { compensate: ReleaseInventory })
    .then(FulfillOrder);
/** The API's example: two compensable steps, then a step that can fail, with an onFailure step. */
const processOrder = sagaSteps().onFailure(SendFailureNotification).finally(SendConfirmation);
/** The same without onFailure. */
const processOrderNoOnFailure = sagaSteps().finally(SendConfirmation);

/**
 * Drives one instance through the engine the way the runtime does: a fixed clock, sequential ids,
 * random 0.5, each instance deep-frozen before it goes back in (so a mutation by the engine throws).
 */
class Run {
  readonly transitions: Transition[] = [];
  instance!: WorkflowInstance;
  /** Milliseconds after T0 of the next transition. */
  clockMs = 0;
  random = 0.5;
  private lastId = 0;

  constructor(
    public definition: WorkflowDefinition,
    readonly engine = new TransitionEngine(),
  ) {}

  context(causationId: string): TransitionContext {
    return { now: new Date(T0.getTime() + this.clockMs), newId: () => `id-${++this.lastId}`, random: () => this.random, causationId };
  }

  start(state: JsonObject = { workflowId: 'wf-1' }): Transition {
    return this.record(this.engine.start(this.definition, deepFreeze(state), this.context('start-request')));
  }

  succeed(patch: JsonObject = {}): Transition {
    return this.outcome({ kind: 'succeeded', patch });
  }

  fail(code: string, message = `${code} happened`, details?: JsonObject): Transition {
    return this.outcome({ kind: 'failed', error: details ? { code, message, details } : { code, message } });
  }

  error(message = 'boom', timedOut = false): Transition {
    return this.outcome({ kind: 'errored', message, timedOut });
  }

  skip(): Transition {
    return this.outcome({ kind: 'skipped' });
  }

  /** Cancels while the current step runs (a worker recorded its start). */
  cancel(reason = 'customer asked'): Transition {
    this.markStarted();
    return this.cancelBeforeStart(reason);
  }

  /** Cancels while the current command waits for a worker (or for its retry delay). */
  cancelBeforeStart(reason = 'customer asked'): Transition {
    return this.record(this.engine.requestCancel(this.definition, this.instance, reason, this.context('cancel-request')));
  }

  /** What the runtime records when a worker starts the current step: `cursor.startedAt`, and a new version. */
  markStarted(): void {
    const { cursor } = this.instance;
    if (cursor && cursor.startedAt === undefined) {
      this.instance = deepFreeze({
        ...this.instance,
        version: this.instance.version + 1,
        cursor: { ...cursor, startedAt: T0.toISOString() },
      });
    }
  }

  retry(): Transition {
    return this.record(this.engine.retry(this.definition, this.instance, this.context('retry-request')));
  }

  /** Applies an outcome of the command the instance waits for. */
  outcome(outcome: StepOutcome): Transition {
    const cursor = this.instance.cursor;
    const commandId = cursor?.commandId;
    if (
      !cursor ||
      commandId === undefined ||
      !this.engine.isCurrent(this.instance, { messageId: commandId, step: cursor.step, role: cursor.role })
    ) {
      throw new Error(`no current command to apply ${outcome.kind} to (status ${this.instance.status})`);
    }
    return this.record(this.engine.applyOutcome(this.definition, this.instance, outcome, this.context(commandId)));
  }

  /** Plays a script on the current commands: 'ok' succeeds, 'fail' fails with a business error, 'cancel' asks to cancel. */
  play(...script: readonly ('ok' | 'fail' | 'cancel')[]): void {
    for (const action of script) {
      if (action === 'ok') this.succeed();
      else if (action === 'fail') this.fail('BUSINESS_RULE');
      else this.cancel();
    }
  }

  /** Succeeds each step the instance waits for until `step` is current. */
  succeedUntil(step: string): void {
    while (this.instance.cursor?.step !== step) this.succeed();
  }

  get events(): WorkflowEvent[] {
    return this.transitions.flatMap((transition) => transition.events);
  }

  get commands() {
    return this.transitions.flatMap((transition) => transition.commands.map((scheduled) => scheduled.command));
  }

  private record(transition: Transition): Transition {
    this.transitions.push(transition);
    this.instance = deepFreeze(transition.instance);
    this.clockMs += 1_000;
    return transition;
  }
}

const kinds = (transition: Transition) => transition.events.map((event) => event.kind);
const issued = (transition: Transition) => transition.commands.map(({ command }) => [command.step, command.role, command.attempt]);

function rejection(action: () => unknown): TransitionRejectedError {
  try {
    action();
  } catch (error) {
    if (error instanceof TransitionRejectedError) return error;
    throw error;
  }
  throw new Error('expected the engine to reject the request');
}

describe('TransitionEngine', () => {
  describe('start', () => {
    it('records Started, then PhaseChanged from NotStarted to the first step, with sequences 1 and 2', () => {
      const run = new Run(fourSteps);

      const { events } = run.start({ workflowId: 'wf-1', amount: 10 });

      expect(events).toEqual([
        {
          eventId: 'id-1',
          type: 'FourStepsStarted',
          kind: 'Started',
          workflowId: 'wf-1',
          workflowName: 'four-steps',
          sequence: 1,
          timestamp: at(0),
          data: { state: { workflowId: 'wf-1', amount: 10 } },
        },
        {
          eventId: 'id-2',
          type: 'FourStepsPhaseChanged',
          kind: 'PhaseChanged',
          workflowId: 'wf-1',
          workflowName: 'four-steps',
          sequence: 2,
          timestamp: at(0),
          data: { from: 'NotStarted', to: 'StepA' },
        },
      ]);
    });

    it('issues one command for the first step: attempt 1, idempotency key workflowId:step, deliverable now', () => {
      const run = new Run(fourSteps);

      const { commands } = run.start();

      expect(commands).toEqual([
        {
          availableAt: at(0),
          command: {
            messageId: 'id-3',
            type: 'ExecuteStepACommand',
            workflowId: 'wf-1',
            workflowName: 'four-steps',
            step: 'StepA',
            role: 'forward',
            attempt: 1,
            idempotencyKey: 'wf-1:StepA',
            correlationId: 'wf-1',
            causationId: 'start-request',
            createdAt: at(0),
          },
        },
      ]);
    });

    it('creates a running instance at version 1 whose cursor waits for that command', () => {
      const run = new Run(fourSteps);

      const { instance, commands } = run.start({ workflowId: 'wf-1', amount: 10 });

      expect(instance).toEqual({
        workflowId: 'wf-1',
        workflowName: 'four-steps',
        state: { workflowId: 'wf-1', amount: 10 },
        phase: 'StepA',
        status: 'running',
        version: 1,
        sequence: 2,
        cursor: {
          step: 'StepA',
          role: 'forward',
          attempt: 1,
          commandId: commands[0].command.messageId,
          node: 'StepA',
          path: 'main',
          iterations: [],
          since: '2030-01-02T03:04:05.000Z',
          issuedBy: 'start-request',
        },
        completedSteps: [],
        error: null,
        compensationError: null,
        cancelReason: null,
        startedAt: at(0),
        updatedAt: at(0),
        completedAt: null,
      });
      expect(Object.isFrozen(instance)).toBe(true);
    });

    it('puts the trace context on the commands it issues when tracing is on', () => {
      const context: TransitionContext = { now: T0, newId: () => 'id', random: () => 0.5, causationId: 'c', traceparent: '00-abc-def-01' };

      const { commands } = new TransitionEngine().start(fourSteps, { workflowId: 'wf-1' }, context);

      expect(commands[0].command.traceparent).toBe('00-abc-def-01');
    });
  });

  describe('isCurrent', () => {
    it("is true only for the cursor's command while the instance runs", () => {
      const run = new Run(fourSteps);
      const first = run.start().commands[0].command;

      expect(run.engine.isCurrent(run.instance, first)).toBe(true);
      expect(run.engine.isCurrent(run.instance, { ...first, messageId: 'some-other-id' })).toBe(false);
    });

    it('is false for a command with the current message id but another step or role', () => {
      const run = new Run(fourSteps);
      const first = run.start().commands[0].command;

      expect(run.engine.isCurrent(run.instance, { ...first, step: 'ProcessPayment' })).toBe(false);
      expect(run.engine.isCurrent(run.instance, { ...first, role: 'compensation' })).toBe(false);
      expect(run.engine.isCurrent(run.instance, { ...first, role: 'onFailure' })).toBe(false);
    });

    it('is false for a command the instance has moved past, and for a retried attempt once re-issued', () => {
      const run = new Run(fourSteps);
      const first = run.start().commands[0].command;
      const retried = run.error().commands[0].command;
      run.succeed();

      expect(run.engine.isCurrent(run.instance, first)).toBe(false);
      expect(run.engine.isCurrent(run.instance, retried)).toBe(false);
      expect(run.engine.isCurrent(run.instance, run.commands.at(-1)!)).toBe(true);
    });

    it('is false for every command once the instance is terminal', () => {
      const run = new Run(fourSteps);
      run.start();
      run.fail('NOPE');

      expect(run.instance.status).toBe('failed');
      for (const command of run.commands) expect(run.engine.isCurrent(run.instance, command)).toBe(false);
    });
  });

  describe('the happy path', () => {
    it('runs four steps in order and completes', () => {
      const run = new Run(fourSteps);
      run.start({ workflowId: 'wf-1', input: 'x' });

      const a = run.succeed({ a: 1 });
      const b = run.succeed({ b: 2 });
      const c = run.succeed({ c: 3, a: 10 });
      const d = run.succeed({ d: 4 });

      expect([a, b, c].map(kinds)).toEqual([
        ['StepCompleted', 'PhaseChanged'],
        ['StepCompleted', 'PhaseChanged'],
        ['StepCompleted', 'PhaseChanged'],
      ]);
      expect([a, b, c].map((t) => t.events[1].data)).toEqual([
        { from: 'StepA', to: 'StepB' },
        { from: 'StepB', to: 'StepC' },
        { from: 'StepC', to: 'StepD' },
      ]);
      expect([a, b, c, d].map(issued)).toEqual([[['StepB', 'forward', 1]], [['StepC', 'forward', 1]], [['StepD', 'forward', 1]], []]);
      expect(kinds(d)).toEqual(['StepCompleted', 'Completed']);
      expect(c.events[0].data).toEqual({ step: 'StepC', attempt: 1, patch: { c: 3, a: 10 } });
      expect(d.events[1].data).toEqual({ state: { workflowId: 'wf-1', input: 'x', a: 10, b: 2, c: 3, d: 4 } });
    });

    it('ends completed, in phase Completed, without a cursor, with completedAt and the merged state', () => {
      const run = new Run(fourSteps);
      run.start({ workflowId: 'wf-1' });
      ['StepA', 'StepB', 'StepC', 'StepD'].forEach((step, index) => run.succeed({ [step]: index }));

      expect(run.instance).toMatchObject({
        status: 'completed',
        phase: 'Completed',
        cursor: null,
        completedAt: at(4_000),
        updatedAt: at(4_000),
        startedAt: at(0),
        completedSteps: ['StepA', 'StepB', 'StepC', 'StepD'],
        state: { workflowId: 'wf-1', StepA: 0, StepB: 1, StepC: 2, StepD: 3 },
        error: null,
      });
    });

    it('numbers events 1, 2, 3... without gaps and adds 1 to the version per transition', () => {
      const run = new Run(fourSteps);
      run.start();
      for (let i = 0; i < 4; i++) run.succeed();

      expect(run.events.map((event) => event.sequence)).toEqual(run.events.map((_, index) => index + 1));
      expect(run.transitions.map((t) => t.instance.version)).toEqual([1, 2, 3, 4, 5]);
      expect(run.instance.sequence).toBe(run.events.length);
    });

    it('ignores undefined values in a patch and keeps the state of earlier steps', () => {
      const run = new Run(fourSteps);
      run.start({ workflowId: 'wf-1', kept: 'yes' });

      run.succeed({ kept: undefined } as unknown as JsonObject);

      expect(run.instance.state).toEqual({ workflowId: 'wf-1', kept: 'yes' });
    });

    it('fails the step without retry, keeping the state, when its patch changes workflowId', () => {
      const run = new Run(fourSteps);
      run.start({ workflowId: 'wf-1' });

      const transition = run.succeed({ workflowId: 'wf-2', other: 1 });

      expect(transition.events[0]).toMatchObject({
        kind: 'StepFailed',
        data: { step: 'StepA', code: 'STATE_WORKFLOW_ID_CHANGED', willRetry: false },
      });
      expect(transition.commands).toEqual([]);
      expect(run.instance).toMatchObject({
        status: 'failed',
        state: { workflowId: 'wf-1' },
        error: { code: 'STATE_WORKFLOW_ID_CHANGED', step: 'StepA' },
      });
      expect(run.instance.state).not.toHaveProperty('other');
    });
  });

  describe('technical errors', () => {
    it('retries a step with attempts left: StepFailed with willRetry, the same step again with attempt+1 after the delay', () => {
      const run = new Run(fourSteps);
      run.start();
      const first = run.instance.cursor!;

      const transition = run.error('connection reset');

      expect(transition.events.map((event) => [event.kind, event.data])).toEqual([
        ['StepFailed', { step: 'StepA', attempt: 1, code: 'STEP_ERROR', message: 'connection reset', willRetry: true, retryInMs: 200 }],
      ]);
      expect(transition.commands).toHaveLength(1);
      const [{ command, availableAt }] = transition.commands;
      expect(command).toMatchObject({
        step: 'StepA',
        role: 'forward',
        attempt: 2,
        idempotencyKey: 'wf-1:StepA',
        type: 'ExecuteStepACommand',
      });
      expect(command.messageId).not.toBe(first.commandId);
      expect(availableAt).toBe(at(1_000 + 200));
      expect(run.instance).toMatchObject({
        status: 'running',
        phase: 'StepA',
        cursor: { step: 'StepA', attempt: 2, commandId: command.messageId },
      });
    });

    it('records a timeout as STEP_TIMEOUT', () => {
      const run = new Run(fourSteps);
      run.start();

      expect(run.error('step timed out after 30000 ms', true).events[0].data).toMatchObject({ code: 'STEP_TIMEOUT', willRetry: true });
    });

    it("spaces attempts by the step's retry policy, filled in by the engine's default", () => {
      const run = new Run(
        processOrder,
        new TransitionEngine({ maxAttempts: 9, initialDelayMs: 1, multiplier: 1, maxDelayMs: 1, jitter: 0 }),
      );
      run.start();
      run.succeed();

      const delays = [run.error(), run.error(), run.error(), run.error()].map((t) => t.events[0].data.retryInMs);

      // ProcessPayment: @Step retry { maxAttempts: 4, initialDelayMs: 100, multiplier: 3, maxDelayMs: 1000 }
      expect(delays).toEqual([100, 300, 900, undefined]);
      expect(run.instance.error).toMatchObject({ code: STEP_EXHAUSTED, step: 'ProcessPayment' });
    });

    it("uses the engine's default policy for a step that sets none", () => {
      const run = new Run(
        fourSteps,
        new TransitionEngine({ maxAttempts: 2, initialDelayMs: 50, multiplier: 2, maxDelayMs: 1_000, jitter: 0 }),
      );
      run.start();

      expect(run.error().commands[0].availableAt).toBe(at(1_000 + 50));
      expect(run.error().commands).toEqual([]);
      expect(run.instance.status).toBe('failed');
    });

    it("applies jitter with the context's random number", () => {
      const run = new Run(
        fourSteps,
        new TransitionEngine({ maxAttempts: 3, initialDelayMs: 1_000, multiplier: 2, maxDelayMs: 10_000, jitter: 0.5 }),
      );
      run.start();
      run.random = 0;

      expect(run.error().commands[0].availableAt).toBe(at(1_000 + 500));
    });

    it('takes the failure path with STEP_EXHAUSTED and the last message once attempts are used up', () => {
      const run = new Run(fourSteps);
      run.start();
      run.error('first');
      run.error('second');

      const last = run.error('third');

      expect(last.events.map((event) => [event.kind, event.data])).toEqual([
        ['StepFailed', { step: 'StepA', attempt: 3, code: STEP_EXHAUSTED, message: 'third', willRetry: false }],
        ['Failed', { status: 'failed', error: { code: STEP_EXHAUSTED, message: 'third', step: 'StepA' } }],
      ]);
      expect(last.commands).toEqual([]);
      expect(run.instance).toMatchObject({
        status: 'failed',
        phase: 'Failed',
        error: { code: STEP_EXHAUSTED, message: 'third', step: 'StepA' },
      });
    });

    it('moves on normally when a retried attempt succeeds, recording its attempt', () => {
      const run = new Run(fourSteps);
      run.start();
      run.error();

      const transition = run.succeed({ done: true });

      expect(transition.events[0].data).toEqual({ step: 'StepA', attempt: 2, patch: { done: true } });
      expect(issued(transition)).toEqual([['StepB', 'forward', 1]]);
    });
  });

  describe('business failure', () => {
    it('fails a first step without compensation: status failed, phase Failed, the error and a Failed event', () => {
      const run = new Run(fourSteps);
      run.start();

      const transition = run.fail('INVALID_ORDER', 'The order has no items');

      expect(transition.events.map((event) => [event.kind, event.data])).toEqual([
        ['StepFailed', { step: 'StepA', attempt: 1, code: 'INVALID_ORDER', message: 'The order has no items', willRetry: false }],
        ['Failed', { status: 'failed', error: { code: 'INVALID_ORDER', message: 'The order has no items', step: 'StepA' } }],
      ]);
      expect(transition.events.map((event) => event.type)).toEqual(['FourStepsStepFailed', 'FourStepsFailed']);
      expect(transition.commands).toEqual([]);
      expect(run.instance).toMatchObject({
        status: 'failed',
        phase: 'Failed',
        cursor: null,
        completedAt: at(1_000),
        error: { code: 'INVALID_ORDER', message: 'The order has no items', step: 'StepA' },
        compensationError: null,
      });
    });

    it('keeps the details of the business error', () => {
      const run = new Run(fourSteps);
      run.start();

      run.fail('OUT_OF_STOCK', 'Out of stock', { sku: 'A' });

      expect(run.instance.error).toEqual({ code: 'OUT_OF_STOCK', message: 'Out of stock', step: 'StepA', details: { sku: 'A' } });
    });

    it('never retries a business failure, even with attempts left', () => {
      const run = new Run(processOrder);
      run.start();
      run.succeed();

      const transition = run.fail('PAYMENT_DECLINED');

      expect(transition.commands.map(({ command }) => command.step)).not.toContain('ProcessPayment');
      expect(transition.events[0].data.willRetry).toBe(false);
    });

    it('runs onFailure when there is nothing to compensate, then ends failed', () => {
      const run = new Run(processOrder);
      run.start();

      const failed = run.fail('INVALID_ORDER');

      expect(kinds(failed)).toEqual(['StepFailed', 'PhaseChanged']);
      expect(failed.events[1].data).toEqual({ from: 'ValidateOrder', to: 'SendFailureNotification' });
      expect(issued(failed)).toEqual([['SendFailureNotification', 'onFailure', 1]]);
      expect(run.instance).toMatchObject({ status: 'running', phase: 'SendFailureNotification' });

      const notified = run.succeed();

      expect(kinds(notified)).toEqual(['StepCompleted', 'Failed']);
      expect(notified.commands).toEqual([]);
      expect(run.instance).toMatchObject({ status: 'failed', phase: 'Failed', error: { code: 'INVALID_ORDER', step: 'ValidateOrder' } });
    });
  });

  describe('compensation', () => {
    function failAtFulfillment(definition: WorkflowDefinition): Run {
      const run = new Run(definition);
      run.start({ workflowId: 'wf-1' });
      run.succeed({ valid: true });
      run.succeed({ paymentId: 'p-1' });
      run.succeed({ reservation: 'r-1' });
      return run;
    }

    it('after a failure following two compensable steps, compensates in reverse order, then runs onFailure and ends compensated', () => {
      const run = failAtFulfillment(processOrder);

      const failed = run.fail('CARRIER_DOWN', 'No carrier available');
      expect(failed.events.map((event) => [event.kind, event.data])).toEqual([
        ['StepFailed', { step: 'FulfillOrder', attempt: 1, code: 'CARRIER_DOWN', message: 'No carrier available', willRetry: false }],
        ['Compensating', { from: 'FulfillOrder', reason: 'CARRIER_DOWN', steps: ['ReleaseInventory', 'RefundPayment'] }],
        ['PhaseChanged', { from: 'Compensating', to: 'ReleaseInventory' }],
      ]);
      expect(issued(failed)).toEqual([['ReleaseInventory', 'compensation', 1]]);

      const released = run.succeed();
      expect(kinds(released)).toEqual(['StepCompleted', 'PhaseChanged']);
      expect(released.events[1].data).toEqual({ from: 'ReleaseInventory', to: 'RefundPayment' });
      expect(issued(released)).toEqual([['RefundPayment', 'compensation', 1]]);

      const refunded = run.succeed();
      expect(refunded.events.map((event) => [event.kind, event.data])).toEqual([
        ['StepCompleted', { step: 'RefundPayment', attempt: 1, patch: {} }],
        ['Compensated', { steps: ['ReleaseInventory', 'RefundPayment'] }],
        ['PhaseChanged', { from: 'Compensated', to: 'SendFailureNotification' }],
      ]);
      expect(issued(refunded)).toEqual([['SendFailureNotification', 'onFailure', 1]]);

      const notified = run.succeed();
      expect(notified.events.map((event) => [event.kind, event.data])).toEqual([
        ['StepCompleted', { step: 'SendFailureNotification', attempt: 1, patch: {} }],
        ['Failed', { status: 'compensated', error: { code: 'CARRIER_DOWN', message: 'No carrier available', step: 'FulfillOrder' } }],
      ]);
      expect(notified.commands).toEqual([]);
      expect(run.instance).toMatchObject({
        status: 'compensated',
        phase: 'Compensated',
        cursor: null,
        completedAt: at(7_000),
        error: { code: 'CARRIER_DOWN', step: 'FulfillOrder' },
        compensationError: null,
        state: { workflowId: 'wf-1', valid: true, paymentId: 'p-1', reservation: 'r-1' },
      });
    });

    it('issues each compensation as its own command, with its own idempotency key and role compensation', () => {
      const run = failAtFulfillment(processOrder);
      run.fail('CARRIER_DOWN');
      run.succeed();

      const compensations = run.commands.filter((command) => command.role === 'compensation');

      expect(compensations.map(({ type, step, attempt, idempotencyKey }) => ({ type, step, attempt, idempotencyKey }))).toEqual([
        { type: 'ExecuteReleaseInventoryCommand', step: 'ReleaseInventory', attempt: 1, idempotencyKey: 'wf-1:ReleaseInventory' },
        { type: 'ExecuteRefundPaymentCommand', step: 'RefundPayment', attempt: 1, idempotencyKey: 'wf-1:RefundPayment' },
      ]);
      expect(new Set(compensations.map((command) => command.messageId)).size).toBe(2);
    });

    it('without onFailure, ends compensated right after the last compensation', () => {
      const run = failAtFulfillment(processOrderNoOnFailure);
      run.fail('CARRIER_DOWN');
      run.succeed();

      const refunded = run.succeed();

      expect(kinds(refunded)).toEqual(['StepCompleted', 'Compensated', 'Failed']);
      expect(refunded.events[2].data).toMatchObject({ status: 'compensated' });
      expect(refunded.commands).toEqual([]);
      expect(run.instance).toMatchObject({ status: 'compensated', phase: 'Compensated', cursor: null });
    });

    it('compensates only the steps that completed: a failure of the second step undoes nothing', () => {
      const run = new Run(processOrderNoOnFailure);
      run.start();
      run.succeed();

      const failed = run.fail('PAYMENT_DECLINED');

      expect(kinds(failed)).toEqual(['StepFailed', 'Failed']);
      expect(run.instance).toMatchObject({ status: 'failed', phase: 'Failed' });
    });

    it('takes the failure path after an exhausted step just as after a business failure', () => {
      const run = new Run(processOrderNoOnFailure);
      run.start();
      run.succeed();
      run.succeed();
      run.error('db down');
      run.error('db down');

      const exhausted = run.error('db still down');

      expect(exhausted.events[1]).toMatchObject({ kind: 'Compensating', data: { reason: STEP_EXHAUSTED, steps: ['RefundPayment'] } });
      expect(issued(exhausted)).toEqual([['RefundPayment', 'compensation', 1]]);
    });

    it('retries a compensation that throws, keeping its role', () => {
      const run = failAtFulfillment(processOrder);
      run.fail('CARRIER_DOWN');

      const retried = run.error('timeout');

      expect(issued(retried)).toEqual([['ReleaseInventory', 'compensation', 2]]);
      expect(run.instance.phase).toBe('ReleaseInventory');
    });

    it.each([
      [
        'a business failure',
        (run: Run) => run.fail('REFUND_REFUSED', 'Refund refused'),
        { code: 'REFUND_REFUSED', message: 'Refund refused', step: 'ReleaseInventory' },
      ],
      [
        'exhausted retries',
        (run: Run) => {
          run.error('x');
          run.error('y');
          return run.error('z');
        },
        { code: STEP_EXHAUSTED, message: 'z', step: 'ReleaseInventory' },
      ],
    ])(
      'ends failed with both errors and issues nothing more when a compensation fails with %s',
      (_, failCompensation, compensationError) => {
        const run = failAtFulfillment(processOrder);
        run.fail('CARRIER_DOWN', 'No carrier');

        const transition = failCompensation(run);

        expect(transition.commands).toEqual([]);
        expect(kinds(transition)).toEqual(['StepFailed', 'Failed']);
        expect(transition.events[1].data).toEqual({
          status: 'failed',
          error: { code: 'CARRIER_DOWN', message: 'No carrier', step: 'FulfillOrder' },
          compensationError,
        });
        expect(run.instance).toMatchObject({
          status: 'failed',
          phase: 'Failed',
          cursor: null,
          error: { code: 'CARRIER_DOWN', step: 'FulfillOrder' },
          compensationError,
        });
        expect(run.commands.map((command) => command.step)).not.toContain('RefundPayment');
        expect(run.commands.map((command) => command.role)).not.toContain('onFailure');
      },
    );

    it.each([
      ['a business failure', (run: Run) => run.fail('SMTP_REJECTED')],
      [
        'exhausted retries',
        (run: Run) => {
          run.error();
          run.error();
          return run.error();
        },
      ],
    ])('ends failed when onFailure fails with %s, recording the original error and the onFailure one', (_, failOnFailure) => {
      const run = failAtFulfillment(processOrder);
      run.fail('CARRIER_DOWN');
      run.succeed();
      run.succeed();

      const transition = failOnFailure(run);

      expect(transition.commands).toEqual([]);
      expect(kinds(transition)).toEqual(['StepFailed', 'Failed']);
      expect(run.instance).toMatchObject({
        status: 'failed',
        phase: 'Failed',
        cursor: null,
        error: { code: 'CARRIER_DOWN' },
        compensationError: { step: 'SendFailureNotification' },
      });
      expect(transition.events[1].data).toMatchObject({
        status: 'failed',
        error: { code: 'CARRIER_DOWN' },
        compensationError: { step: 'SendFailureNotification' },
      });
    });

    it('retries an onFailure step that throws', () => {
      const run = new Run(processOrder);
      run.start();
      run.fail('INVALID_ORDER');

      expect(issued(run.error())).toEqual([['SendFailureNotification', 'onFailure', 2]]);
    });
  });

  describe('cancel', () => {
    it('records CancelRequested on a running forward step without issuing a command', () => {
      const run = new Run(processOrder);
      run.start();
      run.succeed();
      run.markStarted();
      const before = run.instance;

      const transition = run.cancel('customer changed their mind');

      expect(transition.events.map((event) => [event.kind, event.data])).toEqual([
        ['CancelRequested', { reason: 'customer changed their mind', step: 'ProcessPayment' }],
      ]);
      expect(transition.commands).toEqual([]);
      expect(run.instance).toMatchObject({
        status: 'running',
        phase: 'ProcessPayment',
        cancelReason: 'customer changed their mind',
        cursor: before.cursor,
        version: before.version + 1,
        sequence: before.sequence + 1,
      });
      expect(
        run.engine.isCurrent(run.instance, { messageId: before.cursor!.commandId, step: before.cursor!.step, role: before.cursor!.role }),
      ).toBe(true);
    });

    it('takes effect at once when the current step has not started: compensation starts, the waiting command is stale', () => {
      const run = new Run(processOrder);
      run.start();
      run.succeed();
      run.succeed({ paymentId: 'p-1' });
      const waiting = run.instance.cursor!;

      const transition = run.cancelBeforeStart('fraud suspected');

      expect(transition.events.map((event) => [event.kind, event.data])).toEqual([
        ['CancelRequested', { reason: 'fraud suspected', step: 'ReserveInventory' }],
        ['Compensating', { from: 'ReserveInventory', reason: 'fraud suspected', steps: ['RefundPayment'] }],
        ['PhaseChanged', { from: 'Compensating', to: 'RefundPayment' }],
      ]);
      expect(issued(transition)).toEqual([['RefundPayment', 'compensation', 1]]);
      expect(run.engine.isCurrent(run.instance, { messageId: waiting.commandId, step: waiting.step, role: waiting.role })).toBe(false);
      run.succeed();
      expect(run.instance).toMatchObject({ status: 'cancelled', phase: 'Cancelled', completedSteps: ['ValidateOrder', 'ProcessPayment'] });
    });

    it('ends cancelled at once when the current step has not started and nothing completed has a compensation', () => {
      const run = new Run(processOrder);
      run.start();

      const transition = run.cancelBeforeStart();

      expect(kinds(transition)).toEqual(['CancelRequested', 'Cancelled']);
      expect(transition.commands).toEqual([]);
      expect(run.instance).toMatchObject({ status: 'cancelled', phase: 'Cancelled', cursor: null, completedSteps: [] });
    });

    it('after the step in flight succeeds, compensates it and the earlier steps, then ends cancelled without running onFailure', () => {
      const run = new Run(processOrder);
      run.start();
      run.succeed();
      run.succeed({ paymentId: 'p-1' });
      run.cancel('fraud suspected');

      const reserved = run.succeed({ reservation: 'r-1' });
      expect(reserved.events.map((event) => [event.kind, event.data])).toEqual([
        ['StepCompleted', { step: 'ReserveInventory', attempt: 1, patch: { reservation: 'r-1' } }],
        ['Compensating', { from: 'ReserveInventory', reason: 'fraud suspected', steps: ['ReleaseInventory', 'RefundPayment'] }],
        ['PhaseChanged', { from: 'Compensating', to: 'ReleaseInventory' }],
      ]);
      expect(issued(reserved)).toEqual([['ReleaseInventory', 'compensation', 1]]);

      run.succeed();
      const refunded = run.succeed();

      expect(refunded.events.map((event) => [event.kind, event.data])).toEqual([
        ['StepCompleted', { step: 'RefundPayment', attempt: 1, patch: {} }],
        ['Compensated', { steps: ['ReleaseInventory', 'RefundPayment'] }],
        ['Cancelled', { reason: 'fraud suspected' }],
      ]);
      expect(refunded.commands).toEqual([]);
      expect(run.instance).toMatchObject({ status: 'cancelled', phase: 'Cancelled', cursor: null, completedAt: at(6_000), error: null });
      expect(run.commands.map((command) => command.role)).not.toContain('onFailure');
      expect(run.events.map((event) => event.kind)).not.toContain('Failed');
    });

    it('ends cancelled at once when nothing completed has a compensation', () => {
      const run = new Run(processOrder);
      run.start();
      run.cancel();

      const transition = run.succeed();

      expect(kinds(transition)).toEqual(['StepCompleted', 'Cancelled']);
      expect(transition.commands).toEqual([]);
      expect(run.instance).toMatchObject({ status: 'cancelled', phase: 'Cancelled', completedSteps: ['ValidateOrder'] });
    });

    it("takes a 'skipped' outcome after a cancel as: the step did not run, compensate what did", () => {
      const run = new Run(processOrder);
      run.start();
      run.succeed();
      run.succeed();
      run.error('broker hiccup');
      run.cancel();

      const skipped = run.skip();

      expect(kinds(skipped)).toEqual(['Compensating', 'PhaseChanged']);
      expect(skipped.events[0].data).toMatchObject({ from: 'ReserveInventory', steps: ['RefundPayment'] });
      expect(run.instance.completedSteps).toEqual(['ValidateOrder', 'ProcessPayment']);
      run.succeed();
      expect(run.instance).toMatchObject({ status: 'cancelled', phase: 'Cancelled' });
    });

    it('compensates and ends cancelled when the step in flight fails after the cancel, keeping its error', () => {
      const run = new Run(processOrder);
      run.start();
      run.succeed();
      run.succeed();
      run.cancel();

      run.fail('OUT_OF_STOCK');
      run.succeed();

      expect(run.instance).toMatchObject({
        status: 'cancelled',
        phase: 'Cancelled',
        error: { code: 'OUT_OF_STOCK', step: 'ReserveInventory' },
      });
      expect(run.commands.map((command) => command.role)).not.toContain('onFailure');
    });

    it('rejects a second cancel with WORKFLOW_ALREADY_CANCELLING', () => {
      const run = new Run(processOrder);
      run.start();
      run.cancel();

      const error = rejection(() => run.cancel());

      expect(error).toMatchObject({ name: 'TransitionRejectedError', code: 'WORKFLOW_ALREADY_CANCELLING', workflowId: 'wf-1' });
    });

    it('rejects a cancel on the failure path (compensating, onFailure) with WORKFLOW_ALREADY_CANCELLING', () => {
      const run = new Run(processOrder);
      run.start();
      run.succeed();
      run.succeed();
      run.fail('OUT_OF_STOCK');
      expect(run.instance.cursor?.role).toBe('compensation');
      expect(rejection(() => run.cancel()).code).toBe('WORKFLOW_ALREADY_CANCELLING');

      run.succeed();
      expect(run.instance.cursor?.role).toBe('onFailure');
      expect(rejection(() => run.cancel()).code).toBe('WORKFLOW_ALREADY_CANCELLING');
    });

    it.each([
      ['completed', ['ok', 'ok', 'ok', 'ok', 'ok']],
      ['failed', ['fail', 'ok']],
      ['compensated', ['ok', 'ok', 'fail', 'ok', 'ok']],
      ['cancelled', ['cancel', 'ok']],
    ] as const)('rejects a cancel of a %s workflow with WORKFLOW_NOT_RUNNING', (status, script) => {
      const run = new Run(processOrder);
      run.start();
      run.play(...script);
      expect(run.instance.status).toBe(status);

      expect(rejection(() => run.cancel())).toMatchObject({ code: 'WORKFLOW_NOT_RUNNING', workflowId: 'wf-1' });
    });
  });

  describe('retry', () => {
    function failAtStepC(): Run {
      const run = new Run(fourSteps);
      run.start({ workflowId: 'wf-1' });
      run.succeed({ a: 1 });
      run.succeed({ b: 2 });
      run.fail('UPSTREAM_REJECTED', 'Upstream rejected');
      return run;
    }

    it('resumes a failed workflow at the failed step with attempt 1 and a Retried event', () => {
      const run = failAtStepC();
      const failedVersion = run.instance.version;

      const transition = run.retry();

      expect(transition.events.map((event) => [event.kind, event.data])).toEqual([
        ['Retried', { step: 'StepC', previousError: { code: 'UPSTREAM_REJECTED', message: 'Upstream rejected' } }],
        ['PhaseChanged', { from: 'Failed', to: 'StepC' }],
      ]);
      expect(transition.commands).toEqual([
        {
          availableAt: at(4_000),
          command: expect.objectContaining({
            step: 'StepC',
            role: 'forward',
            attempt: 1,
            idempotencyKey: 'wf-1:StepC',
            causationId: 'retry-request',
          }),
        },
      ]);
      expect(run.instance).toMatchObject({
        status: 'running',
        phase: 'StepC',
        error: null,
        completedAt: null,
        completedSteps: ['StepA', 'StepB'],
        version: failedVersion + 1,
      });
    });

    it('lets a retried workflow complete with the state of the steps before the failure', () => {
      const run = failAtStepC();
      run.retry();

      run.succeed({ c: 3 });
      run.succeed({ d: 4 });

      expect(run.instance).toMatchObject({
        status: 'completed',
        phase: 'Completed',
        state: { workflowId: 'wf-1', a: 1, b: 2, c: 3, d: 4 },
      });
      expect(run.events.map((event) => event.sequence)).toEqual(run.events.map((_, index) => index + 1));
    });

    it('gives an exhausted step fresh attempts', () => {
      const run = new Run(fourSteps);
      run.start();
      run.error();
      run.error();
      run.error();
      expect(run.instance.error?.code).toBe(STEP_EXHAUSTED);

      run.retry();

      expect(run.instance.cursor).toMatchObject({ step: 'StepA', attempt: 1 });
      expect(run.error().events[0].data).toMatchObject({ attempt: 1, willRetry: true });
    });

    it('retries a failed workflow whose onFailure step already ran', () => {
      const run = new Run(processOrder);
      run.start();
      run.fail('INVALID_ORDER');
      run.succeed();
      expect(run.instance.status).toBe('failed');

      run.retry();

      expect(run.instance).toMatchObject({ status: 'running', cursor: { step: 'ValidateOrder', role: 'forward', attempt: 1 } });
    });

    it.each([
      ['completed', ['ok', 'ok', 'ok', 'ok', 'ok']],
      ['compensated', ['ok', 'ok', 'fail', 'ok']],
      ['cancelled', ['cancel', 'ok']],
      ['running', []],
    ] as const)('rejects a retry of a %s workflow with WORKFLOW_NOT_RETRYABLE', (status, script) => {
      const run = new Run(processOrderNoOnFailure);
      run.start();
      run.play(...script);
      expect(run.instance.status).toBe(status);

      expect(rejection(() => run.retry())).toMatchObject({ code: 'WORKFLOW_NOT_RETRYABLE', workflowId: 'wf-1' });
    });

    it('rejects a retry of a workflow whose compensation failed', () => {
      const run = new Run(processOrderNoOnFailure);
      run.start();
      run.succeed();
      run.succeed();
      run.fail('OUT_OF_STOCK');
      run.fail('REFUND_REFUSED');
      expect(run.instance.status).toBe('failed');

      expect(rejection(() => run.retry()).code).toBe('WORKFLOW_NOT_RETRYABLE');
    });

    it('rejects a retry when the failed step is no longer in the definition', () => {
      const run = failAtStepC();
      run.definition = Workflow.create('four-steps').startWith(StepA).then(StepB).finally(StepD);

      expect(rejection(() => run.retry()).code).toBe('WORKFLOW_NOT_RETRYABLE');
    });
  });

  describe('a current step that is no longer in the definition', () => {
    it('fails the workflow with STEP_NOT_IN_DEFINITION and ignores the outcome', () => {
      const run = new Run(fourSteps);
      run.start({ workflowId: 'wf-1' });
      run.succeed();
      run.definition = Workflow.create('four-steps').startWith(StepA).then(StepC).finally(StepD);

      const transition = run.succeed({ ignored: true });

      expect(kinds(transition)).toEqual(['Failed']);
      expect(transition.commands).toEqual([]);
      expect(run.instance).toMatchObject({
        status: 'failed',
        phase: 'Failed',
        cursor: null,
        state: { workflowId: 'wf-1' },
        error: { code: STEP_NOT_IN_DEFINITION, step: 'StepB', message: expect.stringContaining('StepB') },
      });
    });

    it('fails the workflow when the step is still defined but no longer in the same role', () => {
      const run = new Run(fourSteps);
      run.start();
      run.succeed();
      run.definition = Workflow.create('four-steps').startWith(StepA, { compensate: StepB }).then(StepC).finally(StepD);

      run.succeed();

      expect(run.instance.error).toMatchObject({ code: STEP_NOT_IN_DEFINITION, step: 'StepB' });
    });

    it('resumes at that step on retry once a definition that has it is deployed again', () => {
      const run = new Run(fourSteps);
      run.start();
      run.succeed();
      run.definition = Workflow.create('four-steps').startWith(StepA).then(StepC).finally(StepD);
      run.succeed();

      run.definition = fourSteps;
      run.retry();
      [0, 1, 2].forEach(() => run.succeed());

      expect(run.instance).toMatchObject({ status: 'completed', completedSteps: ['StepA', 'StepB', 'StepC', 'StepD'] });
    });

    it('resumes on retry even when steps with a compensation completed before it (they were never compensated)', () => {
      const run = new Run(processOrder);
      run.start();
      run.succeedUntil('ReserveInventory');
      run.definition = Workflow.create('process-order')
        .startWith(ValidateOrder)
        .then(ProcessPayment, { compensate: RefundPayment })
        .finally(SendConfirmation);
      run.succeed();
      expect(run.instance).toMatchObject({ status: 'failed', error: { code: STEP_NOT_IN_DEFINITION } });
      expect(run.commands.map((command) => command.role)).not.toContain('compensation');

      run.definition = processOrder;
      run.retry();

      expect(run.instance.cursor).toMatchObject({ step: 'ReserveInventory', role: 'forward', attempt: 1 });
    });
  });
});
