import { TERMINAL_STATUSES, type WorkflowInstance } from '../engine/workflow-instance';
import type { TransitionNotifier } from '../persistence/transition-notifier';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import type { WorkflowState } from '../state/workflow-state.interface';
import { WaitForTimeoutError } from './wait-for-timeout.error';
import { toWorkflowView, type HistoryEntry, type WorkflowView } from './workflow-view';

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** Re-reads the store at most this often when no in-process notice arrives (other processes' transitions). @default 200 */
  readonly pollIntervalMs?: number;
}

/** Reads workflow instances and their audit trail. */
export class WorkflowQuery {
  constructor(
    private readonly store: WorkflowStore,
    private readonly notifier: TransitionNotifier,
  ) {}

  /** The instance's current view, or null for an unknown id. */
  async get<S extends WorkflowState = WorkflowState>(workflowId: string): Promise<WorkflowView<S> | null> {
    const instance = await this.store.load(workflowId);
    return instance ? toWorkflowView<S>(instance) : null;
  }

  /** The ordered audit trail of the instance (empty for an unknown id). */
  async history(workflowId: string): Promise<HistoryEntry[]> {
    const events = await this.store.history(workflowId);
    return events.map((event) => ({ type: event.type, kind: event.kind, sequence: event.sequence, data: event.data, timestamp: new Date(event.timestamp) }));
  }

  /**
   * Resolves with the view once the instance reaches a terminal status (completed, failed, compensated, cancelled).
   * Woken at once by transitions committed in this process; polls for those of other processes.
   * @throws WaitForTimeoutError `WAIT_FOR_TIMEOUT`.
   */
  async waitFor<S extends WorkflowState = WorkflowState>(workflowId: string, options: WaitForOptions = {}): Promise<WorkflowView<S>> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const pollIntervalMs = options.pollIntervalMs ?? 200;
    const deadline = Date.now() + timeoutMs;
    let wake: () => void = () => undefined;
    const unsubscribe = this.notifier.subscribe(workflowId, (instance) => isTerminal(instance) && wake());
    try {
      let last: WorkflowInstance | null = null;
      while (Date.now() < deadline) {
        last = await this.store.load(workflowId);
        if (last && isTerminal(last)) return toWorkflowView<S>(last);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(pollIntervalMs, Math.max(0, deadline - Date.now())));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      throw new WaitForTimeoutError(workflowId, timeoutMs, last?.phase);
    } finally {
      unsubscribe();
    }
  }
}

function isTerminal(instance: WorkflowInstance): boolean {
  return TERMINAL_STATUSES.has(instance.status);
}
