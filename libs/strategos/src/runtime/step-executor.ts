import type { StepOutcome } from '../engine/step-outcome';
import { findUnstorableText, isStorableText, toStorableText } from '../persistence/unstorable-text';
import { deepFreeze } from '../state/deep-freeze';
import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import type { StepContext } from '../step/step-context.interface';
import type { WorkflowStep } from '../step/workflow-step.interface';

/**
 * Runs one attempt of a step: hands it a deep-frozen copy of the state, aborts its signal on timeout
 * or shutdown, and turns whatever happens into a {@link StepOutcome}. Never throws.
 * A step that ignores its signal is still timed out: its late result is discarded.
 */
export class StepExecutor {
  async run(
    step: WorkflowStep<WorkflowState>,
    state: JsonObject,
    context: StepContext,
    timeoutMs: number,
    shutdown: AbortSignal,
  ): Promise<StepOutcome> {
    const controller = new AbortController();
    const abortOnShutdown = () => controller.abort(shutdown.reason);
    shutdown.addEventListener('abort', abortOnShutdown, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<StepOutcome>((resolve) => {
      timer = setTimeout(() => {
        const message = `Step ${context.stepName} timed out after ${timeoutMs} ms`;
        controller.abort(new Error(message));
        resolve({ kind: 'errored', message, timedOut: true });
      }, timeoutMs);
    });
    try {
      // Instance states are never mutated (the engine builds new ones), so freezing in place is safe and saves a copy.
      const frozen = deepFreeze(state) as unknown as WorkflowState;
      return await Promise.race([this.execute(step, frozen, context, controller.signal), timedOut]);
    } finally {
      clearTimeout(timer);
      shutdown.removeEventListener('abort', abortOnShutdown);
    }
  }

  private async execute(
    step: WorkflowStep<WorkflowState>,
    state: WorkflowState,
    context: StepContext,
    signal: AbortSignal,
  ): Promise<StepOutcome> {
    try {
      return toOutcome(await step.execute(state, context, signal), context, state.workflowId);
    } catch (error) {
      return { kind: 'errored', message: toStorableText(error instanceof Error ? error.message : String(error)), timedOut: false };
    }
  }
}

function toOutcome(result: unknown, context: StepContext, workflowId: string): StepOutcome {
  const candidate = result as { kind?: unknown; patch?: unknown; error?: { code?: unknown; message?: unknown } } | null | undefined;
  if (candidate?.kind === 'ok' && (candidate.patch === undefined || isPlainObject(candidate.patch))) {
    const patch = JSON.parse(JSON.stringify(candidate.patch ?? {})) as JsonObject;
    if ('workflowId' in patch && patch.workflowId !== workflowId) {
      return {
        kind: 'failed',
        error: {
          code: 'STATE_WORKFLOW_ID_CHANGED',
          message: `Step ${context.stepName} returned a patch that changes workflowId; a workflow's id never changes`,
        },
      };
    }
    const unstorable = findUnstorableText(patch);
    if (unstorable !== null) return notStorable(context, `its result's ${unstorable} holds a NUL character or a lone UTF-16 surrogate`);
    return { kind: 'succeeded', patch };
  }
  if (candidate?.kind === 'fail' && typeof candidate.error?.code === 'string' && typeof candidate.error.message === 'string') {
    const { code, message } = candidate.error as { code: string; message: string };
    if (!isStorableText(code)) return notStorable(context, 'its error code holds a NUL character or a lone UTF-16 surrogate');
    return { kind: 'failed', error: { code, message: toStorableText(message) } };
  }
  return {
    kind: 'errored',
    message: `Step ${context.stepName} returned something that is not a StepResult; return StepResult.ok(...) or StepResult.fail(...)`,
    timedOut: false,
  };
}

/**
 * A step whose result the store cannot keep fails its workflow (compensation runs) with `STATE_NOT_STORABLE`,
 * rather than being retried forever with its side effect re-run each time.
 */
export function notStorable(context: Pick<StepContext, 'stepName'>, why: string): StepOutcome {
  return {
    kind: 'failed',
    error: { code: 'STATE_NOT_STORABLE', message: `Step ${context.stepName} returned a result the store cannot keep: ${why}` },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
