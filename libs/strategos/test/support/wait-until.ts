/** Settings of {@link waitUntil}. */
export interface WaitUntilOptions {
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** @default 100 */
  readonly intervalMs?: number;
}

/**
 * Polls `probe` until it returns a value (anything but `undefined`) and resolves with it: for a test that must
 * wait for a condition another process or a background loop brings about, rather than sleep a fixed time that a
 * loaded machine can outlast.
 * @throws Error naming `what` when `timeoutMs` passes first.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  { timeoutMs = 30_000, intervalMs = 100 }: WaitUntilOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
