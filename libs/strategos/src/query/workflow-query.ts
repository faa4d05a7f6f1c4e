import { Logger } from '@nestjs/common';
import { TERMINAL_STATUSES, type WorkflowInstance } from '../engine/workflow-instance';
import { classifyFailure } from '../persistence/failure-kind';
import type { Unsubscribe } from '../persistence/terminal-subscriptions';
import type { TransitionNotifier } from '../persistence/transition-notifier';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import type { WorkflowState } from '../state/workflow-state.interface';
import { CompletionEstimator, type DefinitionLookup } from './completion-estimator';
import { encodeListCursor } from './list-cursor';
import { validateListFilter } from './list-filter.validator';
import { replayState } from './state-replay';
import { StallDetector } from './stall-detector';
import { WaitForTimeoutError } from './wait-for-timeout.error';
import { WakeSignal } from './wake-signal';
import type { WorkflowListFilter, WorkflowPage } from './workflow-list-filter.interface';
import type { WorkflowQueryOptions } from './workflow-query-options.interface';
import { toWorkflowView, type HistoryEntry, type WorkflowView } from './workflow-view';

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /**
   * How often the store is read again when no notice arrives: a safety net, since committed terminal
   * transitions wake the wait at once (in this process, and through the store's notices in others).
   * @default 2000
   */
  readonly pollIntervalMs?: number;
}

const NO_DEFINITIONS: DefinitionLookup = { find: () => undefined };

/**
 * Reads workflow instances, their audit trail and past states.
 *
 * @example
 * const view = await query.get(workflowId);               // with estimatedCompletionAt while running
 * const page = await query.list({ workflow: processOrder, status: 'running', limit: 100 });
 * const next = await query.list({ workflow: processOrder, status: 'running', limit: 100, cursor: page.nextCursor });
 * const done = await query.waitFor(workflowId, { timeoutMs: 10_000 });
 */
export class WorkflowQuery {
  private readonly logger = new Logger(WorkflowQuery.name);
  private readonly estimator: CompletionEstimator;
  private readonly stalls: StallDetector | undefined;

  /**
   * @param definitions the application's workflows (the steps an instance has left, for estimates);
   * without it there are no estimates.
   */
  constructor(
    private readonly store: WorkflowStore,
    private readonly notifier: TransitionNotifier,
    definitions: DefinitionLookup = NO_DEFINITIONS,
    options: WorkflowQueryOptions = {},
  ) {
    this.estimator = new CompletionEstimator(store, definitions, options.estimateSampleRuns ?? 50, options.estimateCacheMs ?? 5_000);
    this.stalls = options.stalled ? new StallDetector(options.stalled, definitions) : undefined;
  }

  /** The instance's current view, or null for an unknown id (also one no workflow can have, e.g. with a NUL character). */
  async get<S extends WorkflowState = WorkflowState>(workflowId: string): Promise<WorkflowView<S> | null> {
    if (typeof workflowId !== 'string' || workflowId.length > 200 || workflowId.includes('\u0000')) return null;
    const instance = await this.store.load(workflowId);
    return instance ? this.view<S>(instance, Date.now()) : null;
  }

  /**
   * A page of instances matching `filter`, ordered by `startedAt`, then `workflowId`; pass `nextCursor`
   * back as `cursor` (with the same filters) for the next page. Paging is by position, so instances
   * started meanwhile never shift a page, and a page is never skipped or repeated.
   * @throws InvalidListQueryError `INVALID_LIST_QUERY` naming the field (a limit outside 1-500, a foreign cursor, …).
   * @example
   * for (let page = await query.list({ status: 'failed' }); ; page = await query.list({ status: 'failed', cursor: page.nextCursor })) {
   *   page.items.forEach(report);
   *   if (!page.nextCursor) break;
   * }
   */
  async list<S extends WorkflowState = WorkflowState>(filter: WorkflowListFilter<S> = {}): Promise<WorkflowPage<S>> {
    const page = await this.store.list(validateListFilter(filter));
    const now = Date.now();
    const counts = new Map<string, Promise<number | undefined>>();
    const items = await Promise.all(page.instances.map((instance) => this.view<S>(instance, now, counts)));
    return { items, ...(page.next ? { nextCursor: encodeListCursor(page.next) } : {}) };
  }

  /** The ordered audit trail of the instance (empty for an unknown id). */
  async history(workflowId: string): Promise<HistoryEntry[]> {
    const events = await this.store.history(workflowId);
    return events.map((event) => ({
      type: event.type,
      kind: event.kind,
      sequence: event.sequence,
      data: event.data,
      timestamp: new Date(event.timestamp),
    }));
  }

  /**
   * The state right after the event numbered `sequence` (see `history`), rebuilt from the event log:
   * the started state, then each completed step's update in order. Null for an unknown id or sequence.
   * @example const before = await query.stateAt<OrderState>(workflowId, paymentEvent.sequence - 1);
   */
  async stateAt<S extends WorkflowState = WorkflowState>(workflowId: string, sequence: number): Promise<S | null> {
    const state = replayState(await this.store.history(workflowId), sequence);
    return state as unknown as S | null;
  }

  /**
   * Resolves with the view once the instance reaches a terminal status (completed, failed, compensated,
   * cancelled). Woken at once by a terminal transition committed in this process or, through the store's
   * notices, in another; reads the store every `pollIntervalMs` besides, in case a notice is lost.
   *
   * A read that fails transiently (`classifyFailure`: connection refused or lost, database restarting, pool
   * exhausted) means "not known yet", not "failed": the wait goes on and reads again at the next poll, so a
   * brief database outage is sat out. Any other read error (a data error, a bug) rejects at once. Never waits
   * past `timeoutMs`, not even for a read the store has not answered.
   * @throws WaitForTimeoutError `WAIT_FOR_TIMEOUT` once `timeoutMs` has passed; when the store was still
   * failing then, its `cause` is the last read's error and its message names it.
   * @throws the store's error, at once, for a read failure that is not transient.
   */
  async waitFor<S extends WorkflowState = WorkflowState>(workflowId: string, options: WaitForOptions = {}): Promise<WorkflowView<S>> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const pollIntervalMs = options.pollIntervalMs ?? 2_000;
    const deadline = Date.now() + timeoutMs;
    const signal = new WakeSignal();
    const unsubscribeLocal = this.notifier.subscribe(workflowId, (instance) => isTerminal(instance) && signal.wake());
    const subscription = this.store.subscribeTerminal(workflowId, () => signal.wake());
    let awaitingSubscription = true;
    // Subscribed late (the store could not listen at once): check again, in case the end came in between.
    subscription.then(
      () => !awaitingSubscription && signal.wake(),
      () => undefined,
    );
    try {
      // Subscribed before the first read, so that a transition committed after it cannot go unnoticed;
      // but never waiting for that longer than for a poll.
      await settledWithin(subscription, Math.min(pollIntervalMs, deadline - Date.now()));
      awaitingSubscription = false;
      return await this.readUntilTerminal<S>(workflowId, signal, deadline, timeoutMs, pollIntervalMs);
    } finally {
      unsubscribeLocal();
      subscription.then(
        (unsubscribe: Unsubscribe) => unsubscribe(),
        () => undefined,
      );
    }
  }

  /**
   * Reads the instance at each wake-up or poll until it is terminal, sitting out transient store failures;
   * gives up at `deadline` with the phase of the last read and, if the store was failing then, its error.
   */
  private async readUntilTerminal<S extends WorkflowState>(
    workflowId: string,
    signal: WakeSignal,
    deadline: number,
    timeoutMs: number,
    pollIntervalMs: number,
  ): Promise<WorkflowView<S>> {
    let last: WorkflowInstance | null = null;
    let storeFailure: unknown;
    for (;;) {
      const read = await loadBefore(this.store, workflowId, deadline);
      if (read.outcome === 'loaded') {
        last = read.instance;
        storeFailure = undefined;
        if (last && isTerminal(last)) return toWorkflowView<S>(last);
      } else if (read.outcome === 'failed') {
        if (classifyFailure(read.error) !== 'transient') throw read.error;
        if (storeFailure === undefined) this.logStoreFailure(workflowId, read.error);
        storeFailure = read.error;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      await signal.wait(Math.min(pollIntervalMs, remaining));
    }
    throw new WaitForTimeoutError(workflowId, timeoutMs, last?.phase, storeFailure);
  }

  /** Once per outage seen by one wait, at debug level: the workers already warn about the store, loudly enough. */
  private logStoreFailure(workflowId: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.debug({ message: 'Store unavailable; waitFor keeps waiting', workflowId, error: message });
  }

  private async view<S extends WorkflowState>(
    instance: WorkflowInstance,
    now: number,
    counts?: Map<string, Promise<number | undefined>>,
  ): Promise<WorkflowView<S>> {
    const stalled = await this.stalls?.check(instance, now, counts);
    return toWorkflowView<S>(instance, stalled ? undefined : await this.estimator.estimate(instance, now), stalled);
  }
}

function isTerminal(instance: WorkflowInstance): boolean {
  return TERMINAL_STATUSES.has(instance.status);
}

/** What one read of `waitFor` found: the instance (null for an unknown id), a store error, or no answer by the deadline. */
type Read =
  | { readonly outcome: 'loaded'; readonly instance: WorkflowInstance | null }
  | { readonly outcome: 'failed'; readonly error: unknown }
  | { readonly outcome: 'unanswered' };

/** Loads the instance, but waits for the store no later than `deadline`; never rejects. */
async function loadBefore(store: WorkflowStore, workflowId: string, deadline: number): Promise<Read> {
  const load = store.load(workflowId).then(
    (instance): Read => ({ outcome: 'loaded', instance }),
    (error: unknown): Read => ({ outcome: 'failed', error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const unanswered = new Promise<Read>(
    (resolve) => (timer = setTimeout(() => resolve({ outcome: 'unanswered' }), Math.max(0, deadline - Date.now()))),
  );
  try {
    return await Promise.race([load, unanswered]);
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for `promise` to settle, at most `ms`; never rejects (the caller polls without it). */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, ms))));
  await Promise.race([
    promise.then(
      () => undefined,
      () => undefined,
    ),
    timeout,
  ]);
  clearTimeout(timer);
}
