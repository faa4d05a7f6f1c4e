import { randomUUID } from 'node:crypto';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import type { Transition, TransitionContext } from '../engine/transition';
import type { TransitionEngine } from '../engine/transition-engine';
import type { WorkflowInstance } from '../engine/workflow-instance';
import type { TransitionCommitter } from '../persistence/transition-committer';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import { WorkflowNotFoundError } from './workflow-not-found.error';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { WaitNode } from '../definition/workflow-graph';
import { TransitionRejectedError } from '../engine/transition-rejected.error';
import { INVALID_SIGNAL_PAYLOAD, UNKNOWN_SIGNAL } from '../engine/wait-codes';
import type { JsonObject } from '../state/workflow-state.interface';
import type { ApprovalOptions, SignalOptions, SignalResult } from '../signals/signal-options.interface';
import { signalPayloadErrors } from '../signals/validate-signal-payload';
import { type Clock, SYSTEM_CLOCK } from '../signals/clock';

const MAX_ATTEMPTS = 10;

/**
 * Cancels and retries workflows by id, and sends them signals and approvals.
 *
 * @example await control.cancel(workflowId, 'customer changed their mind');
 * @example await control.signal(workflowId, 'payment-confirmed', { reference: 'tx-42' }, { signalId: webhookId });
 * @example await control.approve(workflowId, 'manager-approval', { by: 'ana' });
 */
export class WorkflowControl {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly engine: TransitionEngine,
    private readonly store: WorkflowStore,
    private readonly committer: TransitionCommitter,
    private readonly ready: () => Promise<void>,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /**
   * Sends the signal `name` to a run: a run parked at its wait goes on with the patch of the wait's `apply`; a run
   * that has not reached the wait yet keeps it (signals are consumed in order of arrival, one per wait). A signal
   * whose `signalId` the run already received is ignored (`duplicate`).
   * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; TransitionRejectedError `UNKNOWN_SIGNAL` (no wait of the
   * workflow has this name), `INVALID_SIGNAL_PAYLOAD` (with the validation `errors`; the run keeps waiting),
   * `SIGNAL_NOT_ACCEPTED` (the run is finished, cancelling or compensating).
   */
  async signal(workflowId: string, name: string, payload: object = {}, options: SignalOptions = {}): Promise<SignalResult> {
    await this.ready();
    const signalId = options.signalId ?? randomUUID();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const instance = await this.store.load(workflowId);
      const definition = instance && this.registry.find(instance.workflowName);
      if (!instance || !definition) throw new WorkflowNotFoundError(workflowId);
      const node = await this.checkedSignal(definition, workflowId, name, payload);
      const context = this.context();
      const { disposition, transition } = this.engine.receiveSignal(
        definition,
        instance,
        { signalId, name: node.signal!, payload: JSON.parse(JSON.stringify(payload)) as JsonObject, receivedAt: context.now.toISOString() },
        context,
      );
      if (!transition) return { workflowId, signalId, status: disposition };
      const result = await this.committer.commit({ inboxMessageId: null, expectedVersion: instance.version, transition });
      if (result === 'committed') return { workflowId, signalId, status: disposition };
    }
    throw new Error(`Workflow ${workflowId} kept changing while the signal was applied; try again`);
  }

  /**
   * Approves the run's `awaitApproval(name)`: a signal with the payload `{ approved: true, by, comment }`.
   * @throws as {@link signal}.
   */
  approve(workflowId: string, name: string, options: ApprovalOptions = {}): Promise<SignalResult> {
    return this.signal(workflowId, name, decision(true, options), options.signalId ? { signalId: options.signalId } : {});
  }

  /**
   * Rejects the run's `awaitApproval(name)`: it takes `onRejection`, or fails with `APPROVAL_REJECTED`.
   * @throws as {@link signal}.
   */
  reject(workflowId: string, name: string, options: ApprovalOptions = {}): Promise<SignalResult> {
    return this.signal(workflowId, name, decision(false, options), options.signalId ? { signalId: options.signalId } : {});
  }

  /**
   * @internal A durable timer fell due (its message arrived on the control queue): ends a sleep, times a signal
   * wait out, or applies the deadline. A timer the run no longer waits for changes nothing but its record.
   */
  async fireTimer(workflowId: string, timerId: string): Promise<void> {
    await this.ready();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const instance = await this.store.load(workflowId);
      const definition = instance && this.registry.find(instance.workflowName);
      if (!instance || !definition) return;
      const transition = this.engine.fireTimer(definition, instance, timerId, { ...this.context(), causationId: timerId });
      if (!transition) return;
      const result = await this.committer.commit({ inboxMessageId: timerId, expectedVersion: instance.version, transition });
      if (result !== 'conflict') return;
    }
    throw new Error(`Workflow ${workflowId} kept changing while its timer fired; the timer will be redelivered`);
  }

  /** The wait of `name`, with a valid payload. */
  private async checkedSignal(definition: WorkflowDefinition, workflowId: string, name: string, payload: unknown): Promise<WaitNode> {
    const node = [...definition.graph.nodes.values()].find(
      (candidate): candidate is WaitNode => candidate.kind === 'wait' && candidate.wait !== 'sleep' && candidate.signal === name,
    );
    if (!node) {
      const known = [...definition.graph.nodes.values()].flatMap((n) => (n.kind === 'wait' && n.signal ? [n.signal] : []));
      throw new TransitionRejectedError(
        UNKNOWN_SIGNAL,
        workflowId,
        `Workflow ${definition.name} has no wait for the signal ${JSON.stringify(name)}${known.length > 0 ? `; its signals: ${known.join(', ')}` : '; it waits for no signal'}`,
      );
    }
    const errors = await signalPayloadErrors(node, payload);
    if (errors.length > 0) {
      throw new TransitionRejectedError(
        INVALID_SIGNAL_PAYLOAD,
        workflowId,
        `The payload of signal ${name} is invalid (the run keeps waiting): ${errors.join('; ')}`,
        errors,
      );
    }
    return node;
  }

  private context(): TransitionContext {
    return { now: this.clock.now(), newId: randomUUID, random: Math.random, causationId: randomUUID() };
  }

  /**
   * Cancels a running workflow. When its current step has not started (its command waits in the queue or
   * for a retry delay), the cancel takes effect at once: that step never runs (its command is skipped when it
   * arrives), compensation starts. When the step has started, it finishes or times out first. Either way the
   * completed steps are compensated and the workflow ends `cancelled`. A run parked at a wait (signal, approval,
   * sleep) has no step in flight: compensation starts at once.
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
      const transition = decide(definition, instance, this.context());
      const result = await this.committer.commit({ inboxMessageId: null, expectedVersion: instance.version, transition });
      if (result === 'committed') return;
    }
    throw new Error(`Workflow ${workflowId} kept changing while the request was applied; try again`);
  }
}

function decision(approved: boolean, options: ApprovalOptions): JsonObject {
  return {
    approved,
    ...(options.by !== undefined ? { by: options.by } : {}),
    ...(options.comment !== undefined ? { comment: options.comment } : {}),
  };
}
