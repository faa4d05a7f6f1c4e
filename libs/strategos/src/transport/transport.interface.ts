import type { Topology } from '../messages/topology';

/** A message to publish. */
export interface OutgoingMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly messageId: string;
  readonly type: string;
  readonly headers: Readonly<Record<string, string | number>>;
  /** The JSON body, already serialised. */
  readonly body: string;
}

/** A message received from a queue. */
export interface IncomingMessage {
  readonly queue: string;
  readonly body: string;
  /** The body's bytes exactly as received, when the transport has them (RabbitMQ): `body` is their UTF-8 decoding. */
  readonly content?: Buffer;
  readonly messageId: string | undefined;
  readonly type: string | undefined;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly redelivered: boolean;
}

/** What to do with a received message once the handler is done. Nothing is ever acked and dropped silently. */
export type Disposition =
  /** Processed (or a harmless duplicate): acknowledge. */
  | { readonly kind: 'ack' }
  /** Cannot be processed: publish to the dead-letter queue with the reason in headers, then acknowledge. */
  | { readonly kind: 'dead-letter'; readonly code: string; readonly reason: string }
  /** Could not be processed now (store down, shutting down): give it back to the broker for another delivery. */
  | { readonly kind: 'requeue' };

export type MessageHandler = (message: IncomingMessage) => Promise<Disposition>;

/** Options of one consumer. */
export interface ConsumeOptions {
  /** Unacknowledged messages the broker may send at once. */
  readonly prefetch: number;
  /**
   * Whether to hand over messages beyond the transport's size, header and depth limits instead of dead-lettering
   * them: for the dead-letter archiver, which must keep whatever arrives. @default false
   */
  readonly unbounded?: boolean;
}

/**
 * The broker as the runtime sees it. Implemented for RabbitMQ (amqplib) and in memory; both pass the
 * same contract tests.
 */
export interface Transport {
  /** Connects and declares the topology (idempotent; re-run after every reconnect). */
  connect(topology: Topology): Promise<void>;
  /** Publishes messages; resolves only when the broker confirmed every one of them. */
  publish(messages: readonly OutgoingMessage[]): Promise<void>;
  /** Consumes a queue; consumers are re-established after a reconnect. The handler's disposition settles each message. */
  consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<void>;
  /** Stops every consumer (no new deliveries); in-flight handlers still settle their messages. */
  stopConsuming(): Promise<void>;
  /** Stops consuming, waits for in-flight handlers and closes the connection. */
  close(): Promise<void>;
  /** True while connected with the topology declared and consumers running. */
  isHealthy(): boolean;
  /** How many consumers `queue` has now (any process), or undefined when unknown (not connected, no such queue). */
  consumerCount?(queue: string): Promise<number | undefined>;
}
