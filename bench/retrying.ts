import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `read` again (up to `attempts` times, `delayMs` apart) when it rejects: the bench's own database
 * reads survive a connection that another test on the shared server terminated.
 */
export async function retrying<T>(read: () => Promise<T>, attempts = 3, delayMs = 500): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(delayMs);
    }
  }
}
