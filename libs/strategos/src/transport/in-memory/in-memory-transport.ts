import { Logger, type LoggerService } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { StrategosHeader } from '../../messages/outbox-message';
import type { Topology } from '../../messages/topology';
import { InFlightTracker } from '../rabbitmq/in-flight-tracker';
import { InvalidTransportOptionsError } from '../rabbitmq/invalid-transport-options.error';
import { routingKeyMatches } from '../rabbitmq/routing-key-pattern';
import type { ConsumeOptions, Disposition, IncomingMessage, MessageHandler, OutgoingMessage, Transport } from '../transport.interface';
import { InMemoryQueue } from './in-memory-queue';
import { InMemoryTransportError } from './in-memory-transport.error';
import { toDelivery, type StoredMessage } from './stored-message';

/** Options of {@link InMemoryTransport}. */
export interface InMemoryTransportOptions {
  /** How long `close()` waits for in-flight handlers. @default 10000 */
  readonly shutdownGraceMs?: number;
  /** @default new Logger('InMemoryTransport') */
  readonly logger?: LoggerService;
}

interface Binding {
  readonly exchange: string;
  readonly pattern: string;
  readonly queue: string;
}

/**
 * A {@link Transport} that behaves like a broker in one process, for tests and the test harness: bodies
 * are strings copied on publish, deliveries are asynchronous, prefetch is honoured, requeued and failed
 * messages come back with `redelivered`, dead-lettered ones wait in the dead-letter queue with the reason
 * in headers, events reach the queues bound by topic pattern, and a command for a queue that does not
 * exist is refused. Each instance is a broker of its own.
 *
 * @example
 * const transport = new InMemoryTransport();
 * await transport.connect(topology);
 * transport.bindQueue('billing', topology.eventsExchange, 'process-order.#');
 * await transport.waitForIdle();
 * expect(transport.deadLetters()).toHaveLength(0);
 */
export class InMemoryTransport implements Transport {
  private readonly queues = new Map<string, InMemoryQueue>();
  private readonly exchanges = new Map<string, 'topic' | 'fanout'>();
  private readonly bindings: Binding[] = [];
  private readonly inFlight = new InFlightTracker();
  private readonly logger: LoggerService;
  private readonly shutdownGraceMs: number;
  private topology: Topology | undefined;
  private closed = false;

  constructor(options: InMemoryTransportOptions = {}) {
    this.logger = options.logger ?? new Logger(InMemoryTransport.name);
    this.shutdownGraceMs = options.shutdownGraceMs ?? 10_000;
  }

  /** Declares the exchanges and queues of the topology (idempotent). */
  async connect(topology: Topology): Promise<void> {
    this.requireOpen();
    this.topology = topology;
    this.exchanges.set(topology.eventsExchange, 'topic');
    this.exchanges.set(topology.deadLetterExchange, 'fanout');
    for (const queue of topology.commandQueues) this.declareQueue(queue);
    this.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, '');
  }

  /** Declares a queue (idempotent). */
  declareQueue(queue: string): void {
    if (!this.queues.has(queue))
      this.queues.set(
        queue,
        new InMemoryQueue(queue, {
          inFlight: this.inFlight,
          logger: this.logger,
          deadLetter: (from, message, why) => this.deadLetter(from, message, why),
        }),
      );
  }

  /**
   * Declares `queue` and binds it to an exchange of the topology with a topic pattern (`*` one word, `#` any).
   * @throws InMemoryTransportError `EXCHANGE_NOT_FOUND`.
   */
  bindQueue(queue: string, exchange: string, pattern: string): void {
    if (!this.exchanges.has(exchange))
      throw new InMemoryTransportError('EXCHANGE_NOT_FOUND', `No exchange ${exchange}; connect() with the topology first`);
    this.declareQueue(queue);
    if (!this.bindings.some((binding) => binding.exchange === exchange && binding.pattern === pattern && binding.queue === queue))
      this.bindings.push({ exchange, pattern, queue });
  }

  /**
   * Routes and enqueues every message, or none when one cannot be routed.
   * @throws InMemoryTransportError `MESSAGE_UNROUTABLE` (a command for a missing queue), `EXCHANGE_NOT_FOUND`, `NOT_CONNECTED`, `TRANSPORT_CLOSED`.
   */
  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.requireConnected();
    const routed = messages.map((message) => ({ message, queues: this.route(message.exchange, message.routingKey) }));
    for (const { message, queues } of routed) {
      const stored: StoredMessage = {
        body: message.body,
        messageId: message.messageId,
        type: message.type,
        headers: Object.freeze({ ...message.headers }),
        redelivered: false,
      };
      for (const queue of queues) queue.enqueue(stored);
    }
  }

  /**
   * Consumes a declared queue.
   * @throws InMemoryTransportError `QUEUE_NOT_FOUND`, `NOT_CONNECTED`; InvalidTransportOptionsError for the prefetch.
   */
  async consume(queue: string, handler: MessageHandler, options: ConsumeOptions): Promise<void> {
    this.requireConnected();
    if (!Number.isInteger(options.prefetch) || options.prefetch < 1)
      throw new InvalidTransportOptionsError('prefetch', `must be a positive integer (got ${options.prefetch})`);
    const target = this.queues.get(queue);
    if (!target)
      throw new InMemoryTransportError(
        'QUEUE_NOT_FOUND',
        `Queue ${queue} does not exist; consume only queues of the topology given to connect()`,
      );
    target.addConsumer(handler, options.prefetch);
  }

  async stopConsuming(): Promise<void> {
    for (const queue of this.queues.values()) queue.cancelConsumers();
  }

  /** Stops consuming and waits (up to `shutdownGraceMs`) for in-flight handlers to settle. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stopConsuming();
    if (!(await this.inFlight.drain(this.shutdownGraceMs)))
      this.logger.warn({ message: 'Shutdown grace elapsed with handlers in flight', inFlight: this.inFlight.size });
  }

  isHealthy(): boolean {
    return this.topology !== undefined && !this.closed;
  }

  /** How many consumers `queue` has, or undefined when it does not exist. */
  async consumerCount(queue: string): Promise<number | undefined> {
    return this.queues.get(queue)?.consumerCount;
  }

  /** The messages in the dead-letter queue, with `x-strategos-dead-letter-code` and `-reason` headers. */
  deadLetters(): readonly IncomingMessage[] {
    const queue = this.topology && this.queues.get(this.topology.deadLetterQueue);
    return queue ? queue.peek().map((message) => toDelivery(queue.name, message)) : [];
  }

  /** Messages of `queue` not settled yet (waiting, or held by a handler); 0 for an unknown queue. */
  pending(queue: string): number {
    return this.queues.get(queue)?.pending ?? 0;
  }

  /** Messages of `queue` waiting for a consumer; 0 for an unknown queue. */
  readyCount(queue: string): number {
    return this.queues.get(queue)?.readyCount ?? 0;
  }

  /**
   * Resolves once nothing can make progress: no handler running and no message waiting for a consumer.
   * @throws InMemoryTransportError `IDLE_TIMEOUT` (e.g. a handler that requeues forever).
   */
  async waitForIdle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.inFlight.size > 0 || [...this.queues.values()].some((queue) => !queue.idle)) {
      if (Date.now() > deadline)
        throw new InMemoryTransportError('IDLE_TIMEOUT', `The in-memory transport was still busy after ${timeoutMs} ms`);
      await sleep(1);
    }
  }

  private route(exchange: string, routingKey: string): InMemoryQueue[] {
    if (exchange === '') {
      const queue = this.queues.get(routingKey);
      if (!queue)
        throw new InMemoryTransportError(
          'MESSAGE_UNROUTABLE',
          `No queue ${routingKey} for a command; declare it (is the workflow in this process's topology?)`,
        );
      return [queue];
    }
    const type = this.exchanges.get(exchange);
    if (!type) throw new InMemoryTransportError('EXCHANGE_NOT_FOUND', `No exchange ${exchange}`);
    const names = new Set(
      this.bindings
        .filter((binding) => binding.exchange === exchange && (type === 'fanout' || routingKeyMatches(binding.pattern, routingKey)))
        .map((binding) => binding.queue),
    );
    return [...names].map((name) => this.queues.get(name) as InMemoryQueue);
  }

  private deadLetter(queue: string, message: StoredMessage, why: Extract<Disposition, { kind: 'dead-letter' }>): void {
    const headers = {
      ...message.headers,
      [StrategosHeader.DeadLetterCode]: why.code,
      [StrategosHeader.DeadLetterReason]: why.reason,
      [StrategosHeader.DeadLetterQueue]: queue,
      [StrategosHeader.DeadLetteredAt]: new Date().toISOString(),
    };
    const copy: StoredMessage = { ...message, headers: Object.freeze(headers), redelivered: false };
    // consume() requires connect(), so the topology and its dead-letter exchange exist here.
    const exchange = (this.topology as Topology).deadLetterExchange;
    for (const target of this.route(exchange, queue)) target.enqueue(copy);
  }

  private requireOpen(): void {
    if (this.closed) throw new InMemoryTransportError('TRANSPORT_CLOSED', 'The in-memory transport is closed; create a new one');
  }

  private requireConnected(): void {
    this.requireOpen();
    if (!this.topology) throw new InMemoryTransportError('NOT_CONNECTED', 'Call connect(topology) before publishing or consuming');
  }
}
