import { randomUUID } from 'node:crypto';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import type { Transition, TransitionContext } from '../engine/transition';
import type { TransitionEngine } from '../engine/transition-engine';
import type { WorkflowInstance } from '../engine/workflow-instance';
import type { TransitionCommitter } from '../persistence/transition-committer';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import { WorkflowNotFoundError } from './workflow-not-found.error';

const MAX_ATTEMPTS = 10;

/**
 * Cancels and retries running workflows by id.
 *
 * @example await control.cancel(workflowId, 'customer changed their mind');
 */
export class WorkflowControl {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly engine: TransitionEngine,
    private readonly store: WorkflowStore,
    private readonly committer: TransitionCommitter,
    private readonly ready: () => Promise<void>,
  ) {}

  /**
   * Cancels a running workflow. When its current step has not started (its command waits in the queue or
   * for a retry delay), the cancel takes effect at once: that step never runs (its command is skipped when it
   * arrives), compensation starts. When the step has started, it finishes or times out first. Either way the
   * completed steps are compensated and the workflow ends `cancelled`.
   * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; TransitionRejectedError `WORKFLOW_NOT_RUNNING` or `WORKFLOW_ALREADY_CANCELLING`.
   */
  cancel(workflowId: string, reason = 'cancelled'): Promise<void> {
    return this.transition(workflowId, (definition, instance, context) => this.engine.requestCancel(definition, instance, reason, context));
  }

  /**
   * Resumes a `failed` workflow from the step that failed, with a new attempt counter.
   * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; TransitionRejectedError `WORKFLOW_NOT_RETRYABLE`.
   */
  retry(workflowId: string): Promise<void> {
    return this.transition(workflowId, (definition, instance, context) => this.engine.retry(definition, instance, context));
  }

  private async transition(
    workflowId: string,
    decide: (
      definition: NonNullable<ReturnType<WorkflowRegistry['find']>>,
      instance: WorkflowInstance,
      context: TransitionContext,
    ) => Transition,
  ): Promise<void> {
    await this.ready();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const instance = await this.store.load(workflowId);
      const definition = instance && this.registry.find(instance.workflowName);
      if (!instance || !definition) throw new WorkflowNotFoundError(workflowId);
      const transition = decide(definition, instance, {
        now: new Date(),
        newId: randomUUID,
        random: Math.random,
        causationId: randomUUID(),
      });
      const result = await this.committer.commit({ inboxMessageId: null, expectedVersion: instance.version, transition });
      if (result === 'committed') return;
    }
    throw new Error(`Workflow ${workflowId} kept changing while the request was applied; try again`);
  }
}
