import { Injectable } from '@nestjs/common';
import { STEP_METADATA } from './step.constants';
import type { StepOptions } from './step-options.interface';

/**
 * Marks a class as a workflow step and makes it a Nest provider.
 *
 * @example
 * \@Step({ name: 'ProcessPayment', timeoutMs: 30_000, retry: { maxAttempts: 5 } })
 * export class ProcessPayment implements WorkflowStep<OrderState> { ... }
 */
export function Step(options: StepOptions = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(STEP_METADATA, options, target);
    Injectable()(target);
  };
}

/** The options `@Step()` recorded on a class, or undefined when it is not decorated. */
export function getStepOptions(target: object): StepOptions | undefined {
  return Reflect.getMetadata(STEP_METADATA, target) as StepOptions | undefined;
}
