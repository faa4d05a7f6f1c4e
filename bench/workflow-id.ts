import { randomUUID } from 'node:crypto';
import { timeOrderedId } from './time-ordered-id';

/** How the bench makes workflow ids: `random` (UUID v4, as most callers do) or `ordered` (UUID v7, time first). */
export type WorkflowIdKind = 'random' | 'ordered';

/** A new workflow id of the kind `--workflow-ids` asks for. */
export function newWorkflowId(kind: WorkflowIdKind): string {
  return kind === 'ordered' ? timeOrderedId() : randomUUID();
}
