import { WakeSignal } from './wake-signal';

describe('WakeSignal', () => {
  it('ends a wait at once when woken', async () => {
    const signal = new WakeSignal();
    const started = Date.now();
    const waiting = signal.wait(10_000);
    signal.wake();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('keeps a wake-up that came while nobody waited for the next wait, once', async () => {
    const signal = new WakeSignal();
    signal.wake();
    signal.wake();
    const started = Date.now();
    await signal.wait(10_000);
    expect(Date.now() - started).toBeLessThan(1_000);
    await signal.wait(30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
