import type { Message } from 'amqplib';
import type { IncomingMessage } from '../transport.interface';

/** The transport's view of a delivered AMQP message (the body decoded as UTF-8). */
export function toIncomingMessage(queue: string, message: Message): IncomingMessage {
  const { properties, fields } = message;
  return Object.freeze({
    queue,
    body: message.content.toString('utf8'),
    content: message.content,
    messageId: typeof properties.messageId === 'string' ? properties.messageId : undefined,
    type: typeof properties.type === 'string' ? properties.type : undefined,
    headers: Object.freeze({ ...(properties.headers ?? {}) }),
    redelivered: fields.redelivered,
  });
}
