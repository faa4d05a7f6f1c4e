import { createHash } from 'node:crypto';

/**
 * The name of a prepared statement for `text`: hot-path queries are parsed and planned once per
 * connection. Derived from the text, so that stores on different schemas sharing a pool never clash.
 */
export function statementName(purpose: string, text: string): string {
  return `strategos_${purpose}_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}
