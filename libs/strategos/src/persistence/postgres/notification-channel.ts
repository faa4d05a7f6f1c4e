import { createHash } from 'node:crypto';

/** PostgreSQL truncates identifiers, channel names included, to 63 bytes. */
const MAX_IDENTIFIER_LENGTH = 63;
const SUFFIX = '_transitions';

/**
 * The LISTEN/NOTIFY channel of a store's terminal transitions: `<schema>_transitions`, or for a schema
 * too long for that, a prefix of it and a hash (so that two long schemas never share a channel). Made of
 * the validated schema's characters only, so it can be interpolated as a quoted identifier.
 */
export function notificationChannel(schema: string): string {
  const plain = `${schema}${SUFFIX}`;
  if (plain.length <= MAX_IDENTIFIER_LENGTH) return plain;
  const hash = createHash('sha1').update(schema).digest('hex').slice(0, 10);
  return `${schema.slice(0, MAX_IDENTIFIER_LENGTH - SUFFIX.length - hash.length - 1)}_${hash}${SUFFIX}`;
}
