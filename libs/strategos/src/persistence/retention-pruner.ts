import { Logger } from '@nestjs/common';
import type { RetentionSettings } from '../config/strategos-settings';
import type { WorkflowStore } from './workflow-store.interface';

/** Pause between two full batches of one round, so that pruning never hogs the database. */
const BATCH_PAUSE_MS = 20;

/**
 * Applies the retention policy in the background: every `intervalMs`, deletes inbox entries and finished runs
 * older than their retention, `batchSize` rows per statement, batch after batch while batches come back full.
 * Never rejects: a failed round is logged and the next one tries again.
 */
export class RetentionPruner {
  private readonly logger = new Logger(RetentionPruner.name);
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: WorkflowStore,
    private readonly settings: RetentionSettings,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer ??= setInterval(() => void this.prune(), this.settings.intervalMs);
    this.timer.unref();
  }

  /** Runs one round now (or joins the running one); resolves when it is done. */
  prune(): Promise<void> {
    this.round ??= this.pruneAll().finally(() => (this.round = undefined));
    return this.round;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round;
  }

  private async pruneAll(): Promise<void> {
    const { inboxMs, finishedRunsMs, batchSize } = this.settings;
    try {
      const inbox = inboxMs > 0 ? await this.inBatches((limit) => this.store.pruneInbox(inboxMs, limit), batchSize) : 0;
      const runs = finishedRunsMs > 0 ? await this.inBatches((limit) => this.store.pruneFinishedRuns(finishedRunsMs, limit), batchSize) : 0;
      if (inbox + runs > 0) this.logger.debug({ message: 'Retention pruned', inboxEntries: inbox, finishedRuns: runs });
    } catch (error) {
      this.logger.warn({ message: 'Retention pruning failed; retrying at the next interval', error: (error as Error).message });
    }
  }

  private async inBatches(prune: (limit: number) => Promise<number>, batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const pruned = await prune(batchSize);
      total += pruned;
      if (pruned < batchSize || this.stopped) return total;
      await new Promise((resolve) => setTimeout(resolve, BATCH_PAUSE_MS));
    }
  }
}
