/**
 * Compile-time tests of evolve(): type-checked by `npm run typecheck`, never run.
 * Each `@ts-expect-error` must match a real error, so a check that stops catching fails the build.
 */
import { evolve } from '../../src/state/evolve';
import type { StepResult } from '../../src/step/step-result';
import { OrderLikeStatus, type OrderLikeState } from './order-like-state';

declare const state: Readonly<OrderLikeState>;

// Positive: known keys with their declared types, chained, ending in a StepResult of the same state.
export const paid: StepResult<OrderLikeState> = evolve(state)
  .with('payment', { id: 'p-1', amount: 10 })
  .with('status', OrderLikeStatus.Paid)
  .asResult();
export const noted = evolve(state).with('note', 'gift wrap').toPatch();
export const next: OrderLikeState = evolve(state).with('status', OrderLikeStatus.Pending).toState();

// @ts-expect-error -- 'nope' is not a key of the state
evolve(state).with('nope', 1);

// @ts-expect-error -- status is an OrderLikeStatus, not a number
evolve(state).with('status', 42);

// @ts-expect-error -- a string that happens to equal an enum value is not the enum
evolve(state).with('status', 'Paid');

// @ts-expect-error -- workflowId never changes
evolve(state).with('workflowId', 'x');

// @ts-expect-error -- a nested value must have the declared shape
evolve(state).with('payment', { id: 'p-1' });

// @ts-expect-error -- the result is for OrderLikeState, not for another state
export const wrongResult: StepResult<{ readonly workflowId: string; readonly status: number }> = evolve(state)
  .with('status', OrderLikeStatus.Paid)
  .asResult();
