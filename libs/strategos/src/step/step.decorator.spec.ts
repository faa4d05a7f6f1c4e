import { INJECTABLE_WATERMARK } from '@nestjs/common/constants.js';
import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from './step-result';
import { getStepOptions, Step } from './step.decorator';
import type { WorkflowStep } from './workflow-step.interface';

describe('@Step()', () => {
  it('records the options it is given', () => {
    @Step({ name: 'ChargeCard', timeoutMs: 5_000, retry: { maxAttempts: 5 } })
    class ProcessPayment implements WorkflowStep<WorkflowState> {
      execute(): StepResult<WorkflowState> {
        return StepResult.ok();
      }
    }

    expect(getStepOptions(ProcessPayment)).toEqual({ name: 'ChargeCard', timeoutMs: 5_000, retry: { maxAttempts: 5 } });
  });

  it('records empty options when called without any', () => {
    @Step()
    class ValidateOrder implements WorkflowStep<WorkflowState> {
      execute(): StepResult<WorkflowState> {
        return StepResult.ok();
      }
    }

    expect(getStepOptions(ValidateOrder)).toEqual({});
  });

  it('makes the class a Nest provider', () => {
    @Step()
    class ReserveInventory implements WorkflowStep<WorkflowState> {
      execute(): StepResult<WorkflowState> {
        return StepResult.ok();
      }
    }

    expect(Reflect.getMetadata(INJECTABLE_WATERMARK, ReserveInventory)).toBe(true);
  });

  it('reports no options for a class that is not decorated', () => {
    class Plain {}

    expect(getStepOptions(Plain)).toBeUndefined();
  });
});
