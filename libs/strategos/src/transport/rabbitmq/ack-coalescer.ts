import type { Channel, Message } from 'amqplib';

/** The part of an amqplib channel an {@link AckCoalescer} settles on. */
export type AckChannel = Pick<Channel, 'ack' | 'nack'>;

/**
 * Coalesces the acks of one consumer channel: acks given in the same turn of the event loop leave as one
 * `basic.ack` with `multiple` (allUpTo) where the broker's semantics allow it, instead of one frame each. With
 * quorum queues every `basic.ack` is a settle command in the queue's Raft log, and every frame a write.
 *
 * It keeps the delivery tags handed out and not yet settled, in order, and the acked ones whose frame is not sent
 * yet. A flush, once per turn of the event loop from the first pending ack, acks the longest run of acked tags
 * starting at the lowest unsettled one with one `ack(last, true)`, and acks each acked message behind a gap (a lower
 * tag still being handled) on its own, so that no ack waits for a slow message (an unacked message counts against
 * the prefetch). `allUpTo` never covers a message still being handled or already rejected: a requeue leaves at once
 * and takes its tag out of the unsettled ones.
 *
 * Delivery tags belong to one channel: make one coalescer per channel, and {@link discard} it when the channel
 * closes (the broker redelivers what was not acked).
 */
export class AckCoalescer {
  /** Tags delivered and not settled yet, in delivery (= tag) order. */
  private readonly unsettled = new Map<number, Message>();
  /** Tags acked by their handler whose frame has not been sent yet. */
  private readonly acked = new Map<number, Message>();
  private flushScheduled = false;
  private discarded = false;

  /**
   * @param channel the channel the messages were delivered on.
   * @param onUnsent called with the acked messages whose frame could not be sent because the channel closed.
   */
  constructor(
    private readonly channel: AckChannel,
    private readonly onUnsent: (messages: readonly Message[]) => void = () => undefined,
  ) {}

  /** Acked messages whose frame is still to be sent. */
  get pending(): number {
    return this.acked.size;
  }

  /** Records a delivery; call it for every message the channel delivers, in delivery order. */
  delivered(message: Message): void {
    if (!this.discarded) this.unsettled.set(message.fields.deliveryTag, message);
  }

  /**
   * Acks `message` at the next flush (scheduled for the next turn of the event loop). A message not delivered on
   * this channel, or already settled, is ignored: a second ack of a tag would make the broker close the channel.
   */
  ack(message: Message): void {
    const tag = message.fields.deliveryTag;
    if (this.discarded) return this.onUnsent([message]);
    if (!this.unsettled.has(tag)) return;
    this.acked.set(tag, message);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Rejects `message` back to its queue now (`basic.nack`, requeue).
   * @throws what amqplib throws when the channel is closed; the broker then redelivers the message itself.
   */
  requeue(message: Message): void {
    this.unsettled.delete(message.fields.deliveryTag);
    this.channel.nack(message, false, true);
  }

  /** Sends the frames of every pending ack now: one `allUpTo` ack for the run from the lowest unsettled tag, single acks behind a gap. */
  flush(): void {
    this.flushScheduled = false;
    if (this.acked.size === 0 || this.discarded) return;
    try {
      const run = this.leadingAckedRun();
      if (run.length > 0) {
        this.channel.ack(run[run.length - 1], run.length > 1);
        for (const message of run) this.forget(message);
      }
      for (const message of [...this.acked.values()]) {
        this.channel.ack(message);
        this.forget(message);
      }
    } catch {
      const unsent = [...this.acked.values()];
      this.discard();
      this.onUnsent(unsent);
    }
  }

  /** Forgets everything: the channel closed and the broker redelivers whatever was not acked on it. */
  discard(): void {
    this.discarded = true;
    this.unsettled.clear();
    this.acked.clear();
  }

  /** The acked messages from the lowest unsettled tag up to the first one not acked, in tag order. */
  private leadingAckedRun(): Message[] {
    const run: Message[] = [];
    for (const [tag, message] of this.unsettled) {
      if (!this.acked.has(tag)) break;
      run.push(message);
    }
    return run;
  }

  private forget(message: Message): void {
    this.unsettled.delete(message.fields.deliveryTag);
    this.acked.delete(message.fields.deliveryTag);
  }
}
