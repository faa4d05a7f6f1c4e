import type { JsonObject } from '../state/workflow-state.interface';
import type { Transition, TransitionContext } from './transition';
import { WorkflowEventKind } from './workflow-event';
import type { WorkflowInstance } from './workflow-instance';

/** What an operator did to a run, as its `OperatorAction` event records it. */
export interface OperatorActionRecord {
  /** e.g. `cancel`, `retry`, `replay-dead-letter`. */
  readonly action: string;
  /** Who did it (the guard's request user), or null when unknown. */
  readonly actor: string | null;
  /** `applied`, or `refused` (then `code` says why). */
  readonly outcome: 'applied' | 'refused';
  readonly code?: string;
  readonly reason?: string;
  readonly deadLetterId?: string;
  /** The signal an operator sent (signal, approve, reject). */
  readonly signal?: string;
}

/**
 * The transition that only appends an `OperatorAction` event to a run's history: the next sequence number
 * and version, the same state, phase, status and cursor, no command. Committed like any transition (version
 * guarded), so a step committing at the same moment is not lost: one of the two retries on the new version.
 * `typeName` is the workflow's PascalCase name (`ProcessOrder`).
 */
export function recordOperatorAction(
  instance: WorkflowInstance,
  typeName: string,
  record: OperatorActionRecord,
  context: Pick<TransitionContext, 'now' | 'newId'>,
): Transition {
  const timestamp = context.now.toISOString();
  const sequence = instance.sequence + 1;
  const data: JsonObject = {
    action: record.action,
    actor: record.actor,
    outcome: record.outcome,
    ...(record.code !== undefined ? { code: record.code } : {}),
    ...(record.reason !== undefined ? { reason: record.reason } : {}),
    ...(record.deadLetterId !== undefined ? { deadLetterId: record.deadLetterId } : {}),
    ...(record.signal !== undefined ? { signal: record.signal } : {}),
  };
  return {
    instance: Object.freeze({ ...instance, version: instance.version + 1, sequence, updatedAt: timestamp }),
    events: [
      {
        eventId: context.newId(),
        type: `${typeName}${WorkflowEventKind.OperatorAction}`,
        kind: WorkflowEventKind.OperatorAction,
        workflowId: instance.workflowId,
        workflowName: instance.workflowName,
        sequence,
        timestamp,
        data,
      },
    ],
    commands: [],
  };
}
