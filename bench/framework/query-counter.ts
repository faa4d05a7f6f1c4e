import { Client } from 'pg';

type QueryMethod = (this: Client, ...args: unknown[]) => unknown;

/**
 * Diagnostics for the framework worker (`--count-queries`): counts every query this process sends to
 * PostgreSQL, by prepared-statement name or by the start of its text, by wrapping `Client.prototype.query`.
 * Returns a function that reads the counts.
 */
export function countQueries(): () => Record<string, number> {
  const counts = new Map<string, number>();
  const prototype = Client.prototype as unknown as { query: QueryMethod };
  const original = prototype.query;
  prototype.query = function countedQuery(this: Client, ...args: unknown[]): unknown {
    const key = queryKey(args[0]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return original.apply(this, args);
  };
  return () => Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}

function queryKey(config: unknown): string {
  if (typeof config === 'string') return firstWords(config);
  if (config !== null && typeof config === 'object') {
    const { name, text } = config as { name?: unknown; text?: unknown };
    if (typeof name === 'string') return name.replace(/_[0-9a-f]{16}$/, '');
    if (typeof text === 'string') return firstWords(text);
  }
  return 'other';
}

function firstWords(text: string): string {
  return text.trim().split(/\s+/).slice(0, 3).join(' ');
}
