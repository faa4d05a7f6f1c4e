import type { WorkflowEvent, WorkflowEventKind } from '../../engine/workflow-event';
import type { JsonObject } from '../../state/workflow-state.interface';
import { toIsoTimestamp } from './iso-timestamp';

/** The columns of `events`. */
export interface EventRow {
  readonly workflow_id: string;
  readonly sequence: number;
  readonly event_id: string;
  readonly workflow_name: string;
  readonly type: string;
  readonly kind: WorkflowEventKind;
  readonly data: JsonObject;
  readonly recorded_at: Date | string;
}

/** The column list of `events`, for SELECT. */
export const EVENT_COLUMNS = 'workflow_id, sequence, event_id, workflow_name, type, kind, data, recorded_at';

/** The stored row as the engine's event, with an ISO timestamp. */
export function toWorkflowEvent(row: EventRow): WorkflowEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    kind: row.kind,
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    sequence: row.sequence,
    timestamp: toIsoTimestamp(row.recorded_at),
    data: row.data,
  };
}
