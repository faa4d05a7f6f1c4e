import { Logger } from '@nestjs/common';
import type { StrategosSettings } from '../config/strategos-settings';
import type { TransitionCommitter } from './transition-committer';
import type { WorkflowStore } from './workflow-store.interface';

/**
 * The transactional outbox, sweeper side: publishes what is due and was not published by its writer
 * (a crash between commit and publish, a broker outage) and delayed retries whose time has come.
 */
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly store: WorkflowStore,
    private readonly committer: TransitionCommitter,
    private readonly settings: StrategosSettings,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), this.settings.relayIntervalMs);
  }

  /** Publishes every due message once; resolves when done. Never rejects. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    try {
      for (;;) {
        const rows = await this.store.claimDueOutbox(this.settings.relayBatchSize, Math.max(this.settings.outboxLeaseMs, 5_000));
        if (rows.length === 0) return;
        const published = await this.committer.publish(rows);
        if (!published || rows.length < this.settings.relayBatchSize) return;
      }
    } catch (error) {
      this.logger.warn({ message: 'Outbox sweep failed; retrying at the next interval', error: (error as Error).message });
    }
  }
}
