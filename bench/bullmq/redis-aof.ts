import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { progress } from '../progress';

/** The Redis persistence settings the BullMQ peer ran with, and what they were before. */
export interface RedisAofSettings {
  readonly appendonly: string;
  readonly appendfsync: string;
  readonly before: { readonly appendonly: string; readonly appendfsync: string };
  readonly note: string;
}

const REWRITE_WAIT_MS = 60_000;

/**
 * Runs `use` with Redis persisting every write to its append-only file, fsynced every second (`CONFIG SET
 * appendonly yes`, `appendfsync everysec`: BullMQ's usual durable setup), and restores the server's
 * previous settings afterwards, also when `use` fails. Waits for the initial AOF rewrite to finish first.
 */
export async function withRedisAof<T>(redisUrl: string, use: () => Promise<T>): Promise<{ result: T; aof: RedisAofSettings }> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  try {
    const before = { appendonly: await configGet(redis, 'appendonly'), appendfsync: await configGet(redis, 'appendfsync') };
    try {
      await redis.config('SET', 'appendonly', 'yes');
      await redis.config('SET', 'appendfsync', 'everysec');
      await waitForRewrite(redis);
      const result = await use();
      const note =
        before.appendonly === 'yes' && before.appendfsync === 'everysec'
          ? 'Redis already ran with appendonly yes, appendfsync everysec'
          : `the bench set appendonly yes, appendfsync everysec for this run and restored appendonly ${before.appendonly}, appendfsync ${before.appendfsync} after it`;
      return { result, aof: { appendonly: 'yes', appendfsync: 'everysec', before, note } };
    } finally {
      await redis.config('SET', 'appendfsync', before.appendfsync);
      await redis.config('SET', 'appendonly', before.appendonly);
      progress(`bullmq: restored Redis appendonly ${before.appendonly}, appendfsync ${before.appendfsync}`);
    }
  } finally {
    redis.disconnect();
  }
}

async function configGet(redis: Redis, name: string): Promise<string> {
  const reply = (await redis.config('GET', name)) as string[];
  return reply[1];
}

async function waitForRewrite(redis: Redis): Promise<void> {
  const deadline = Date.now() + REWRITE_WAIT_MS;
  while (Date.now() < deadline) {
    const info = await redis.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return;
    await sleep(100);
  }
  throw new Error(`Redis did not finish its AOF rewrite within ${REWRITE_WAIT_MS} ms`);
}
