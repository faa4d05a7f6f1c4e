import { GIVE_BACK, StoreRetry } from './store-retry';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const settings = { initialDelayMs: 10, maxDelayMs: 40, maxHoldMs: 60_000 };

describe('StoreRetry', () => {
  it('retries a transient failure in place with a growing pause until it succeeds', async () => {
    const times: number[] = [];
    const retry = new StoreRetry(settings, new AbortController().signal);
    const result = await retry.run(async () => {
      times.push(Date.now());
      if (times.length < 5) throw refused();
      return 'done';
    }, {});
    expect(result).toBe('done');
    const gaps = times.slice(1).map((time, index) => time - times[index]);
    expect(gaps[0]).toBeGreaterThanOrEqual(7);
    expect(gaps[3]).toBeGreaterThanOrEqual(30);
  });

  it('rethrows a failure of the data at once', async () => {
    const retry = new StoreRetry(settings, new AbortController().signal);
    let calls = 0;
    const failure = Object.assign(new Error('unsupported Unicode escape sequence'), { code: '22P05', severity: 'ERROR' });
    await expect(
      retry.run(async () => {
        calls += 1;
        throw failure;
      }, {}),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it('gives the message back at shutdown and after maxHoldMs', async () => {
    const shutdown = new AbortController();
    const retry = new StoreRetry({ ...settings, maxDelayMs: 10_000, initialDelayMs: 10_000 }, shutdown.signal);
    const held = retry.run(() => Promise.reject(refused()), {});
    setTimeout(() => shutdown.abort(), 20);
    await expect(held).resolves.toBe(GIVE_BACK);

    const short = new StoreRetry({ initialDelayMs: 10, maxDelayMs: 10, maxHoldMs: 50 }, new AbortController().signal);
    const started = Date.now();
    await expect(short.run(() => Promise.reject(refused()), {})).resolves.toBe(GIVE_BACK);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
