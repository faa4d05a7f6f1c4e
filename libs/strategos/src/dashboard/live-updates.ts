import { Logger } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import type { BusEvent } from './dashboard-event-feed';
import type { RunSummary } from './run-summary';

/** One batch of live changes, as the browser receives it (`event: runs`). */
export interface LiveBatch {
  /** The current summary of every run that changed in the interval. */
  readonly runs: RunSummary[];
  /** More runs changed than one batch carries: the page should read its list again. */
  readonly overflow: boolean;
}

/** The most runs one batch carries; past it the batch says `overflow`. */
export const MAX_RUNS_PER_BATCH = 500;
const MAX_TRACE_IDS = 10_000;

/**
 * Turns the workflow events of the bus into batched updates: collects the ids that changed, and every
 * `batchMs` (only while someone listens) reads their summaries in one query and sends them as one batch to
 * every listener. However many steps run per second, each listener gets at most one message per interval.
 * Also remembers the trace id last seen per run (the store does not keep it).
 */
export class LiveUpdates {
  private readonly logger = new Logger('StrategosDashboard');
  private readonly changed = new Set<string>();
  private readonly batches = new Subject<LiveBatch>();
  private readonly traceIds = new Map<string, string>();
  private listeners = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;

  constructor(
    private readonly batchMs: number,
    private readonly load: (workflowIds: readonly string[]) => Promise<RunSummary[]>,
  ) {}

  /** Feeds one event from the bus. */
  accept(event: BusEvent): void {
    if (event.traceparent) this.rememberTrace(event.workflowId, event.traceparent);
    if (this.listeners > 0) this.changed.add(event.workflowId);
  }

  /** The W3C trace id of the run, when one of its events was seen since this process started. */
  traceId(workflowId: string): string | undefined {
    return this.traceIds.get(workflowId);
  }

  /** The batches, from now on; the interval runs while at least one subscriber listens. */
  stream(): Observable<LiveBatch> {
    return new Observable<LiveBatch>((subscriber) => {
      const subscription = this.batches.subscribe(subscriber);
      this.listeners++;
      this.timer ??= setInterval(() => void this.flush(), this.batchMs);
      return () => {
        subscription.unsubscribe();
        this.listeners--;
        if (this.listeners === 0) {
          clearInterval(this.timer);
          this.timer = undefined;
          this.changed.clear();
        }
      };
    });
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.batches.complete();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.changed.size === 0) return;
    this.flushing = true;
    const ids = [...this.changed];
    this.changed.clear();
    try {
      const overflow = ids.length > MAX_RUNS_PER_BATCH;
      const runs = await this.load(ids.slice(0, MAX_RUNS_PER_BATCH));
      this.batches.next({ runs, overflow });
    } catch (error) {
      // The store is unreachable: keep the ids for the next interval.
      ids.forEach((id) => this.changed.add(id));
      this.logger.warn({ message: 'Live update read failed; retrying', error: (error as Error).message });
    } finally {
      this.flushing = false;
    }
  }

  private rememberTrace(workflowId: string, traceparent: string): void {
    const traceId = traceparent.split('-')[1];
    if (!traceId) return;
    this.traceIds.delete(workflowId);
    this.traceIds.set(workflowId, traceId);
    if (this.traceIds.size > MAX_TRACE_IDS) this.traceIds.delete(this.traceIds.keys().next().value as string);
  }
}
