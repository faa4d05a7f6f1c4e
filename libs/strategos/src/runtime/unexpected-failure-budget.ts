/** Dead-letter code of a command whose processing failed unexpectedly more times than the budget allows. */
export const PROCESSING_FAILED = 'PROCESSING_FAILED';

/**
 * Counts unexpected processing failures per message (a bug, a step that cannot be resolved), so that such a
 * message is retried a bounded number of times and then dead-lettered with {@link PROCESSING_FAILED}, instead
 * of being redelivered forever. The count is the larger of this process's own count and the broker's
 * `x-delivery-count` (quorum queues), so it also holds across processes there. Remembers at most `capacity`
 * messages (the oldest are forgotten first): bounded memory whatever arrives.
 */
export class UnexpectedFailureBudget {
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly maxAttempts: number,
    private readonly capacity = 10_000,
  ) {}

  /** Records one more failure of `messageId`; true when it has now used up its attempts. */
  exhausted(messageId: string, brokerDeliveryCount: unknown): boolean {
    const delivered = typeof brokerDeliveryCount === 'number' ? brokerDeliveryCount + 1 : 0;
    const count = Math.max((this.failures.get(messageId) ?? 0) + 1, delivered);
    this.failures.delete(messageId);
    if (count >= this.maxAttempts) return true;
    this.failures.set(messageId, count);
    if (this.failures.size > this.capacity) this.failures.delete(this.failures.keys().next().value as string);
    return false;
  }

  /** Forgets `messageId` once it was processed. */
  settled(messageId: string): void {
    this.failures.delete(messageId);
  }
}
