import { positionFor, TERMINAL_STATUSES, type WorkflowInstance } from '../engine/workflow-instance';

/**
 * The instances this worker committed last, so that the next step of the same run (usually handled by the
 * same process) needs no read. Safe because an entry is used only when its cursor names the very command
 * being handled, and every write is guarded by the version, the step's start included (`markStepsStarted`,
 * before the step runs): a stale entry costs a failed guard and a re-read, never a step run on it nor a lost
 * update.
 */
export class InstanceCache {
  private readonly entries = new Map<string, WorkflowInstance>();

  constructor(private readonly capacity: number) {}

  /** The cached instance if it waits for `commandId`. */
  getWaitingFor(workflowId: string, commandId: string): WorkflowInstance | undefined {
    const instance = this.entries.get(workflowId);
    return instance && positionFor(instance, commandId) ? instance : undefined;
  }

  remember(instance: WorkflowInstance): void {
    this.entries.delete(instance.workflowId);
    if (TERMINAL_STATUSES.has(instance.status) || this.capacity === 0) return;
    this.entries.set(instance.workflowId, instance);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  forget(workflowId: string): void {
    this.entries.delete(workflowId);
  }
}
