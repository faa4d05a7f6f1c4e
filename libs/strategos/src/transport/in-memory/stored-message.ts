import type { IncomingMessage } from '../transport.interface';

/** A message as a queue holds it: immutable, the body a string copied from the publisher. */
export interface StoredMessage {
  readonly body: string;
  readonly messageId: string | undefined;
  readonly type: string | undefined;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly redelivered: boolean;
}

/** The delivery of a stored message from `queue`: a fresh frozen object, so handlers cannot alter the queue's copy. */
export function toDelivery(queue: string, message: StoredMessage): IncomingMessage {
  return Object.freeze({
    queue,
    body: message.body,
    messageId: message.messageId,
    type: message.type,
    headers: Object.freeze({ ...message.headers }),
    redelivered: message.redelivered,
  });
}
