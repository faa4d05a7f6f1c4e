import { Logger, type LoggerService } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler, type ReadPacket } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import { topologyNames } from '../../messages/topology';
import type { Disposition, IncomingMessage } from '../transport.interface';
import { parseEventPacket, type EventPacket } from './event-packet';
import { InvalidTransportOptionsError } from './invalid-transport-options.error';
import { RabbitMqTransport } from './rabbitmq-transport';
import { isWildcardPattern, routingKeyMatches } from './routing-key-pattern';
import { STRATEGOS_EVENTS_TRANSPORT } from './strategos-events.constants';
import { StrategosEventsContext } from './strategos-events.context';
import type { StrategosEventsServerOptions } from './strategos-events-server-options.interface';
import { StrategosEventsServerError } from './strategos-events-server.error';

/**
 * A Nest custom transport strategy that delivers Strategos workflow events to `@EventPattern` handlers.
 * On `listen` it declares the service's durable queue, binds it to the events exchange with every
 * registered pattern as a topic routing key (`process-order.Completed`, `process-order.#`) and consumes it.
 *
 * Each message is acknowledged once every matching handler settled (a queue bound with two matching
 * patterns receives an event once; both handlers get it). A handler that fails gets the event again once
 * (requeued); if it fails on that redelivery too, the event goes to the namespace's dead-letter queue with
 * code `EVENT_HANDLER_FAILED`, so that nothing is retried forever or lost silently; the reason header is the
 * error as Nest's exception layer reports it (an `RpcException`'s message; `Internal server error` for other
 * errors, which Nest logs). A body that is not a
 * `{ pattern, data }` packet is dead-lettered with `MALFORMED_EVENT`, one no handler matches with `NO_EVENT_HANDLER`.
 *
 * @example
 * const app = await NestFactory.createMicroservice(BillingModule, {
 *   strategy: new StrategosEventsServer({ url: 'amqp://guest:guest@127.0.0.1:5672', queue: 'billing.workflow-events' }),
 * });
 * await app.listen();
 */
export class StrategosEventsServer extends Server implements CustomTransportStrategy {
  override transportId = STRATEGOS_EVENTS_TRANSPORT;
  /** Handler failures reach this transport (it settles the message by them) instead of being only logged. */
  override readonly propagatesEventHandlerErrors = true;
  protected override readonly logger: LoggerService;
  private transport: RabbitMqTransport | undefined;
  private patterns: readonly string[] = [];

  /** @throws InvalidTransportOptionsError (`INVALID_TRANSPORT_OPTIONS`) naming the option. */
  constructor(private readonly options: StrategosEventsServerOptions) {
    super();
    if (!options.queue) throw new InvalidTransportOptionsError('queue', 'is required: the durable queue of this service');
    const prefetch = options.prefetch ?? 1;
    if (!Number.isInteger(prefetch) || prefetch < 1)
      throw new InvalidTransportOptionsError('prefetch', `must be a positive integer (got ${prefetch})`);
    this.logger = options.logger ?? new Logger(StrategosEventsServer.name);
  }

  /** Connects, declares and binds the queue, and starts consuming; `callback` gets the error if that fails. */
  async listen(callback: (...optionalParams: unknown[]) => unknown): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops consuming, lets in-flight handlers finish and closes the connection. */
  async close(): Promise<void> {
    await this.transport?.close();
    this.transport = undefined;
    this._status$.next('disconnected');
  }

  /**
   * Runs the handler of `pattern` between Nest's processing hooks and settles when it does: its promise,
   * or the last value of its observable. Unlike the base class it rejects with the handler's error, so
   * that the message is settled by it.
   */
  override handleEvent(pattern: string, packet: ReadPacket, context: StrategosEventsContext): Promise<void> {
    const handler: MessageHandler | null = this.getHandlerByPattern(pattern);
    if (!handler) return Promise.reject(new Error(`No event handler for ${pattern}`));
    return new Promise<void>((resolve, reject) => {
      this.runWithProcessingHooks(context, async (runEndHook) => {
        try {
          const result: unknown = await handler(packet.data, context);
          if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
          resolve();
        } catch (error) {
          reject(error);
        } finally {
          runEndHook();
        }
      });
    });
  }

  /** The {@link RabbitMqTransport} underneath. @throws StrategosEventsServerError `NOT_LISTENING` before `listen`. */
  unwrap<T>(): T {
    if (!this.transport)
      throw new StrategosEventsServerError('NOT_LISTENING', 'StrategosEventsServer is not listening; call app.listen() first');
    return this.transport as T;
  }

  /** Not supported: watch `status` instead. @throws StrategosEventsServerError `UNSUPPORTED_OPERATION`. */
  on(): never {
    throw new StrategosEventsServerError(
      'UNSUPPORTED_OPERATION',
      'StrategosEventsServer emits no events; subscribe to its status observable instead',
    );
  }

  private async start(): Promise<void> {
    const { url, queue, namespace = 'strategos', queueType = 'quorum', prefetch = 1 } = this.options;
    this.patterns = this.eventPatterns();
    if (this.patterns.length === 0) this.logger.warn({ message: 'No @EventPattern handlers; the queue is bound to no event', queue });
    const transport = new RabbitMqTransport({
      url,
      queueType,
      connectionName: this.options.connectionName ?? queue,
      reconnect: this.options.reconnect,
      logger: this.logger,
      subscriptions: [{ queue, routingKeys: this.patterns }],
    });
    this.transport = transport;
    await transport.connect({ ...topologyNames(namespace), commandQueues: [], queueType });
    await transport.consume(queue, (message) => this.dispatch(message), { prefetch });
    this._status$.next('connected');
    this.logger.log({ message: 'Listening for workflow events', queue, patterns: this.patterns });
  }

  /** The string patterns of the registered event handlers; request-response handlers have no place here. */
  private eventPatterns(): string[] {
    const patterns: string[] = [];
    for (const [pattern, handler] of this.getHandlers()) {
      if (!handler.isEventHandler)
        this.logger.warn({ message: '@MessagePattern handlers are not served by StrategosEventsServer', pattern });
      else if (pattern.startsWith('{'))
        this.logger.warn({ message: 'Object patterns cannot be routing keys; use a string such as process-order.Completed', pattern });
      else patterns.push(pattern);
    }
    return patterns;
  }

  private async dispatch(message: IncomingMessage): Promise<Disposition> {
    const packet = parseEventPacket(message.body);
    if (!packet) return { kind: 'dead-letter', code: 'MALFORMED_EVENT', reason: 'The body is not a JSON { pattern, data } packet' };
    const routes = this.patterns.filter(
      (pattern) => pattern === packet.pattern || (isWildcardPattern(pattern) && routingKeyMatches(pattern, packet.pattern)),
    );
    if (routes.length === 0)
      return { kind: 'dead-letter', code: 'NO_EVENT_HANDLER', reason: `No @EventPattern handler matches ${packet.pattern}` };
    const failure = await this.runHandlers(routes, packet, new StrategosEventsContext([message, packet.pattern]));
    if (failure === undefined) return { kind: 'ack' };
    const error = describe(failure);
    this.logger.error({
      message: 'Event handler failed',
      pattern: packet.pattern,
      messageId: message.messageId,
      redelivered: message.redelivered,
      error,
    });
    return message.redelivered ? { kind: 'dead-letter', code: 'EVENT_HANDLER_FAILED', reason: error } : { kind: 'requeue' };
  }

  /** Runs every matching handler; resolves with the first failure, if any. */
  private async runHandlers(routes: readonly string[], packet: EventPacket, context: StrategosEventsContext): Promise<unknown> {
    const outcomes = await Promise.allSettled(routes.map((route) => this.handleEvent(route, packet, context)));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    return failed ? (failed.reason ?? 'unknown error') : undefined;
  }
}

/** An error's message: an Error, or the `{ status, message }` object Nest's exception filters emit. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') return error.message;
  return String(error);
}
