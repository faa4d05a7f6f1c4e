import type { OutboxMessage } from './outbox-message';

/**
 * The JSON text of each outbox row's body, computed once: the commit writes it into the outbox and the
 * publish right after sends it, from the same row object. A cache of a pure function keyed by the
 * (never mutated) row, so it holds no state two applications could share wrongly.
 */
const bodyJsonOf = new WeakMap<OutboxMessage, string>();

/** `JSON.stringify(message.body)`, serialised at most once per row object. */
export function outboxBodyJson(message: OutboxMessage): string {
  let json = bodyJsonOf.get(message);
  if (json === undefined) {
    json = JSON.stringify(message.body);
    bodyJsonOf.set(message, json);
  }
  return json;
}
