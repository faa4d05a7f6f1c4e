import { randomUUID } from 'node:crypto';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import type { TransitionEngine } from '../engine/transition-engine';
import { classifyFailure } from '../persistence/failure-kind';
import type { TransitionCommitter } from '../persistence/transition-committer';
import { findUnstorableText } from '../persistence/unstorable-text';
import type { JsonObject, WorkflowState } from '../state/workflow-state.interface';
import { validTraceparent } from '../tracing/trace-context';
import { inStartSpan } from '../tracing/workflow-tracing';
import { InvalidStartError } from './invalid-start.error';
import { type Clock, SYSTEM_CLOCK } from '../signals/clock';
import { MAX_WAIT_MS } from '../definition/wait-validator';

/** What `start` returns. `started` is false when an instance with this id already existed. */
export interface StartResult {
  readonly workflowId: string;
  readonly started: boolean;
}

/** Options of one start. */
export interface StartOptions {
  /**
   * W3C trace context of the caller, when it is not the active OpenTelemetry context. An invalid or oversized
   * value is dropped (debug log) and the run gets a fresh trace: tracing never fails a start.
   */
  readonly traceparent?: string;
  /** Overrides the definition's `deadlineMs` for this run: past it the run is cancelled with `DEADLINE_EXCEEDED`. */
  readonly deadlineMs?: number;
}

/**
 * Starts workflows: writes the instance, its `Started` event and its first command in one transaction,
 * then publishes. Idempotent on `workflowId`: starting twice starts one instance.
 */
export class WorkflowStarter {
  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly engine: TransitionEngine,
    private readonly committer: TransitionCommitter,
    private readonly ready: () => Promise<void>,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /**
   * @example const { workflowId } = await starter.start(processOrder, { workflowId: randomUUID(), order, status: OrderStatus.Pending });
   * @throws InvalidStartError `UNKNOWN_WORKFLOW` for a name not registered with `forFeature`, `INVALID_INITIAL_STATE` for a state
   * without a string workflowId, not JSON, or holding data the store cannot keep (a NUL character or a lone UTF-16 surrogate
   * in a string or key: the message names the field; or any other value the store refuses, PostgreSQL classes 22 and 23).
   */
  async start<S extends WorkflowState>(
    workflow: WorkflowDefinition<S> | string,
    initialState: S,
    options: StartOptions = {},
  ): Promise<StartResult> {
    const name = typeof workflow === 'string' ? workflow : workflow.name;
    const definition = this.registry.find(name);
    if (!definition) {
      throw new InvalidStartError(
        'UNKNOWN_WORKFLOW',
        name,
        `Workflow ${name} is not registered; add it to StrategosModule.forFeature({ workflows: [...] })`,
      );
    }
    const state = toJsonState(name, initialState);
    assertDeadline(name, options.deadlineMs);
    await this.ready();
    const workflowId = state.workflowId as string;
    return inStartSpan(name, workflowId, validTraceparent(options.traceparent, 'start'), async (traceparent) => {
      const transition = this.engine.start(
        definition,
        state,
        { now: this.clock.now(), newId: randomUUID, random: Math.random, causationId: workflowId, traceparent },
        options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {},
      );
      const result = await this.committer.commit({ inboxMessageId: null, expectedVersion: 0, transition }).catch((error: unknown) => {
        if (classifyFailure(error) !== 'data') throw error;
        throw new InvalidStartError(
          'INVALID_INITIAL_STATE',
          name,
          `The store refused the initial state of ${name}: ${(error as Error).message}; send only data it can store`,
          { cause: error },
        );
      });
      return { workflowId, started: result === 'committed' };
    });
  }
}

function toJsonState(workflow: string, state: WorkflowState): JsonObject {
  if (
    state === null ||
    typeof state !== 'object' ||
    typeof state.workflowId !== 'string' ||
    state.workflowId.length === 0 ||
    state.workflowId.length > 200
  ) {
    throw new InvalidStartError(
      'INVALID_INITIAL_STATE',
      workflow,
      `The initial state of ${workflow} needs a workflowId: a non-empty string of at most 200 characters`,
    );
  }
  let json: JsonObject;
  try {
    json = JSON.parse(JSON.stringify(state)) as JsonObject;
  } catch (error) {
    throw new InvalidStartError(
      'INVALID_INITIAL_STATE',
      workflow,
      `The initial state of ${workflow} is not JSON-serialisable: ${(error as Error).message}`,
    );
  }
  const unstorable = findUnstorableText(json);
  if (unstorable !== null) {
    throw new InvalidStartError(
      'INVALID_INITIAL_STATE',
      workflow,
      `The initial state of ${workflow} cannot be stored: ${unstorable} holds a NUL character or a lone UTF-16 surrogate; remove it`,
      { field: unstorable },
    );
  }
  return json;
}

function assertDeadline(workflow: string, deadlineMs: unknown): void {
  if (deadlineMs === undefined) return;
  if (typeof deadlineMs !== 'number' || !Number.isInteger(deadlineMs) || deadlineMs < 1 || deadlineMs > MAX_WAIT_MS) {
    throw new InvalidStartError(
      'INVALID_START_OPTIONS',
      workflow,
      `deadlineMs of ${workflow} must be an integer number of milliseconds from 1 to ${MAX_WAIT_MS}, got ${String(deadlineMs)}`,
    );
  }
}
