import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { WorkflowStep } from '../step/workflow-step.interface';
import { DiagnosticCode } from './diagnostic-codes';
import { Workflow } from './workflow';
import { WorkflowDefinitionError } from './workflow-definition.error';

interface OrderLikeState extends WorkflowState {
  readonly paid?: boolean;
}

abstract class TestStep implements WorkflowStep<OrderLikeState> {
  execute(): StepResult<OrderLikeState> {
    return StepResult.ok();
  }
}

@Step()
class ValidateOrder extends TestStep {}

@Step({ name: 'ChargeCard', timeoutMs: 10_000, retry: { maxAttempts: 2, initialDelayMs: 50 } })
class ProcessPayment extends TestStep {}

@Step()
class RefundPayment extends TestStep {}

@Step()
class ReserveInventory extends TestStep {}

@Step()
class ReleaseInventory extends TestStep {}

@Step({ timeoutMs: 5_000 })
class SendConfirmation extends TestStep {}

@Step()
class NotifyFailure extends TestStep {}

class Undecorated extends TestStep {}

const processOrder = () =>
  Workflow.create<OrderLikeState>('process-order')
    .startWith(ValidateOrder)
    .then(ProcessPayment, { compensate: RefundPayment })
    .then(ReserveInventory, { compensate: ReleaseInventory })
    .onFailure(NotifyFailure)
    .finally(SendConfirmation);

describe('Workflow.create', () => {
  it('builds the forward steps in order, each with its role, class and compensation', () => {
    const definition = processOrder();

    expect(definition.name).toBe('process-order');
    expect(definition.typeName).toBe('ProcessOrder');
    expect(definition.steps.map((step) => [step.name, step.role, step.stepClass, step.compensation?.name])).toEqual([
      ['ValidateOrder', 'forward', ValidateOrder, undefined],
      ['ChargeCard', 'forward', ProcessPayment, 'RefundPayment'],
      ['ReserveInventory', 'forward', ReserveInventory, 'ReleaseInventory'],
      ['SendConfirmation', 'forward', SendConfirmation, undefined],
    ]);
    expect(definition.steps[1].compensation).toMatchObject({ role: 'compensation', stepClass: RefundPayment });
    expect(definition.onFailure).toMatchObject([{ name: 'NotifyFailure', role: 'onFailure', stepClass: NotifyFailure }]);
  });

  it('indexes every step by name: forward, compensation and onFailure', () => {
    const definition = processOrder();

    expect([...definition.stepsByName.keys()].sort()).toEqual(
      ['ChargeCard', 'NotifyFailure', 'RefundPayment', 'ReleaseInventory', 'ReserveInventory', 'SendConfirmation', 'ValidateOrder'].sort(),
    );
    expect(definition.stepsByName.get('ChargeCard')).toBe(definition.steps[1]);
    expect(definition.stepsByName.get('RefundPayment')).toBe(definition.steps[1].compensation);
    expect(definition.stepsByName.get('NotifyFailure')).toBe(definition.onFailure[0]);
  });

  it('names a step by its @Step name rather than its class name', () => {
    const definition = processOrder();

    expect(definition.stepsByName.has('ProcessPayment')).toBe(false);
    expect(definition.stepsByName.get('ChargeCard')?.stepClass).toBe(ProcessPayment);
  });

  it('names a step by its class name when @Step gives no name', () => {
    expect(Workflow.create('x').startWith(Undecorated).build().steps[0].name).toBe('Undecorated');
  });

  it('makes the step given to build() the terminal step, and accepts a single-step workflow', () => {
    const definition = Workflow.create<OrderLikeState>('single').startWith(ValidateOrder).build();

    expect(definition.steps.map((step) => step.name)).toEqual(['ValidateOrder']);
    expect(definition.onFailure).toEqual([]);
  });

  it('turns a kebab-case name into the PascalCase prefix of event names', () => {
    expect(Workflow.create('order-2-ship').startWith(ValidateOrder).build().typeName).toBe('Order2Ship');
  });

  describe('options', () => {
    it('takes timeoutMs and retry from @Step when the workflow gives none', () => {
      const charge = processOrder().stepsByName.get('ChargeCard');

      expect(charge).toMatchObject({ timeoutMs: 10_000, retry: { maxAttempts: 2, initialDelayMs: 50 } });
    });

    it('overrides @Step retry per field with then(..., { retry })', () => {
      const definition = Workflow.create<OrderLikeState>('x')
        .startWith(ValidateOrder)
        .then(ProcessPayment, { retry: { maxAttempts: 5, multiplier: 3 } })
        .finally(SendConfirmation);

      expect(definition.steps[1].retry).toEqual({ maxAttempts: 5, initialDelayMs: 50, multiplier: 3 });
    });

    it('overrides the @Step timeout with then(..., { timeoutMs }) and finally(..., { timeoutMs })', () => {
      const definition = Workflow.create<OrderLikeState>('x')
        .startWith(ProcessPayment, { timeoutMs: 1_000 })
        .finally(SendConfirmation, { timeoutMs: 2_000 });

      expect(definition.steps.map((step) => step.timeoutMs)).toEqual([1_000, 2_000]);
    });

    it('keeps the @Step value of a retry field given as undefined', () => {
      const fromConfig: { maxAttempts?: number } = {};
      const definition = Workflow.create<OrderLikeState>('x')
        .startWith(ProcessPayment, { retry: { maxAttempts: fromConfig.maxAttempts, initialDelayMs: undefined } })
        .build();

      expect(definition.steps[0].retry).toEqual({ maxAttempts: 2, initialDelayMs: 50 });
    });

    it('leaves timeoutMs and retry fields unset when neither @Step nor the workflow sets them', () => {
      const step = Workflow.create<OrderLikeState>('x').startWith(ValidateOrder).build().steps[0];

      expect(step.timeoutMs).toBeUndefined();
      expect(step.retry).toEqual({});
    });

    it('gives a compensation only its own @Step options, not those of the step it undoes', () => {
      const definition = Workflow.create<OrderLikeState>('x')
        .startWith(ProcessPayment, { compensate: RefundPayment, timeoutMs: 1_000, retry: { maxAttempts: 9 } })
        .finally(SendConfirmation);

      expect(definition.steps[0].compensation).toMatchObject({ timeoutMs: undefined, retry: {} });
    });
  });

  describe('immutability', () => {
    it('freezes the definition, its steps array, each step and each retry policy', () => {
      const definition = processOrder();

      expect(Object.isFrozen(definition)).toBe(true);
      expect(Object.isFrozen(definition.steps)).toBe(true);
      for (const step of definition.stepsByName.values()) {
        expect(Object.isFrozen(step)).toBe(true);
        expect(Object.isFrozen(step.retry)).toBe(true);
      }
    });

    it('throws on an attempt to change the steps of a built definition', () => {
      const definition = processOrder();

      expect(() => (definition.steps as unknown as unknown[]).push(definition.steps[0])).toThrow(TypeError);
      expect(() => Object.assign(definition, { name: 'other' })).toThrow(TypeError);
      expect(definition.steps).toHaveLength(4);
    });

    it('returns a new builder from each call and leaves the earlier builder unchanged', () => {
      const empty = Workflow.create<OrderLikeState>('x');
      const started = empty.startWith(ValidateOrder);
      const withPayment = started.then(ProcessPayment, { compensate: RefundPayment });
      const withFailure = withPayment.onFailure(NotifyFailure);

      expect(new Set([empty, started, withPayment, withFailure]).size).toBe(4);
      expect(() => empty.build()).toThrow(expect.objectContaining({ code: DiagnosticCode.EmptyWorkflow }));
      expect(started.finally(SendConfirmation).steps.map((step) => step.name)).toEqual(['ValidateOrder', 'SendConfirmation']);
      expect(withPayment.finally(SendConfirmation).onFailure).toEqual([]);
      expect(withFailure.finally(SendConfirmation).onFailure.map((step) => step.name)).toEqual(['NotifyFailure']);
      expect(
        withPayment
          .then(ReserveInventory)
          .build()
          .steps.map((step) => step.name),
      ).toEqual(['ValidateOrder', 'ChargeCard', 'ReserveInventory']);
    });

    it('builds equal but independent definitions from one builder', () => {
      const builder = Workflow.create<OrderLikeState>('x').startWith(ValidateOrder);

      const first = builder.finally(SendConfirmation);
      const second = builder.finally(SendConfirmation);

      expect(first).not.toBe(second);
      expect(first.steps.map((step) => step.name)).toEqual(second.steps.map((step) => step.name));
    });
  });

  it('reports errors as WorkflowDefinitionError with the code, the workflow and the step as fields', () => {
    const build = () => Workflow.create<OrderLikeState>('x').startWith(ValidateOrder).then(ValidateOrder).build();

    expect(build).toThrow(WorkflowDefinitionError);
    expect(build).toThrow(expect.objectContaining({ code: DiagnosticCode.DuplicateStepName, workflow: 'x', step: 'ValidateOrder' }));
  });
});
