import type { Options } from 'amqplib';
import { StrategosHeader } from '../../messages/outbox-message';
import type { OutgoingMessage } from '../transport.interface';

/** One message as the confirm channel publishes it. */
export interface PublishRequest {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish;
}

/**
 * The AMQP form of an outgoing message: persistent JSON with its id, type, headers and timestamp (also in ms,
 * header `x-strategos-published-at`, for the queue-wait metric). A command
 * (default exchange) is `mandatory`, so that a queue that does not exist fails the publish instead of
 * dropping the command; an event nobody subscribed to is dropped, as topic exchanges do.
 */
export function toPublishRequest(message: OutgoingMessage, timestamp: number = Date.now()): PublishRequest {
  return {
    exchange: message.exchange,
    routingKey: message.routingKey,
    content: Buffer.from(message.body, 'utf8'),
    options: {
      persistent: true,
      mandatory: message.exchange === '',
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      messageId: message.messageId,
      type: message.type,
      headers: { ...message.headers, [StrategosHeader.PublishedAt]: timestamp },
      timestamp: Math.floor(timestamp / 1000),
    },
  };
}
