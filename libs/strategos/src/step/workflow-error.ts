import type { JsonObject } from '../state/workflow-state.interface';

/** A business failure a step reports with `StepResult.fail`: a stable code, a message and optional details. */
export interface WorkflowError {
  readonly code: string;
  readonly message: string;
  readonly details?: JsonObject;
}

/** Creates {@link WorkflowError}s. */
export const WorkflowError = {
  /**
   * @example StepResult.fail(WorkflowError.create('PAYMENT_FAILED', 'Payment processing failed'))
   */
  create(code: string, message: string, details?: JsonObject): WorkflowError {
    return Object.freeze(details === undefined ? { code, message } : { code, message, details });
  },
} as const;
