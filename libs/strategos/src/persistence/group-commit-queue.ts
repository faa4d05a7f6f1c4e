/** Options of a {@link GroupCommitQueue}. */
export interface GroupCommitOptions {
  /** Items handed to one flush at most. */
  readonly maxBatchSize: number;
  /** Flushes allowed to run at once. */
  readonly maxConcurrentFlushes: number;
}

interface Pending<TItem, TResult> {
  readonly item: TItem;
  resolve(result: TResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while a flush runs are gathered and flushed together, so that under
 * load one database round trip serves many messages, and at low load nothing waits for a timer.
 * Items with the same key never share a flush (a later one waits for the next).
 */
export class GroupCommitQueue<TItem, TResult> {
  private readonly queue: Pending<TItem, TResult>[] = [];
  private running = 0;

  constructor(
    private readonly flush: (items: readonly TItem[]) => Promise<readonly TResult[]>,
    private readonly options: GroupCommitOptions,
    private readonly keyOf: (item: TItem) => string = () => '',
  ) {}

  /** Resolves with this item's result once the flush that carried it finished. */
  submit(item: TItem): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  /** Items waiting or being flushed. */
  get size(): number {
    return this.queue.length + this.running;
  }

  private drain(): void {
    while (this.running < this.options.maxConcurrentFlushes && this.queue.length > 0) {
      const batch = this.takeBatch();
      this.running += 1;
      void this.run(batch).finally(() => {
        this.running -= 1;
        this.drain();
      });
    }
  }

  private takeBatch(): Pending<TItem, TResult>[] {
    const batch: Pending<TItem, TResult>[] = [];
    const keys = new Set<string>();
    const rest: Pending<TItem, TResult>[] = [];
    for (const pending of this.queue) {
      const key = this.keyOf(pending.item);
      if (batch.length < this.options.maxBatchSize && (key === '' || !keys.has(key))) {
        batch.push(pending);
        keys.add(key);
      } else {
        rest.push(pending);
      }
    }
    this.queue.splice(0, this.queue.length, ...rest);
    return batch;
  }

  private async run(batch: Pending<TItem, TResult>[]): Promise<void> {
    try {
      const results = await this.flush(batch.map((p) => p.item));
      batch.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      batch.forEach((pending) => pending.reject(error));
    }
  }
}
