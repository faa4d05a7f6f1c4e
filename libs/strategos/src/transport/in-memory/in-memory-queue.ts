import type { LoggerService } from '@nestjs/common';
import type { InFlightTracker } from '../rabbitmq/in-flight-tracker';
import type { Disposition, MessageHandler } from '../transport.interface';
import { toDelivery, type StoredMessage } from './stored-message';

/** One consumer of an {@link InMemoryQueue}. */
interface QueueConsumer {
  readonly handler: MessageHandler;
  readonly prefetch: number;
  unacked: number;
}

/** What a queue shares with its transport. */
export interface InMemoryQueueContext {
  readonly inFlight: InFlightTracker;
  readonly logger: LoggerService;
  /** Moves a message to the dead-letter queue with the reason. */
  deadLetter(queue: string, message: StoredMessage, disposition: Extract<Disposition, { kind: 'dead-letter' }>): void;
}

/**
 * A queue as a broker keeps it: ready messages in order, consumers served round-robin up to their prefetch,
 * each delivery asynchronous (a later turn of the event loop), settled by the handler's disposition. A
 * requeued message goes back to the head with `redelivered` set.
 */
export class InMemoryQueue {
  private readonly ready: StoredMessage[] = [];
  private consumers: QueueConsumer[] = [];
  private unacked = 0;
  private scheduled = false;
  private turn = 0;

  constructor(
    readonly name: string,
    private readonly context: InMemoryQueueContext,
  ) {}

  /** Messages not settled yet: waiting, or held by a consumer. */
  get pending(): number {
    return this.ready.length + this.unacked;
  }

  /** Messages waiting for a consumer. */
  get readyCount(): number {
    return this.ready.length;
  }

  /** Whether nothing here can make progress: no message held, and none waiting for a consumer with room. */
  get idle(): boolean {
    return !this.scheduled && this.unacked === 0 && (this.ready.length === 0 || this.consumers.length === 0);
  }

  /** A snapshot of the waiting messages. */
  peek(): readonly StoredMessage[] {
    return [...this.ready];
  }

  enqueue(message: StoredMessage): void {
    this.ready.push(message);
    this.schedule();
  }

  addConsumer(handler: MessageHandler, prefetch: number): void {
    this.consumers.push({ handler, prefetch, unacked: 0 });
    this.schedule();
  }

  /** How many consumers the queue has. */
  get consumerCount(): number {
    return this.consumers.length;
  }

  /** Cancels every consumer; their in-flight messages still settle. */
  cancelConsumers(): void {
    this.consumers = [];
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.ready.length > 0) {
      const consumer = this.nextWithRoom();
      if (!consumer) return;
      const message = this.ready.shift() as StoredMessage;
      consumer.unacked++;
      this.unacked++;
      this.context.inFlight.track(this.deliver(consumer, message));
    }
  }

  /** The next consumer in round-robin order with room under its prefetch. */
  private nextWithRoom(): QueueConsumer | undefined {
    for (let tried = 0; tried < this.consumers.length; tried++) {
      const consumer = this.consumers[this.turn++ % this.consumers.length];
      if (consumer.unacked < consumer.prefetch) return consumer;
    }
    return undefined;
  }

  private async deliver(consumer: QueueConsumer, message: StoredMessage): Promise<void> {
    let disposition: Disposition;
    try {
      disposition = await consumer.handler(toDelivery(this.name, message));
    } catch (error) {
      this.context.logger.error({
        message: 'Message handler threw; requeueing the message',
        queue: this.name,
        messageId: message.messageId,
        error: error instanceof Error ? error.message : String(error),
      });
      disposition = { kind: 'requeue' };
    }
    this.unacked--;
    consumer.unacked--;
    if (disposition.kind === 'requeue') this.ready.unshift({ ...message, redelivered: true });
    else if (disposition.kind === 'dead-letter') this.context.deadLetter(this.name, message, disposition);
    this.schedule();
  }
}
