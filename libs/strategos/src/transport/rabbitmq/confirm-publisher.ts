import type { LoggerService } from '@nestjs/common';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PublishRequest } from './publish-request';
import { PublisherChannel } from './publisher-channel';
import { RabbitMqTransportError } from './rabbitmq-transport.error';

const OPEN_RETRY_DELAY_MS = 50;

/** Where the publisher gets its connection from ({@link ConnectionSupervisor}). */
export interface ConnectionSource {
  readonly connection: ChannelModel | undefined;
  readonly closed: boolean;
  waitForConnection(timeoutMs: number): Promise<ChannelModel>;
}

/** Options of one {@link ConfirmPublisher.publish} call. */
export interface PublishCallOptions {
  /**
   * Whether to wait for a connection when there is none at the start. A dead-letter copy does not: its original
   * is redelivered after the loss anyway.
   * @default true
   */
  readonly waitForReconnect?: boolean;
}

/**
 * Publishes through one confirm channel and resolves only once the broker confirmed every message. Many
 * messages share one wait (the confirms arrive as they come, no per-message await); a full socket buffer
 * pauses until `drain`. When the channel or connection closes with messages unconfirmed, the publish fails at
 * once (`CONNECTION_LOST`, or `MESSAGE_REFUSED` when the broker closed it over their content): the caller's
 * outbox keeps them and publishes them again, so nothing waits for a stall timer nor loops on a poison message.
 */
export class ConfirmPublisher {
  private current: PublisherChannel | undefined;
  private opening: Promise<PublisherChannel> | undefined;
  private closed = false;

  constructor(
    private readonly connections: ConnectionSource,
    private readonly timeoutMs: number,
    private readonly logger: LoggerService,
  ) {}

  /** Opens the confirm channel on a new connection (part of the connection's setup). */
  async attach(connection: ChannelModel): Promise<void> {
    this.current = await this.open(connection);
  }

  /**
   * Publishes `requests` and resolves when the broker confirmed all of them.
   * @throws RabbitMqTransportError `TRANSPORT_UNAVAILABLE` (no connection within the timeout),
   * `PUBLISH_NACKED`, `MESSAGE_UNROUTABLE`, `PUBLISH_FAILED`, `MESSAGE_REFUSED`, `CONNECTION_LOST` (the channel closed before the confirms),
   * `TRANSPORT_CLOSED`.
   */
  async publish(requests: readonly PublishRequest[], options: PublishCallOptions = {}): Promise<void> {
    const waitForReconnect = options.waitForReconnect ?? true;
    if (requests.length === 0) return;
    const channel = await this.acquire(Date.now() + this.timeoutMs, waitForReconnect);
    const outcome = await channel.publishAll(requests, this.timeoutMs);
    if (outcome.failure) throw outcome.failure;
    if (outcome.lost.length > 0)
      throw new RabbitMqTransportError(
        'CONNECTION_LOST',
        `The RabbitMQ channel closed before the broker confirmed ${outcome.lost.length} message(s); publish them again`,
      );
  }

  /** Closes the channel (at shutdown, after the consumers settled their messages). */
  async close(): Promise<void> {
    this.closed = true;
    const channel = this.current;
    this.current = undefined;
    await channel?.close();
  }

  private async acquire(deadline: number, waitForReconnect: boolean): Promise<PublisherChannel> {
    for (;;) {
      if (this.closed || this.connections.closed)
        throw new RabbitMqTransportError('TRANSPORT_CLOSED', 'The RabbitMQ transport is closed; messages can no longer be published');
      if (this.current?.isOpen) return this.current;
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0)
        throw new RabbitMqTransportError(
          'TRANSPORT_UNAVAILABLE',
          `RabbitMQ was unreachable for ${this.timeoutMs} ms; the messages were not published`,
        );
      const connection = this.connections.connection;
      if (connection) {
        try {
          this.opening ??= this.open(connection).finally(() => (this.opening = undefined));
          this.current = await this.opening;
        } catch {
          // the connection is going down, or the broker refused a channel: pause, then look again
          await sleep(OPEN_RETRY_DELAY_MS);
        }
      } else if (waitForReconnect) {
        await this.connections.waitForConnection(remainingMs);
      } else {
        throw new RabbitMqTransportError('CONNECTION_LOST', 'The RabbitMQ connection is down');
      }
    }
  }

  private async open(connection: ChannelModel): Promise<PublisherChannel> {
    const channel: ConfirmChannel = await connection.createConfirmChannel();
    return new PublisherChannel(channel, this.logger, connection);
  }
}
