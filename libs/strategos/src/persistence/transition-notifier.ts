import type { WorkflowInstance } from '../engine/workflow-instance';

type Listener = (instance: WorkflowInstance) => void;

/** In-process notice of committed transitions, so that `waitFor` in the same process wakes at once. */
export class TransitionNotifier {
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly everyCommit = new Set<() => void>();

  /** Calls `listener` after each committed transition of any workflow (e.g. to publish its events at once). */
  onEveryCommit(listener: () => void): () => void {
    this.everyCommit.add(listener);
    return () => this.everyCommit.delete(listener);
  }

  /** Calls `listener` for each committed transition of `workflowId`; returns the unsubscribe function. */
  subscribe(workflowId: string, listener: Listener): () => void {
    const set = this.listeners.get(workflowId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(workflowId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(workflowId);
    };
  }

  notify(instance: WorkflowInstance): void {
    this.everyCommit.forEach((listener) => listener());
    this.listeners.get(instance.workflowId)?.forEach((listener) => listener(instance));
  }
}
