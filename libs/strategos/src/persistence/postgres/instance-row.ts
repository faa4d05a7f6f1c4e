import type { ForkPosition } from '../../engine/fork-position';
import type { RecordedError, RunControl, StepCursor, WorkflowInstance, WorkflowStatus } from '../../engine/workflow-instance';
import type { JsonObject } from '../../state/workflow-state.interface';
import { toIsoTimestamp } from './iso-timestamp';

/** The columns of `instances`, in the order of {@link INSTANCE_COLUMNS}. */
export interface InstanceRow {
  readonly workflow_id: string;
  readonly workflow_name: string;
  readonly state: JsonObject;
  readonly phase: string;
  readonly status: WorkflowStatus;
  readonly version: number;
  readonly sequence: number;
  /** The main cursor, or `{ fork }` inside a fork. */
  readonly cursor: StepCursor | { readonly fork: ForkPosition } | null;
  readonly completed_steps: string[];
  readonly error: RecordedError | null;
  readonly compensation_error: RecordedError | null;
  readonly cancel_reason: string | null;
  readonly started_at: Date | string;
  readonly updated_at: Date | string;
  readonly completed_at: Date | string | null;
  readonly control: RunControl | null;
}

/** The column list of `instances`, for SELECT and INSERT. */
export const INSTANCE_COLUMNS =
  'workflow_id, workflow_name, state, phase, status, version, sequence, cursor, completed_steps, error, compensation_error, cancel_reason, started_at, updated_at, completed_at, control';

/**
 * The SQL/JSON path of the positions of a forked run's paths in the `cursor` column (`{ fork: { paths: [{ cursor }] } }`,
 * a path's cursor null once it is done or forked again): what `activePositions` reads inside a fork.
 */
export const FORK_PATH_CURSORS = '$.fork.paths[*].cursor';

/** The stored row as the engine's record, with ISO timestamps. */
export function toWorkflowInstance(row: InstanceRow): WorkflowInstance {
  return {
    workflowId: row.workflow_id,
    workflowName: row.workflow_name,
    state: row.state,
    phase: row.phase,
    status: row.status,
    version: row.version,
    sequence: row.sequence,
    ...cursorFields(row.cursor),
    completedSteps: row.completed_steps,
    error: row.error,
    compensationError: row.compensation_error,
    cancelReason: row.cancel_reason,
    startedAt: toIsoTimestamp(row.started_at),
    updatedAt: toIsoTimestamp(row.updated_at),
    completedAt: row.completed_at === null ? null : toIsoTimestamp(row.completed_at),
    ...(row.control ? { control: row.control } : {}),
  };
}

/** The `cursor` column as the instance's `cursor` and `fork` (a single cursor in rows stored before forks). */
function cursorFields(cursor: InstanceRow['cursor']): Pick<WorkflowInstance, 'cursor' | 'fork'> {
  if (cursor !== null && 'fork' in cursor) return { cursor: null, fork: cursor.fork };
  return { cursor };
}
