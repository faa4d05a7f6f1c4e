/**
 * Bounds on what Strategos accepts from the broker and publishes to it, so that one hostile or careless
 * message can neither crash a decoder nor make the broker close the connection of every workflow.
 * Set with `StrategosModuleOptions.limits` (or `RabbitMqTransportOptions.limits`).
 */
export interface MessageLimits {
  /**
   * Largest message body, in bytes, received (larger: dead-lettered `MESSAGE_TOO_LARGE`) or published
   * (larger: refused `MESSAGE_TOO_LARGE`, an outbox row is dead-lettered `UNPUBLISHABLE`). The dead-letter queue
   * accepts any size, so that what was refused can still be archived.
   * @default 1048576 (1 MiB)
   */
  readonly maxMessageBytes: number;
  /**
   * Largest total size of a message's AMQP headers, in bytes (RabbitMQ closes a connection over a header frame of
   * some tens of kilobytes, with 541 INTERNAL_ERROR). Received: dead-lettered `HEADERS_TOO_LARGE`; published:
   * refused `HEADERS_TOO_LARGE`; dead-letter copies drop their largest headers to fit.
   * @default 16384 (16 KiB)
   */
  readonly maxHeaderBytes: number;
  /** Deepest nesting of arrays and objects in a JSON body (deeper: dead-lettered `MALFORMED_JSON`). @default 64 */
  readonly maxJsonDepth: number;
}

/** The defaults of {@link MessageLimits}. */
export const DEFAULT_MESSAGE_LIMITS: MessageLimits = Object.freeze({
  maxMessageBytes: 1_048_576,
  maxHeaderBytes: 16_384,
  maxJsonDepth: 64,
});

/** Longest dead-letter reason kept in a header: AMQP headers travel in one frame, and a reason is for a human. */
export const MAX_DEAD_LETTER_REASON_LENGTH = 2000;

/** The highest `maxHeaderBytes` accepted: above it, RabbitMQ itself closes the connection. */
export const MAX_HEADER_BYTES_LIMIT = 65_536;

/**
 * Whether the JSON text nests arrays and objects deeper than `maxDepth`. An iterative scan (strings skipped), so
 * that a body nested 100,000 levels costs one pass and no stack, before anything recursive touches it.
 */
export function jsonDepthExceeds(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}

/** Approximate encoded size of AMQP headers (field names, values and per-field overhead), in bytes. */
export function headerBytes(headers: Readonly<Record<string, unknown>> | undefined): number {
  let total = 0;
  for (const [key, value] of Object.entries(headers ?? {})) total += Buffer.byteLength(key) + 6 + valueBytes(value);
  return total;
}

function valueBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return 8;
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return 8;
  }
}

/** Header holding the names and sizes of the headers a dead-letter copy dropped to fit `limits.maxHeaderBytes`. */
export const DROPPED_HEADERS_HEADER = 'x-strategos-dropped-headers';

/**
 * The headers without their largest values until they fit in `maxHeaderBytes` (less room for the dead-letter
 * headers), so that the copy of a message with oversized headers can always be published; what was dropped is named.
 */
export function withinHeaderBytes(headers: Readonly<Record<string, unknown>>, maxHeaderBytes: number): Record<string, unknown> {
  const budget = Math.max(0, maxHeaderBytes - MAX_DEAD_LETTER_REASON_LENGTH * 3 - 512);
  if (headerBytes(headers) <= budget) return { ...headers };
  const kept: Record<string, unknown> = { ...headers };
  const dropped: string[] = [];
  const bySize = Object.keys(kept).sort((a, b) => headerBytes({ [b]: kept[b] }) - headerBytes({ [a]: kept[a] }));
  for (const key of bySize) {
    if (headerBytes(kept) <= budget) break;
    dropped.push(`${key.slice(0, 100)} (${headerBytes({ [key]: kept[key] })} bytes)`);
    delete kept[key];
  }
  return { ...kept, [DROPPED_HEADERS_HEADER]: dropped.join(', ').slice(0, MAX_DEAD_LETTER_REASON_LENGTH) };
}
