import type { LoggerService } from '@nestjs/common';
import type { ReconnectBackoff } from './reconnect-backoff';

/**
 * Options of {@link StrategosEventsServer}.
 *
 * @example new StrategosEventsServer({ url: 'amqp://guest:guest@127.0.0.1:5672', queue: 'billing.workflow-events' })
 */
export interface StrategosEventsServerOptions {
  /** The AMQP URL (never logged). */
  readonly url: string;
  /** The Strategos namespace whose events exchange to bind to. @default 'strategos' */
  readonly namespace?: string;
  /** The service's own durable queue; it survives restarts, so no event is missed while the service is down. */
  readonly queue: string;
  /**
   * Events handled at once. With 1 (the default) events are handled one after another, in the order
   * they were published; raise it for throughput when handlers do not depend on order.
   * @default 1
   */
  readonly prefetch?: number;
  /** Type of the service's queue; it must also be the namespace's (the dead-letter queue is shared). @default 'quorum' */
  readonly queueType?: 'quorum' | 'classic';
  /** Name of the connection in the broker's connection list. @default the queue name */
  readonly connectionName?: string;
  /** Back-off between reconnection attempts. @default { initialDelayMs: 100, maxDelayMs: 5000 } */
  readonly reconnect?: Partial<ReconnectBackoff>;
  /** @default new Logger('StrategosEventsServer') */
  readonly logger?: LoggerService;
}
