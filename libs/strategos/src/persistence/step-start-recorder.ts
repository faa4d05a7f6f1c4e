import { GroupCommitQueue } from './group-commit-queue';
import type { StepStartMark, WorkflowStore } from './workflow-store.interface';

/**
 * Records that steps start (see `WorkflowStore.markStepsStarted`), grouping the marks of concurrent commands into
 * one statement under load, like the transition commit; at low load a mark is written at once.
 */
export class StepStartRecorder {
  private readonly marks: GroupCommitQueue<StepStartMark, boolean>;

  constructor(store: WorkflowStore, batching: { readonly maxBatchSize: number; readonly maxConcurrentFlushes: number }) {
    this.marks = new GroupCommitQueue(
      (marks) => store.markStepsStarted(marks),
      batching,
      (mark) => mark.workflowId,
    );
  }

  /** Resolves true when the mark applied, false when the instance was not as expected (nothing changed). */
  record(mark: StepStartMark): Promise<boolean> {
    return this.marks.submit(mark);
  }
}
