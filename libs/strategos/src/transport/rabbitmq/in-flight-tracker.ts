/** The message handlers still running, so that shutdown can wait for them to settle their messages. */
export class InFlightTracker {
  private readonly running = new Set<Promise<void>>();

  /** Number of handlers still running. */
  get size(): number {
    return this.running.size;
  }

  /** Tracks `work` until it settles (a rejection is the caller's to log; it is not rethrown here). */
  track(work: Promise<void>): void {
    const tracked: Promise<void> = work.then(ignore, ignore).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Resolves `true` once every tracked handler settled, or `false` when `graceMs` passed first. */
  async drain(graceMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    try {
      while (this.running.size > 0) {
        const settled = await Promise.race([Promise.allSettled([...this.running]).then(() => true as const), expired]);
        if (!settled) return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}

function ignore(): void {
  // settled either way
}
