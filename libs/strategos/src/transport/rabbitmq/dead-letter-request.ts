import type { Message, Options } from 'amqplib';
import { DEFAULT_MESSAGE_LIMITS, MAX_DEAD_LETTER_REASON_LENGTH, withinHeaderBytes } from '../../messages/message-limits';
import { StrategosHeader } from '../../messages/outbox-message';
import type { PublishRequest } from './publish-request';

export { MAX_DEAD_LETTER_REASON_LENGTH, DROPPED_HEADERS_HEADER } from '../../messages/message-limits';

/** Why a message is dead-lettered. */
export interface DeadLetterReason {
  readonly code: string;
  readonly reason: string;
}

/**
 * The copy of a received message for the dead-letter exchange: the same body and properties, plus the
 * code, reason, original queue and time in `x-strategos-*` headers. The routing key is the original queue.
 * Properties that would change its fate are dropped: `expiration` (it must not expire in the dead-letter
 * queue) and `userId` (the broker rejects one that is not this connection's user).
 */
export function toDeadLetterRequest(
  message: Message,
  queue: string,
  deadLetterExchange: string,
  why: DeadLetterReason,
  now: Date = new Date(),
  bounds: { readonly maxHeaderBytes?: number } = {},
): PublishRequest {
  const properties = message.properties;
  const options: Options.Publish = {
    persistent: true,
    contentType: stringOrUndefined(properties.contentType),
    contentEncoding: stringOrUndefined(properties.contentEncoding),
    messageId: stringOrUndefined(properties.messageId),
    type: stringOrUndefined(properties.type),
    correlationId: stringOrUndefined(properties.correlationId),
    replyTo: stringOrUndefined(properties.replyTo),
    appId: stringOrUndefined(properties.appId),
    priority: numberOrUndefined(properties.priority),
    timestamp: numberOrUndefined(properties.timestamp),
    headers: {
      ...withinHeaderBytes(properties.headers ?? {}, bounds.maxHeaderBytes ?? DEFAULT_MESSAGE_LIMITS.maxHeaderBytes),
      [StrategosHeader.DeadLetterCode]: why.code,
      [StrategosHeader.DeadLetterReason]: truncate(why.reason, MAX_DEAD_LETTER_REASON_LENGTH),
      [StrategosHeader.DeadLetterQueue]: queue,
      [StrategosHeader.DeadLetteredAt]: now.toISOString(),
    },
  };
  return { exchange: deadLetterExchange, routingKey: queue, content: message.content, options: withoutUndefined(options) };
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

function withoutUndefined(options: Options.Publish): Options.Publish {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Options.Publish;
}
