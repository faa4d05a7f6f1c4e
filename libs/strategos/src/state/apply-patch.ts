import { StateUpdateError } from './state-update.error';
import type { JsonObject } from './workflow-state.interface';

/**
 * The default state reducer: replaces each key of the patch in the state (no deep merge),
 * so that a step's output is recorded exactly as it returned it.
 *
 * @throws StateUpdateError `STATE_WORKFLOW_ID_CHANGED` when the patch tries to change `workflowId`.
 */
export function applyPatch(state: JsonObject, patch: JsonObject | undefined, step: string): JsonObject {
  if (!patch) return state;
  if ('workflowId' in patch && patch.workflowId !== state.workflowId) {
    throw new StateUpdateError(
      'STATE_WORKFLOW_ID_CHANGED',
      `Step ${step} returned a patch that changes workflowId; a workflow's id never changes`,
    );
  }
  const next: JsonObject = { ...state };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    next[key] = value;
  }
  return next;
}
