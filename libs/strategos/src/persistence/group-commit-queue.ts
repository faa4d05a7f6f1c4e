/** Options of a {@link GroupCommitQueue}. */
export interface GroupCommitOptions {
  /** Items handed to one flush at most. */
  readonly maxBatchSize: number;
  /** Flushes allowed to run at once. */
  readonly maxConcurrentFlushes: number;
  /**
   * Items allowed to wait at once; `submit` beyond it rejects with `COMMIT_BACKLOG_FULL` (a transient error:
   * consumers back off and retry). Back pressure, so that the backlog stays finite when the database falls behind.
   * @default unbounded
   */
  readonly maxWaiting?: number;
}

/** `submit` was refused because `maxWaiting` items already wait: the database is behind; retry later. */
export class CommitBacklogFullError extends Error {
  override readonly name = 'CommitBacklogFullError';
  readonly code = 'COMMIT_BACKLOG_FULL';

  constructor(readonly limit: number) {
    super(`${limit} transitions already wait for a commit; the database is behind, retry later`);
  }
}

/** A flush's result for one item that failed on its own: that item's `submit` rejects with `error`, the others resolve. */
export class ItemFailure {
  constructor(readonly error: unknown) {}
}

interface Pending<TItem, TResult> {
  readonly item: TItem;
  resolve(result: TResult): void;
  reject(error: unknown): void;
}

/** How far past a full batch `takeBatch` looks for items whose key is not taken yet (bounds the scan). */
const SCAN_FACTOR = 4;

/**
 * Group commit: items submitted while a flush runs are gathered and flushed together, so that under
 * load one database round trip serves many messages, and at low load nothing waits for a timer.
 * Items with the same key never share a flush (a later one waits for the next). A flush may fail one
 * item alone by returning an {@link ItemFailure} in its place.
 *
 * The waiting items are a FIFO with a moving head (no copy of the whole queue per flush), so a backlog of
 * any size costs O(1) per item.
 */
export class GroupCommitQueue<TItem, TResult> {
  private items: (Pending<TItem, TResult> | undefined)[] = [];
  private head = 0;
  private running = 0;
  private inFlight = 0;

  constructor(
    private readonly flush: (items: readonly TItem[]) => Promise<readonly (TResult | ItemFailure)[]>,
    private readonly options: GroupCommitOptions,
    private readonly keyOf: (item: TItem) => string = () => '',
  ) {}

  /**
   * Resolves with this item's result once the flush that carried it finished.
   * @throws CommitBacklogFullError `COMMIT_BACKLOG_FULL` when `maxWaiting` items already wait.
   */
  submit(item: TItem): Promise<TResult> {
    const limit = this.options.maxWaiting;
    if (limit !== undefined && this.waiting >= limit) return Promise.reject(new CommitBacklogFullError(limit));
    return new Promise<TResult>((resolve, reject) => {
      this.items.push({ item, resolve, reject });
      this.drain();
    });
  }

  /** Items waiting or being flushed. */
  get size(): number {
    return this.waiting + this.inFlight;
  }

  private get waiting(): number {
    return this.items.length - this.head;
  }

  private drain(): void {
    while (this.running < this.options.maxConcurrentFlushes && this.waiting > 0) {
      const batch = this.takeBatch();
      if (batch.length === 0) return;
      this.running += 1;
      this.inFlight += batch.length;
      void this.run(batch).finally(() => {
        this.running -= 1;
        this.inFlight -= batch.length;
        this.drain();
      });
    }
  }

  /** Takes up to `maxBatchSize` items from the head, with distinct keys; skipped items keep their place and order. */
  private takeBatch(): Pending<TItem, TResult>[] {
    const batch: Pending<TItem, TResult>[] = [];
    const skipped: Pending<TItem, TResult>[] = [];
    const keys = new Set<string>();
    const scanLimit = this.options.maxBatchSize * SCAN_FACTOR;
    while (batch.length < this.options.maxBatchSize && this.head < this.items.length && batch.length + skipped.length < scanLimit) {
      const pending = this.items[this.head] as Pending<TItem, TResult>;
      this.items[this.head] = undefined;
      this.head += 1;
      const key = this.keyOf(pending.item);
      if (key !== '' && keys.has(key)) {
        skipped.push(pending);
        continue;
      }
      keys.add(key);
      batch.push(pending);
    }
    // Skipped items were ahead of everything still waiting: back into the freed slots just before the head.
    this.head -= skipped.length;
    skipped.forEach((pending, index) => (this.items[this.head + index] = pending));
    this.compact();
    return batch;
  }

  /** Drops the consumed prefix once it is most of the array (amortised O(1) per item). */
  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  private async run(batch: Pending<TItem, TResult>[]): Promise<void> {
    try {
      const results = await this.flush(batch.map((p) => p.item));
      batch.forEach((pending, index) => {
        const result = results[index];
        if (result instanceof ItemFailure) pending.reject(result.error);
        else pending.resolve(result);
      });
    } catch (error) {
      batch.forEach((pending) => pending.reject(error));
    }
  }
}
