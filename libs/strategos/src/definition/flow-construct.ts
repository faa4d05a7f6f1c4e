import type { WorkflowState } from '../state/workflow-state.interface';
import type { StepClass } from '../step/workflow-step.interface';
import type { ThenOptions } from './then-options.interface';

/**
 * What the fluent builders record, in the order of the calls; `compileGraph` turns a list of constructs into
 * graph nodes. Functions are typed loosely here: the builders' signatures carry the state type.
 */
export type FlowConstruct<S extends WorkflowState = WorkflowState> =
  | { readonly kind: 'step'; readonly stepClass: StepClass<S>; readonly options: ThenOptions<S> }
  | {
      readonly kind: 'branch';
      readonly discriminator: (state: Readonly<S>) => unknown;
      readonly cases: readonly (readonly [string, readonly FlowConstruct<S>[]])[];
      readonly otherwise?: readonly FlowConstruct<S>[];
    }
  | {
      readonly kind: 'loop';
      readonly name: string;
      readonly until: (state: Readonly<S>) => boolean;
      readonly body: readonly FlowConstruct<S>[];
      readonly maxIterations: number;
    }
  | { readonly kind: 'guard'; readonly predicate: (state: Readonly<S>) => boolean; readonly code: string; readonly message: string }
  | {
      readonly kind: 'wait';
      readonly wait: 'signal' | 'approval' | 'sleep';
      /** The signal's name (signal and approval waits). */
      readonly signal?: string;
      readonly payload?: new () => object;
      readonly apply?: (state: Readonly<S>, payload: never) => object;
      readonly timeoutMs?: number;
      readonly sleepMs?: number;
      readonly sleepUntil?: (state: Readonly<S>) => Date;
      readonly when?: (state: Readonly<S>) => boolean;
      readonly onTimeout?: readonly FlowConstruct<S>[];
      readonly onRejection?: readonly FlowConstruct<S>[];
    }
  | { readonly kind: 'complete' }
  | { readonly kind: 'fail'; readonly code: string; readonly message: string }
  | {
      readonly kind: 'fork';
      readonly paths: readonly (readonly FlowConstruct<S>[])[];
      readonly join: { readonly stepClass: StepClass<S>; readonly options: ThenOptions<S> };
    };

/** Whether a flow ends the run (its last construct is `complete()` or `fail()`), so nothing may follow it. */
export function endsRun<S extends WorkflowState>(constructs: readonly FlowConstruct<S>[]): boolean {
  const last = constructs[constructs.length - 1];
  return last?.kind === 'complete' || last?.kind === 'fail';
}
