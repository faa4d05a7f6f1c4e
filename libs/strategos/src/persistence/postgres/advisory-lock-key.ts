import { createHash } from 'node:crypto';

/**
 * A stable 64-bit advisory lock key for `scope` (as a decimal string for a `bigint` parameter):
 * every process derives the same key, so they serialise on it.
 */
export function advisoryLockKey(scope: string): string {
  return createHash('sha256').update(scope).digest().readBigInt64BE(0).toString();
}
