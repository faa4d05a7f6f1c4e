import type { Message } from 'amqplib';
import type { IncomingMessage } from '../transport.interface';

/** The transport's view of a delivered AMQP message (the body decoded as UTF-8). */
export function toIncomingMessage(queue: string, message: Message): IncomingMessage {
  const { properties, fields } = message;
  return Object.freeze({
    queue,
    body: message.content.toString('utf8'),
    content: message.content,
    messageId: messageIdOf(message),
    type: typeof properties.type === 'string' ? properties.type : undefined,
    headers: Object.freeze({ ...(properties.headers ?? {}) }),
    redelivered: fields.redelivered,
  });
}

/** The AMQP `message-id` property of a delivery, when it is a string. */
export function messageIdOf(message: Message): string | undefined {
  const messageId: unknown = message.properties.messageId;
  return typeof messageId === 'string' ? messageId : undefined;
}
