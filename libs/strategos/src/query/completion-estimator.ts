import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { WorkflowInstance } from '../engine/workflow-instance';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import { remainingDurationMs } from './completion-estimate';
import { predictedPath } from './predicted-path';

/** Finds a workflow's definition by name (the application's registry). */
export interface DefinitionLookup {
  find(name: string): WorkflowDefinition | undefined;
}

interface CachedMedians {
  readonly readAt: number;
  readonly medians: Promise<ReadonlyMap<string, number>>;
}

/**
 * `estimatedCompletionAt` of running instances: the step-duration medians of the workflow's recent
 * completed runs (read from the store, reused for `cacheMs` per workflow), applied to the steps the
 * instance has left. Only for the forward path: an instance that is compensating, running `onFailure`
 * or cancelling, or whose workflow this process does not know, has no estimate.
 */
export class CompletionEstimator {
  private readonly cache = new Map<string, CachedMedians>();

  constructor(
    private readonly store: WorkflowStore,
    private readonly definitions: DefinitionLookup,
    private readonly sampleRuns: number,
    private readonly cacheMs: number,
  ) {}

  /** When `instance` should complete, judged at `now` (epoch ms); undefined when it cannot be estimated. */
  async estimate(instance: WorkflowInstance, now: number): Promise<Date | undefined> {
    const cursor = instance.cursor;
    if (instance.status !== 'running' || cursor?.role !== 'forward' || instance.cancelReason !== null) return undefined;
    const definition = this.definitions.find(instance.workflowName);
    if (!definition) return undefined;
    const medians = await this.medians(instance.workflowName, now);
    const steps = predictedPath(definition, instance.state, cursor);
    if (!steps.every((step) => medians.has(step))) return undefined;
    const startedAt = await this.stepStartedAt(instance);
    const remaining = remainingDurationMs(steps, cursor.step, medians, Math.max(0, now - startedAt));
    return remaining === undefined ? undefined : new Date(now + remaining);
  }

  private medians(workflowName: string, now: number): Promise<ReadonlyMap<string, number>> {
    const cached = this.cache.get(workflowName);
    if (cached && now - cached.readAt < this.cacheMs) return cached.medians;
    const medians = this.store
      .stepDurations(workflowName, this.sampleRuns)
      .then((durations) => new Map(durations.map((d) => [d.step, d.medianMs])));
    const entry = { readAt: now, medians };
    this.cache.set(workflowName, entry);
    // A failed read is not kept: the next estimate reads again.
    medians.catch(() => this.cache.get(workflowName) === entry && this.cache.delete(workflowName));
    return medians;
  }

  /**
   * When the current step started (its `PhaseChanged`). On a first attempt that is the last transition
   * (`updatedAt`): only a cancel request leaves the step's first attempt in place, and it has no estimate.
   * After retries the event log says.
   */
  private async stepStartedAt(instance: WorkflowInstance): Promise<number> {
    if (instance.cursor?.attempt === 1) return Date.parse(instance.updatedAt);
    const events = await this.store.history(instance.workflowId);
    const started = events.findLast((event) => event.kind === 'PhaseChanged');
    return Date.parse(started?.timestamp ?? instance.updatedAt);
  }
}
