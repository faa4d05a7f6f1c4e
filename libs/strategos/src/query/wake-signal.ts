/**
 * A resettable wake-up for one waiting loop: `wake()` ends the current `wait()` at once, or, when nobody
 * waits yet, the next one, so that a notice arriving between two checks is never lost.
 */
export class WakeSignal {
  private woken = false;
  private resolveWait: (() => void) | null = null;

  wake(): void {
    this.woken = true;
    this.resolveWait?.();
  }

  /** Resolves when woken (or already woken since the last wait), or after `timeoutMs`. */
  wait(timeoutMs: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.resolveWait = null;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, timeoutMs));
      this.resolveWait = done;
    });
  }
}
