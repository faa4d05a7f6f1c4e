import type { LoggerService } from '@nestjs/common';
import type { MessageLimits } from '../../messages/message-limits';
import type { ReconnectBackoff } from './reconnect-backoff';

/** A queue of this process bound to the events exchange (e.g. a service observing workflow events). */
export interface EventSubscription {
  /** The durable queue to declare. */
  readonly queue: string;
  /** Topic routing keys to bind it with (`process-order.Completed`, `process-order.#`). */
  readonly routingKeys: readonly string[];
}

/**
 * Options of {@link RabbitMqTransport}.
 *
 * @example new RabbitMqTransport({ url: 'amqp://guest:guest@127.0.0.1:5672', connectionName: 'orders-worker' })
 */
export interface RabbitMqTransportOptions {
  /** The AMQP URL. It may carry credentials: it is never logged. */
  readonly url: string;
  /**
   * Type of the queues this transport declares outside the topology (`subscriptions`); command queues and
   * the dead-letter queue take `topology.queueType`.
   * @default 'quorum'
   */
  readonly queueType?: 'quorum' | 'classic';
  /** Back-off between reconnection attempts. @default { initialDelayMs: 100, maxDelayMs: 5000 } */
  readonly reconnect?: Partial<ReconnectBackoff>;
  /** Name of the connection in the broker's connection list (`connection_name` client property). @default 'strategos' */
  readonly connectionName?: string;
  /** How long `connect()`, and `publish()` while the connection is down, wait for the broker before failing. @default 30000 */
  readonly unavailableTimeoutMs?: number;
  /** How long `close()` waits for in-flight handlers before closing the channels (unsettled messages are redelivered). @default 10000 */
  readonly shutdownGraceMs?: number;
  /** Queues to declare and bind to the events exchange with the topology (again after every reconnect). @default [] */
  readonly subscriptions?: readonly EventSubscription[];
  /**
   * Bounds on received messages (over them: dead-lettered with `MESSAGE_TOO_LARGE`, `HEADERS_TOO_LARGE` or
   * `MALFORMED_JSON` before the handler runs) and published ones (refused with `MESSAGE_TOO_LARGE` or
   * `HEADERS_TOO_LARGE`). @default { maxMessageBytes: 1048576, maxHeaderBytes: 16384, maxJsonDepth: 64 }
   */
  readonly limits?: Partial<MessageLimits>;
  /** @default new Logger('RabbitMqTransport') */
  readonly logger?: LoggerService;
}

/** {@link RabbitMqTransportOptions} with defaults applied and values validated. */
export interface RabbitMqTransportSettings {
  readonly url: string;
  readonly queueType: 'quorum' | 'classic';
  readonly reconnect: ReconnectBackoff;
  readonly connectionName: string;
  readonly unavailableTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly subscriptions: readonly EventSubscription[];
  readonly limits: MessageLimits;
}
