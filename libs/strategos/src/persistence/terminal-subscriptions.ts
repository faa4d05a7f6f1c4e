import { Logger } from '@nestjs/common';

/** Stops a subscription; calling it again does nothing. */
export type Unsubscribe = () => void;

/**
 * Who waits for which workflow to end: the bookkeeping behind `WorkflowStore.subscribeTerminal`.
 * A listener that throws is logged and does not keep the others from being called.
 */
export class TerminalSubscriptions {
  private readonly logger = new Logger(TerminalSubscriptions.name);
  private readonly listeners = new Map<string, Set<() => void>>();

  /** Adds `listener` for `workflowId`. */
  add(workflowId: string, listener: () => void): Unsubscribe {
    const set = this.listeners.get(workflowId) ?? new Set<() => void>();
    // A wrapper, so that one function subscribed twice is called twice and unsubscribed once each.
    const entry = (): void => listener();
    set.add(entry);
    this.listeners.set(workflowId, set);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.listeners.get(workflowId) === set) this.listeners.delete(workflowId);
    };
  }

  /** Calls the listeners of `workflowId`. */
  notify(workflowId: string): void {
    const set = this.listeners.get(workflowId);
    if (set) this.call([...set]);
  }

  /** Calls every listener (after notices may have been lost, so that each waiter checks again). */
  notifyAll(): void {
    this.call([...this.listeners.values()].flatMap((set) => [...set]));
  }

  /** Workflows with at least one listener. */
  get size(): number {
    return this.listeners.size;
  }

  private call(listeners: readonly (() => void)[]): void {
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        this.logger.warn({ message: 'A terminal-transition listener threw', error: (error as Error).message });
      }
    }
  }
}
