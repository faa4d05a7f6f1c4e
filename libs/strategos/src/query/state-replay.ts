import type { WorkflowEvent } from '../engine/workflow-event';
import { applyPatch } from '../state/apply-patch';
import type { JsonObject, JsonValue } from '../state/workflow-state.interface';

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The state as it was right after the event numbered `sequence`, rebuilt from the event log: the
 * `Started` event's state, then each `StepCompleted` patch up to `sequence`, through the engine's reducer
 * (`applyPatch`). Null when the log has no `Started` event or no event with that sequence.
 * @param events the instance's events in sequence order.
 */
export function replayState(events: readonly WorkflowEvent[], sequence: number): JsonObject | null {
  if (!Number.isInteger(sequence) || !events.some((event) => event.sequence === sequence)) return null;
  let state: JsonObject | null = null;
  for (const event of events) {
    if (event.sequence > sequence) break;
    if (event.kind === 'Started' && isJsonObject(event.data.state)) {
      state = event.data.state;
    } else if (event.kind === 'StepCompleted' && state !== null) {
      const patch = event.data.patch;
      state = applyPatch(state, isJsonObject(patch) ? patch : undefined, String(event.data.step));
    }
  }
  return state;
}
