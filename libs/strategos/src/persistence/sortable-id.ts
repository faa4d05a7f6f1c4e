import { randomBytes } from 'node:crypto';

/**
 * Ids that sort in creation order (time, then a per-generator counter, then the generator's random origin), so that the outbox
 * relay publishes a transition's messages in the order they were written.
 */
export class SortableIdGenerator {
  private counter = 0;
  /** Random once per generator: ids of two processes never collide, and no entropy is drawn per id. */
  private readonly origin = randomBytes(6).toString('hex');

  next(): string {
    this.counter = (this.counter + 1) % 0x100000000;
    return `${Date.now().toString(16).padStart(12, '0')}-${this.counter.toString(16).padStart(8, '0')}-${this.origin}`;
  }
}
