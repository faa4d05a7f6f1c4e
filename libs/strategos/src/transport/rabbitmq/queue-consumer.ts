import type { LoggerService } from '@nestjs/common';
import type { Channel, ChannelModel, ConsumeMessage, Message } from 'amqplib';
import type { Disposition, MessageHandler } from '../transport.interface';
import { headerBytes, jsonDepthExceeds, type MessageLimits } from '../../messages/message-limits';
import { AckCoalescer } from './ack-coalescer';
import { AmqpReplyCode, hasReplyCode } from './amqp-reply-code';
import type { ConfirmPublisher } from './confirm-publisher';
import { toDeadLetterRequest } from './dead-letter-request';
import type { InFlightTracker } from './in-flight-tracker';
import { RabbitMqTransportError } from './rabbitmq-transport.error';
import { messageIdOf, toIncomingMessage } from './to-incoming-message';

/** What a {@link QueueConsumer} shares with its transport. */
export interface QueueConsumerContext {
  readonly publisher: ConfirmPublisher;
  readonly deadLetterExchange: string;
  readonly inFlight: InFlightTracker;
  readonly logger: LoggerService;
  /** Bounds a message must respect to reach the handler (else it is dead-lettered); dead-letter copies' headers are cut to `maxHeaderBytes`. */
  readonly limits: MessageLimits;
  /** Called when the consumer's channel closed while its connection stayed up (the transport re-attaches it). */
  readonly onChannelLost: (consumer: QueueConsumer) => void;
}

/**
 * One consumer of one queue, on its own channel with its own prefetch. Up to `prefetch` handlers run at
 * once; each settles its message on the channel it came from by the handler's disposition. Acks are coalesced
 * per channel ({@link AckCoalescer}): those of one turn of the event loop leave together, as one `allUpTo` ack
 * where the delivery tags allow. A message whose channel closed before it was settled is left alone: the broker
 * redelivers it.
 */
export class QueueConsumer {
  private channel: Channel | undefined;
  private acks: AckCoalescer | undefined;
  private connection: ChannelModel | undefined;
  private consumerTag: string | undefined;
  private attaching: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    readonly queue: string,
    private readonly handler: MessageHandler,
    private readonly prefetch: number,
    private readonly context: QueueConsumerContext,
    private readonly unbounded = false,
  ) {}

  /** Whether deliveries are flowing (or the consumer was stopped on purpose). */
  get healthy(): boolean {
    return this.stopped || this.consumerTag !== undefined;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Opens a channel on `connection` and starts consuming; does nothing if already consuming on it. */
  attach(connection: ChannelModel): Promise<void> {
    // One attach at a time; a later one for the same connection finds it done.
    const attached = this.attaching.catch(() => undefined).then(() => this.open(connection));
    this.attaching = attached;
    return attached;
  }

  /** Cancels the consumer: no new deliveries; in-flight handlers still settle on the open channel. */
  async cancel(): Promise<void> {
    this.stopped = true;
    await this.attaching.catch(() => undefined);
    const { channel, consumerTag } = this;
    this.consumerTag = undefined;
    if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
  }

  /** Sends the acks given so far, then closes the channel; messages not settled yet go back to the queue. */
  async close(): Promise<void> {
    this.stopped = true;
    const channel = this.channel;
    this.acks?.flush();
    this.channel = undefined;
    this.acks = undefined;
    this.consumerTag = undefined;
    await channel?.close().catch(() => undefined);
  }

  private async open(connection: ChannelModel): Promise<void> {
    if (this.stopped || (this.channel && this.connection === connection)) return;
    const channel = await connection.createChannel();
    channel.on('error', (error: Error) =>
      this.context.logger.warn({ message: 'RabbitMQ closed a consumer channel', queue: this.queue, error: error.message }),
    );
    const acks = new AckCoalescer(channel, (unsent) => this.logUnsettled(unsent));
    channel.on('close', () => {
      acks.discard();
      this.onClose(channel);
    });
    let consumerTag: string;
    try {
      await channel.prefetch(this.prefetch);
      ({ consumerTag } = await channel.consume(this.queue, (message) => this.onDelivery(channel, acks, message), { noAck: false }));
    } catch (error) {
      await channel.close().catch(() => undefined);
      if (hasReplyCode(error, AmqpReplyCode.NotFound)) {
        throw new RabbitMqTransportError(
          'QUEUE_NOT_FOUND',
          `Queue ${this.queue} does not exist; consume only queues of the topology given to connect()`,
          { cause: error },
        );
      }
      throw error;
    }
    // Adopted only once consuming, so that a failed start is the caller's error rather than a lost channel.
    this.channel = channel;
    this.acks = acks;
    this.connection = connection;
    this.consumerTag = consumerTag;
    if (this.stopped) {
      await channel.cancel(consumerTag).catch(() => undefined);
      this.consumerTag = undefined;
      return;
    }
    this.context.logger.log({ message: 'Consuming queue', queue: this.queue, prefetch: this.prefetch });
  }

  private onClose(channel: Channel): void {
    if (this.channel !== channel) return;
    this.channel = undefined;
    this.acks = undefined;
    this.consumerTag = undefined;
    if (!this.stopped) this.context.onChannelLost(this);
  }

  private onDelivery(channel: Channel, acks: AckCoalescer, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (e.g. the queue was deleted): start over on a fresh channel.
      this.context.logger.warn({ message: 'RabbitMQ cancelled a consumer', queue: this.queue });
      void channel.close().catch(() => undefined);
      return;
    }
    acks.delivered(message);
    this.context.inFlight.track(this.process(acks, message));
  }

  private async process(acks: AckCoalescer, message: ConsumeMessage): Promise<void> {
    const incoming = toIncomingMessage(this.queue, message);
    let disposition: Disposition;
    try {
      disposition = (this.unbounded ? undefined : this.overLimits(message, incoming.body)) ?? (await this.handler(incoming));
    } catch (error) {
      this.context.logger.error({
        message: 'Message handler threw; requeueing the message',
        queue: this.queue,
        messageId: incoming.messageId,
        error: errorMessage(error),
      });
      disposition = { kind: 'requeue' };
    }
    await this.settle(acks, message, disposition, incoming.messageId);
  }

  /** The dead letter of a message beyond the limits, checked before anything decodes it; undefined when within them. */
  private overLimits(message: ConsumeMessage, body: string): Disposition | undefined {
    const { maxMessageBytes, maxHeaderBytes, maxJsonDepth } = this.context.limits;
    const headersSize = headerBytes(message.properties.headers);
    if (headersSize > maxHeaderBytes)
      return deadLetter('HEADERS_TOO_LARGE', `headers of about ${headersSize} bytes exceed limits.maxHeaderBytes (${maxHeaderBytes})`);
    if (message.content.length > maxMessageBytes)
      return deadLetter('MESSAGE_TOO_LARGE', `body of ${message.content.length} bytes exceeds limits.maxMessageBytes (${maxMessageBytes})`);
    if (jsonDepthExceeds(body, maxJsonDepth))
      return deadLetter('MALFORMED_JSON', `body nests deeper than limits.maxJsonDepth (${maxJsonDepth}) levels`);
    return undefined;
  }

  private async settle(
    acks: AckCoalescer,
    message: ConsumeMessage,
    disposition: Disposition,
    messageId: string | undefined,
  ): Promise<void> {
    if (disposition.kind === 'dead-letter') {
      const copy = toDeadLetterRequest(message, this.queue, this.context.deadLetterExchange, disposition, new Date(), {
        maxHeaderBytes: this.context.limits.maxHeaderBytes,
      });
      try {
        await this.context.publisher.publish([copy], { waitForReconnect: false });
      } catch (error) {
        this.context.logger.error({
          message: 'Dead-lettering failed; requeueing the message',
          queue: this.queue,
          messageId,
          code: disposition.code,
          error: errorMessage(error),
        });
        this.requeue(acks, message);
        return;
      }
      this.context.logger.warn({
        message: 'Message dead-lettered',
        queue: this.queue,
        messageId,
        code: disposition.code,
        reason: disposition.reason,
      });
    }
    if (disposition.kind === 'requeue') this.requeue(acks, message);
    else acks.ack(message);
  }

  /** Requeues on the delivery's channel; once that channel is gone the broker has requeued the message itself. */
  private requeue(acks: AckCoalescer, message: Message): void {
    try {
      acks.requeue(message);
    } catch {
      this.logUnsettled([message]);
    }
  }

  private logUnsettled(messages: readonly Message[]): void {
    for (const message of messages) {
      this.context.logger.debug?.({
        message: 'Channel closed before the message was settled; the broker redelivers it',
        queue: this.queue,
        messageId: messageIdOf(message),
      });
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function deadLetter(code: string, reason: string): Disposition {
  return { kind: 'dead-letter', code, reason };
}
