import type { StrategosSettings } from '../config/strategos-settings';
import { Workflow } from '../definition/workflow';
import { WorkflowRegistry } from '../definition/workflow-registry';
import type { WorkflowState } from '../state/workflow-state.interface';
import { Step } from '../step/step.decorator';
import { StepResult } from '../step/step-result';
import type { WorkflowStep } from '../step/workflow-step.interface';
import { InMemoryTransport } from '../transport/in-memory/in-memory-transport';
import type { StepRunner } from './step-runner';
import { StepWorker } from './step-worker';

function step(name: string) {
  @Step({ name })
  class Named implements WorkflowStep<WorkflowState> {
    execute(): StepResult<WorkflowState> {
      return StepResult.ok();
    }
  }
  return Named;
}

describe('StepWorker', () => {
  const registry = new WorkflowRegistry();
  registry.register(
    Workflow.create<WorkflowState>('orders')
      .startWith(step('Validate'))
      .then(step('Pay'), { compensate: step('Refund') })
      .finally(step('Ship')),
  );
  registry.register(Workflow.create<WorkflowState>('returns').startWith(step('Validate')).finally(step('Credit')));

  function worker(steps: StrategosSettings['steps']): StepWorker {
    return new StepWorker(
      registry,
      new InMemoryTransport(),
      {} as StepRunner,
      { namespace: 'ns', steps, prefetch: 1 } as StrategosSettings,
    );
  }

  it('consumes every step queue by default', () => {
    expect(worker('all').selectedQueues()).toEqual([
      'ns.orders.Validate',
      'ns.orders.Pay',
      'ns.orders.Refund',
      'ns.orders.Ship',
      'ns.returns.Validate',
      'ns.returns.Credit',
    ]);
  });

  it('consumes only the selected steps, by name in every workflow or qualified by workflow', () => {
    expect(worker(['Pay', 'Refund']).selectedQueues()).toEqual(['ns.orders.Pay', 'ns.orders.Refund']);
    expect(worker(['Validate']).selectedQueues()).toEqual(['ns.orders.Validate', 'ns.returns.Validate']);
    expect(worker(['returns.Validate']).selectedQueues()).toEqual(['ns.returns.Validate']);
    expect(worker([]).selectedQueues()).toEqual([]);
  });

  it('rejects a selection naming a step no workflow has', () => {
    expect(() => worker(['Pay', 'Teleport']).selectedQueues()).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_STEP_SELECTED', steps: ['Teleport'] }),
    );
  });

  it("suggests the application's own step names for a typo, never the order example's", () => {
    expect(() => worker(['Shp']).selectedQueues()).toThrow(
      /did you mean Ship\?.*The application's steps are Validate, Pay, Refund, Ship, Credit/,
    );
    expect(() => worker(['Shp']).selectedQueues()).not.toThrow(/ProcessPayment/);
    expect(() => worker(['Teleport']).selectedQueues()).not.toThrow(/did you mean/);
  });
});
