/** A `timestamptz` as read by pg (a `Date`, or a string when the pool has a custom type parser) as ISO-8601. */
export function toIsoTimestamp(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
