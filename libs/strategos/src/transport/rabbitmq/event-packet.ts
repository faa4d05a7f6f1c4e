/** A workflow event as Nest sees it: the `{ pattern, data }` packet of `@EventPattern` handlers. */
export interface EventPacket {
  /** The event's routing key, e.g. `process-order.Completed`. */
  readonly pattern: string;
  readonly data: unknown;
}

/** The packet in a message body, or `undefined` when the body is not JSON or not a packet with a string pattern. */
export function parseEventPacket(body: string): EventPacket | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    !('pattern' in parsed) ||
    typeof parsed.pattern !== 'string' ||
    parsed.pattern.length === 0
  )
    return undefined;
  return { pattern: parsed.pattern, data: 'data' in parsed ? parsed.data : undefined };
}
