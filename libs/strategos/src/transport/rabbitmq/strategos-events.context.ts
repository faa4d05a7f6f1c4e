import { BaseRpcContext } from '@nestjs/microservices';
import type { IncomingMessage } from '../transport.interface';

/** The arguments of a {@link StrategosEventsContext}: the received message and the event's pattern. */
export type StrategosEventsContextArgs = [message: IncomingMessage, pattern: string];

/**
 * What `@Ctx()` gives an `@EventPattern` handler served by {@link StrategosEventsServer}: the raw message
 * with its AMQP headers (`x-strategos-workflow-id`, `traceparent`, …).
 *
 * @example
 * // <string>: Nest 12 types the parameters after the payload as unknown unless the type argument is given.
 * @EventPattern<string>('process-order.Completed')
 * onCompleted(@Payload() data: OrderCompleted, @Ctx() context: StrategosEventsContext) {
 *   const workflowId = context.getHeaders()['x-strategos-workflow-id'];
 * }
 */
export class StrategosEventsContext extends BaseRpcContext<StrategosEventsContextArgs> {
  /** The message as received (body, messageId, type, headers, redelivered). */
  getMessage(): IncomingMessage {
    return this.args[0];
  }

  /** The event's pattern (its routing key), e.g. `process-order.Completed`. */
  getPattern(): string {
    return this.args[1];
  }

  /** The AMQP headers of the message. */
  getHeaders(): Readonly<Record<string, unknown>> {
    return this.args[0].headers;
  }

  /** Whether the broker delivered this event before (a handler failed, or a connection dropped). */
  isRedelivered(): boolean {
    return this.args[0].redelivered;
  }
}
