import { stepCommandFor, type StepCommand } from './step-command';
import { activePositions, type WorkflowInstance } from './workflow-instance';

/**
 * The commands the transition of message `appliedId` issued that the instance still waits for, derived again from
 * its positions: the same ids and bodies as first published. A redelivered message whose transition is already
 * committed republishes these before it is acknowledged, since commands published at once have no outbox row
 * (the publish may have been lost to a crash or a broker outage). A position whose step has started is left out
 * (its command was delivered), and so is a parked position or a delayed retry (no `issuedBy`: the outbox has it).
 * `traceparent` is the redelivered message's trace context, which its transition put on its commands.
 */
export function reissuedCommands(instance: WorkflowInstance, appliedId: string, traceparent?: string): readonly StepCommand[] {
  if (instance.status !== 'running') return [];
  return activePositions(instance)
    .filter((position) => position.issuedBy === appliedId && position.startedAt === undefined && position.wait === undefined)
    .map((position) =>
      stepCommandFor(position, {
        workflowId: instance.workflowId,
        workflowName: instance.workflowName,
        causationId: appliedId,
        createdAt: position.issuedAt ?? position.since ?? instance.updatedAt,
        ...(traceparent ? { traceparent } : {}),
      }),
    );
}
