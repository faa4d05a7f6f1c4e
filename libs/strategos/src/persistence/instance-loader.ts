import type { WorkflowInstance } from '../engine/workflow-instance';
import { classifyFailure } from './failure-kind';
import { GroupCommitQueue, ItemFailure } from './group-commit-queue';
import type { WorkflowStore } from './workflow-store.interface';

/**
 * Loads instances for the step runner, grouping the loads of concurrent commands into one statement under load
 * (`WorkflowStore.loadMany`, where the store has it), like the step-start marks; at low load a load is sent at
 * once. A batch the store refuses for anything but a transient failure is loaded again instance by instance, so
 * a command whose id the store cannot read (a NUL in it) fails only its own load.
 */
export class InstanceLoader {
  private readonly loads: GroupCommitQueue<string, WorkflowInstance | null>;

  constructor(
    private readonly store: WorkflowStore,
    batching: { readonly maxBatchSize: number; readonly maxConcurrentFlushes: number },
  ) {
    this.loads = new GroupCommitQueue(
      (workflowIds) => this.loadBatch(workflowIds),
      batching,
      (workflowId) => workflowId,
    );
  }

  /** The stored instance, or null when there is none. */
  load(workflowId: string): Promise<WorkflowInstance | null> {
    return this.loads.submit(workflowId);
  }

  private async loadBatch(workflowIds: readonly string[]): Promise<(WorkflowInstance | null | ItemFailure)[]> {
    if (workflowIds.length === 1) return [await this.store.load(workflowIds[0])];
    try {
      if (this.store.loadMany) return await this.store.loadMany(workflowIds);
    } catch (error) {
      if (classifyFailure(error) === 'transient') throw error;
    }
    return Promise.all(workflowIds.map((workflowId) => this.store.load(workflowId).catch((failure: unknown) => new ItemFailure(failure))));
  }
}
