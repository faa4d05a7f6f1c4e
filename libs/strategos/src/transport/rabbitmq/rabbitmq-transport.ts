import { Logger, type LoggerService } from '@nestjs/common';
import type { Channel, ChannelModel } from 'amqplib';
import type { Topology } from '../../messages/topology';
import type { ConsumeOptions, MessageHandler, OutgoingMessage, Transport } from '../transport.interface';
import { ConfirmPublisher } from './confirm-publisher';
import { ConnectionSupervisor } from './connection-supervisor';
import { InFlightTracker } from './in-flight-tracker';
import { InvalidTransportOptionsError } from './invalid-transport-options.error';
import { headerBytes } from '../../messages/message-limits';
import { toPublishRequest, type PublishRequest } from './publish-request';
import { QueueConsumer } from './queue-consumer';
import type { RabbitMqTransportOptions, RabbitMqTransportSettings } from './rabbitmq-transport-options.interface';
import { resolveRabbitMqTransportSettings } from './rabbitmq-transport-settings';
import { RabbitMqTransportError } from './rabbitmq-transport.error';
import { reconnectDelay } from './reconnect-backoff';
import { TopologyDeclarer } from './topology-declarer';

/**
 * The {@link Transport} on RabbitMQ (amqplib): one connection, one confirm channel for publishing and a
 * channel per consumer. After a connection loss it reconnects with capped exponential back-off, declares
 * the topology again and re-establishes every consumer; `isHealthy()` is false meanwhile.
 *
 * @example
 * const transport = new RabbitMqTransport({ url: 'amqp://guest:guest@127.0.0.1:5672' });
 * await transport.connect(buildTopology('strategos', 'quorum', [processOrder]));
 * await transport.consume('strategos.process-order.ProcessPayment', handle, { prefetch: 10 });
 */
export class RabbitMqTransport implements Transport {
  private readonly settings: RabbitMqTransportSettings;
  private readonly logger: LoggerService;
  private readonly supervisor: ConnectionSupervisor;
  private readonly publisher: ConfirmPublisher;
  private readonly inFlight = new InFlightTracker();
  private readonly reattachAttempts = new WeakMap<QueueConsumer, number>();
  private consumers: QueueConsumer[] = [];
  private readonly cancelledConsumers: QueueConsumer[] = [];
  private declarer: TopologyDeclarer | undefined;
  private topology: Topology | undefined;
  private closed = false;

  /** @throws InvalidTransportOptionsError (`INVALID_TRANSPORT_OPTIONS`) naming the invalid option. */
  constructor(options: RabbitMqTransportOptions) {
    this.settings = resolveRabbitMqTransportSettings(options);
    this.logger = options.logger ?? new Logger(RabbitMqTransport.name);
    const { url, connectionName, reconnect } = this.settings;
    this.supervisor = new ConnectionSupervisor({ url, connectionName, reconnect, logger: this.logger }, (connection) =>
      this.setUp(connection),
    );
    this.publisher = new ConfirmPublisher(this.supervisor, this.settings.unavailableTimeoutMs, this.logger);
  }

  /**
   * Connects and declares the topology; retries an unreachable broker for `unavailableTimeoutMs`.
   * @throws RabbitMqTransportError `TRANSPORT_UNAVAILABLE`, `ACCESS_REFUSED`, `TOPOLOGY_MISMATCH`, `TRANSPORT_CLOSED`.
   */
  async connect(topology: Topology): Promise<void> {
    if (this.closed) throw closedError();
    this.topology = topology;
    this.declarer = new TopologyDeclarer(topology, this.settings.subscriptions, this.settings.queueType, this.logger);
    const connection = this.supervisor.connection;
    if (connection) await this.declarer.declare(connection);
    else await this.supervisor.start(this.settings.unavailableTimeoutMs);
  }

  /**
   * How many consumers `queue` has now, across every process (for stalled-run detection), on a channel of
   * its own since the broker closes a channel that asks about a missing queue. Undefined when not
   * connected or when the queue does not exist.
   */
  async consumerCount(queue: string): Promise<number | undefined> {
    const connection = this.supervisor.connection;
    if (!connection) return undefined;
    let channel: Channel | undefined;
    try {
      channel = await connection.createChannel();
      channel.on('error', () => undefined);
      return (await channel.checkQueue(queue)).consumerCount;
    } catch {
      return undefined;
    } finally {
      await channel?.close().catch(() => undefined);
    }
  }

  /**
   * Publishes persistently and resolves once the broker confirmed every message. While the connection is down it
   * waits (up to `unavailableTimeoutMs`) for one; messages in flight when a connection drops fail at once
   * (`CONNECTION_LOST`): publish them again (the outbox does).
   * @throws RabbitMqTransportError `TRANSPORT_UNAVAILABLE`, `CONNECTION_LOST`, `PUBLISH_NACKED`, `MESSAGE_UNROUTABLE`, `PUBLISH_FAILED`, `MESSAGE_REFUSED`, `MESSAGE_TOO_LARGE`, `HEADERS_TOO_LARGE`, `NOT_CONNECTED`, `TRANSPORT_CLOSED`.
   */
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.requireConnect();
    if (messages.length === 0) return;
    const now = Date.now();
    const requests = messages.map((message) => toPublishRequest(message, now));
    for (const request of requests) this.assertWithinLimits(request);
    await this.publisher.publish(requests);
  }

  /**
   * Starts consuming `queue` (waiting for the connection if it is down); the consumer is re-established
   * after every reconnect until `stopConsuming()`.
   * @throws RabbitMqTransportError `QUEUE_NOT_FOUND`, `TRANSPORT_UNAVAILABLE`, `NOT_CONNECTED`; InvalidTransportOptionsError for the prefetch.
   */
  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<void> {
    const topology = this.requireConnect();
    if (!Number.isInteger(options.prefetch) || options.prefetch < 1 || options.prefetch > 65_535) {
      throw new InvalidTransportOptionsError('prefetch', `must be an integer from 1 to 65535 (got ${options.prefetch})`);
    }
    const context = {
      publisher: this.publisher,
      deadLetterExchange: topology.deadLetterExchange,
      inFlight: this.inFlight,
      logger: this.logger,
      limits: this.settings.limits,
      onChannelLost: (lost: QueueConsumer) => this.scheduleReattach(lost),
    };
    const consumer = new QueueConsumer(queue, handler, options.prefetch, context, options.unbounded ?? false);
    // Registered first, so that a connection set up meanwhile attaches it too (attach is idempotent).
    this.consumers.push(consumer);
    try {
      await consumer.attach(await this.supervisor.waitForConnection(this.settings.unavailableTimeoutMs));
    } catch (error) {
      this.consumers = this.consumers.filter((other) => other !== consumer);
      await consumer.close();
      throw error;
    }
  }

  /** Cancels every consumer (no new deliveries) and keeps the connection; in-flight handlers still settle. */
  async stopConsuming(): Promise<void> {
    const consumers = this.consumers;
    this.consumers = [];
    this.cancelledConsumers.push(...consumers);
    await Promise.all(consumers.map((consumer) => consumer.cancel()));
  }

  /**
   * Stops consuming, waits up to `shutdownGraceMs` for in-flight handlers, then closes the channels and the
   * connection (messages still unsettled are redelivered by the broker). Never reconnects afterwards.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopConsuming();
    const drained = await this.inFlight.drain(this.settings.shutdownGraceMs);
    if (!drained)
      this.logger.warn({
        message: 'Shutdown grace elapsed with handlers in flight; their messages will be redelivered',
        inFlight: this.inFlight.size,
      });
    await Promise.all(this.cancelledConsumers.map((consumer) => consumer.close()));
    await this.publisher.close();
    await this.supervisor.close();
  }

  /** True while connected with the topology declared and every consumer consuming. */
  isHealthy(): boolean {
    return !this.closed && this.supervisor.connection !== undefined && this.consumers.every((consumer) => consumer.healthy);
  }

  /** The setup of every connection: topology, publishing channel, consumers. */
  private async setUp(connection: ChannelModel): Promise<void> {
    await this.declarer?.declare(connection);
    await this.publisher.attach(connection);
    await Promise.all(this.consumers.map((consumer) => consumer.attach(connection)));
  }

  /** A consumer channel closed while the connection may be up (a channel error, a deleted queue): attach it again. */
  private scheduleReattach(consumer: QueueConsumer): void {
    const attempt = this.reattachAttempts.get(consumer) ?? 0;
    const timer = setTimeout(() => void this.reattach(consumer, attempt), reconnectDelay(this.settings.reconnect, attempt));
    timer.unref();
  }

  private async reattach(consumer: QueueConsumer, attempt: number): Promise<void> {
    const connection = this.supervisor.connection;
    // Without a connection, the setup of the next one attaches it.
    if (this.closed || consumer.isStopped || !connection) return;
    try {
      // The queue may have been deleted: declaring the topology again is idempotent and cheap.
      await this.declarer?.declare(connection);
      await consumer.attach(connection);
      this.reattachAttempts.delete(consumer);
    } catch (error) {
      this.logger.warn({
        message: 'Re-establishing a consumer failed; retrying',
        queue: consumer.queue,
        attempt,
        error: error instanceof Error ? error.message : String(error),
      });
      this.reattachAttempts.set(consumer, attempt + 1);
      this.scheduleReattach(consumer);
    }
  }

  /**
   * Refuses, before it reaches the broker, a message RabbitMQ would close the connection over (headers) or that
   * consumers would dead-letter (size). Copies to the dead-letter exchange may be of any size, so that what was
   * refused can still be archived.
   */
  private assertWithinLimits(request: PublishRequest): void {
    const { maxHeaderBytes, maxMessageBytes } = this.settings.limits;
    const headersSize = headerBytes(request.options.headers as Record<string, unknown> | undefined);
    if (headersSize > maxHeaderBytes)
      throw new RabbitMqTransportError(
        'HEADERS_TOO_LARGE',
        `The headers of ${describeRequest(request)} take about ${headersSize} bytes, over limits.maxHeaderBytes (${maxHeaderBytes}); RabbitMQ would close the connection over them`,
      );
    if (request.content.length > maxMessageBytes && request.exchange !== this.topology?.deadLetterExchange)
      throw new RabbitMqTransportError(
        'MESSAGE_TOO_LARGE',
        `The body of ${describeRequest(request)} has ${request.content.length} bytes, over limits.maxMessageBytes (${maxMessageBytes})`,
      );
  }

  private requireConnect(): Topology {
    if (this.closed) throw closedError();
    if (!this.topology) throw new RabbitMqTransportError('NOT_CONNECTED', 'Call connect(topology) before publishing or consuming');
    return this.topology;
  }
}

function closedError(): RabbitMqTransportError {
  return new RabbitMqTransportError('TRANSPORT_CLOSED', 'The RabbitMQ transport is closed; create a new one');
}

function describeRequest(request: PublishRequest): string {
  return `${request.options.type ?? 'message'} ${request.options.messageId ?? ''} to ${request.exchange || '(default exchange)'}/${request.routingKey}`;
}
