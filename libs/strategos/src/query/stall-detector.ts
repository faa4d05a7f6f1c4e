import type { WorkflowInstance } from '../engine/workflow-instance';
import { stepQueueName } from '../messages/topology';
import type { DefinitionLookup } from './completion-estimator';

/** Tells how many consumers a queue has (the transport, or the CLI's broker connection). */
export interface QueueConsumers {
  /** Consumers of `queue` now, or undefined when unknown (not connected, no such queue). */
  consumerCount(queue: string): Promise<number | undefined>;
}

/** Why a running instance is not moving: its step's queue has no consumer. */
export interface StalledRun {
  /** The step the instance waits for. */
  readonly step: string;
  /** The step's queue, which no process consumes. */
  readonly queue: string;
  /** Since when the instance has not moved (its last transition). */
  readonly since: Date;
  /** A sentence for people: what is wrong and what to do. */
  readonly reason: string;
}

/** Options of stalled-run detection (`WorkflowQueryOptions.stalled`). */
export interface StallDetectionOptions {
  readonly consumers: QueueConsumers;
  /** The namespace of the step queues. */
  readonly namespace: string;
  /** How long a running instance may stand still before its step's queue is checked for consumers. @default 60000 */
  readonly afterMs?: number;
}

/**
 * Finds running instances that cannot move: no transition for longer than `afterMs` and no consumer on the
 * queue of the step they wait for (a worker for that step is down, or none was ever started). Such a run
 * has no completion estimate; the view says so instead.
 */
export class StallDetector {
  private readonly afterMs: number;

  constructor(
    private readonly options: StallDetectionOptions,
    private readonly definitions: DefinitionLookup,
  ) {
    this.afterMs = options.afterMs ?? 60_000;
  }

  /**
   * Whether `instance` is stalled at `now`. `counts` shares the broker's answers between the instances of
   * one page (one check per queue).
   */
  async check(
    instance: Pick<WorkflowInstance, 'status' | 'updatedAt' | 'workflowName' | 'phase'>,
    now: number,
    counts = new Map<string, Promise<number | undefined>>(),
  ): Promise<StalledRun | undefined> {
    if (instance.status !== 'running') return undefined;
    const idleMs = now - Date.parse(instance.updatedAt);
    if (!(idleMs > this.afterMs)) return undefined;
    // Without the definition (the CLI), a phase that is not a step has no queue: the broker says so.
    const definition = this.definitions.find(instance.workflowName);
    if (definition && !definition.stepsByName.has(instance.phase)) return undefined;
    const queue = stepQueueName(this.options.namespace, instance.workflowName, instance.phase);
    let count = counts.get(queue);
    if (!count) counts.set(queue, (count = this.options.consumers.consumerCount(queue).catch(() => undefined)));
    if ((await count) !== 0) return undefined;
    return {
      step: instance.phase,
      queue,
      since: new Date(instance.updatedAt),
      reason: `no process consumes ${queue}: the run has waited ${Math.round(idleMs / 1000)} s for step ${instance.phase}; start a worker that runs it (STRATEGOS_STEPS)`,
    };
  }
}
