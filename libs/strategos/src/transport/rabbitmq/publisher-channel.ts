import type { LoggerService } from '@nestjs/common';
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { PublishBatch } from './publish-batch';
import type { PublishRequest } from './publish-request';
import { RabbitMqTransportError } from './rabbitmq-transport.error';

/** What became of a batch on one channel. */
export interface PublishOutcome {
  /** Messages whose confirm never came because the channel went down with its connection: publish again. */
  readonly lost: readonly PublishRequest[];
  /** Set when the broker refused messages or closed the channel over them: publishing again would not help. */
  readonly failure?: RabbitMqTransportError;
}

/**
 * One confirm channel and the bookkeeping around it: whether it is open, why the broker closed it,
 * which mandatory messages it returned as unroutable, and who waits for its write buffer to drain.
 */
export class PublisherChannel {
  private closed = false;
  private closing = false;
  private brokerError: Error | undefined;
  private encodingError: unknown;
  private readonly returned = new Map<string, number>();
  private readonly drainWaiters = new Set<() => void>();
  /** Batches waiting for confirms: a close settles what they still wait for as lost, at once. */
  private readonly batches = new Set<PublishBatch>();
  /** Why the broker closed the connection under this channel (541, 501, …), when it did. */
  private connectionError: unknown;

  constructor(
    private readonly channel: ConfirmChannel,
    private readonly logger: LoggerService,
    connection?: ChannelModel,
  ) {
    const onConnectionError = (error: unknown) => (this.connectionError = error);
    connection?.on('error', onConnectionError);
    // Before amqplib fails the pending confirm callbacks on close, so that they can tell a loss from a nack.
    channel.prependListener('close', () => {
      this.closed = true;
      connection?.off('error', onConnectionError);
      this.releaseDrainWaiters();
      // Whatever amqplib does with the callbacks of a closed channel, no confirm can come any more.
      for (const batch of [...this.batches]) batch.settleRemaining('lost');
    });
    channel.on('error', (error: Error) => {
      this.brokerError = error;
      this.logger.warn({ message: 'RabbitMQ closed the publishing channel', error: error.message });
    });
    channel.on('return', (message: Message) => this.recordReturn(message));
    channel.on('drain', () => this.releaseDrainWaiters());
  }

  get isOpen(): boolean {
    return !this.closed && !this.closing;
  }

  /**
   * Publishes every request and resolves once each one is confirmed, refused, lost, or stalled (no confirm
   * for `stallTimeoutMs`); never rejects.
   */
  async publishAll(requests: readonly PublishRequest[], stallTimeoutMs: number): Promise<PublishOutcome> {
    let next = 0;
    const pump = (): void => {
      while (next < requests.length && !batch.finished) {
        const index = next++;
        if (!this.isOpen) batch.settle(index, 'lost');
        else if (!this.publishOne(batch, index)) return void this.drainWaiters.add(pump);
      }
    };
    const batch = new PublishBatch(requests, stallTimeoutMs, () => this.drainWaiters.delete(pump));
    this.batches.add(batch);
    pump();
    if (this.closed) batch.settleRemaining('lost');
    await batch.settled;
    this.batches.delete(batch);
    return this.outcome(batch);
  }

  /** Publishes one message of the batch; false when the write buffer is full (wait for `drain`). */
  private publishOne(batch: PublishBatch, index: number): boolean {
    const request = batch.requests[index];
    const onConfirm = (error: unknown): void => {
      if (error === null || error === undefined) batch.settle(index, this.takeReturn(request) ? 'unroutable' : 'confirmed');
      else batch.settle(index, this.isOpen ? 'refused' : 'lost');
    };
    try {
      return this.channel.publish(request.exchange, request.routingKey, request.content, request.options, onConfirm);
    } catch (error) {
      // On an open channel, the confirm callback amqplib registered before throwing desynchronises the confirms: close it.
      if (this.isOpen) {
        this.encodingError = error;
        void this.close();
        batch.settle(index, 'refused');
      } else batch.settle(index, 'lost');
      return true;
    }
  }

  async close(): Promise<void> {
    if (this.closing || this.closed) return;
    this.closing = true;
    this.releaseDrainWaiters();
    await this.channel.close().catch(() => undefined);
  }

  private outcome(batch: PublishBatch): PublishOutcome {
    const lost = batch.having('lost');
    const refused = batch.having('refused');
    const unroutable = batch.having('unroutable');
    const stalled = batch.having('stalled');
    if (this.encodingError !== undefined && refused.length > 0) {
      return {
        lost,
        failure: new RabbitMqTransportError('MESSAGE_REFUSED', 'A message could not be encoded for RabbitMQ; check its headers', {
          cause: this.encodingError,
        }),
      };
    }
    if (refused.length > 0) {
      return {
        lost,
        failure: new RabbitMqTransportError(
          'PUBLISH_NACKED',
          `RabbitMQ refused ${refused.length} message(s) (first: ${describe(refused[0])}); publish them again later`,
        ),
      };
    }
    if (unroutable.length > 0) {
      const queues = [...new Set(unroutable.map((request) => request.routingKey))].join(', ');
      return {
        lost,
        failure: new RabbitMqTransportError(
          'MESSAGE_UNROUTABLE',
          `No queue ${queues} for ${unroutable.length} command(s); declare it (is the workflow in this process's topology?)`,
        ),
      };
    }
    if (stalled.length > 0) {
      return {
        lost,
        failure: new RabbitMqTransportError(
          'TRANSPORT_UNAVAILABLE',
          `RabbitMQ confirmed none of ${stalled.length} message(s) for too long (is the connection blocked by a resource alarm?); publish them again later`,
        ),
      };
    }
    if (lost.length > 0 && (isContentRefusal(this.connectionError) || isContentRefusal(this.brokerError))) {
      const cause = isContentRefusal(this.connectionError) ? this.connectionError : this.brokerError;
      return {
        lost: [],
        failure: new RabbitMqTransportError(
          'MESSAGE_REFUSED',
          `RabbitMQ closed the connection or channel over ${lost.length} message(s) (first: ${describe(lost[0])}): ${(cause as Error).message}`,
          { cause },
        ),
      };
    }
    if (lost.length > 0 && this.brokerError) {
      return {
        lost,
        failure: new RabbitMqTransportError('PUBLISH_FAILED', `RabbitMQ closed the publishing channel: ${this.brokerError.message}`, {
          cause: this.brokerError,
        }),
      };
    }
    return { lost };
  }

  private recordReturn(message: Message): void {
    const messageId: unknown = message.properties.messageId;
    if (typeof messageId === 'string') this.returned.set(messageId, (this.returned.get(messageId) ?? 0) + 1);
  }

  /** Whether the broker returned this (mandatory) message before confirming it: it reached no queue. */
  private takeReturn(request: PublishRequest): boolean {
    const messageId = request.options.messageId;
    if (!request.options.mandatory || messageId === undefined) return false;
    const count = this.returned.get(messageId) ?? 0;
    if (count === 0) return false;
    if (count === 1) this.returned.delete(messageId);
    else this.returned.set(messageId, count - 1);
    return true;
  }

  private releaseDrainWaiters(): void {
    const waiters = [...this.drainWaiters];
    this.drainWaiters.clear();
    for (const waiter of waiters) waiter();
  }
}

function describe(request: PublishRequest): string {
  return `${request.options.type ?? 'message'} ${request.options.messageId ?? ''} to ${request.exchange || '(default exchange)'}/${request.routingKey}`;
}

/**
 * AMQP reply codes with which RabbitMQ closes a channel or connection over what a client sent (not over an
 * outage, which is 320 CONNECTION_FORCED or a socket error): 406 PRECONDITION_FAILED (e.g. over max_message_size),
 * 501 FRAME_ERROR, 502 SYNTAX_ERROR, 505 UNEXPECTED_FRAME, 541 INTERNAL_ERROR (e.g. over a huge header).
 */
const CONTENT_REFUSAL_CODES: ReadonlySet<number> = new Set([406, 501, 502, 505, 541]);

function isContentRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' && CONTENT_REFUSAL_CODES.has(code);
}
