import { Logger } from '@nestjs/common';
import type { StrategosSettings } from '../config/strategos-settings';
import { toOutgoing } from '../messages/message-codec';
import type { OutboxMessage } from '../messages/outbox-message';
import type { Transport } from '../transport/transport.interface';
import type { TransitionCommitter } from './transition-committer';
import { deadEndCode, deadLetterCopy } from './unpublishable-message';
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
    private readonly transport: Transport,
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

  /**
   * After a batch failed: publishes each row alone, so that one whose queue no longer exists (deleted by hand,
   * a step removed) or that the broker refuses for its content goes to the dead-letter queue (`UNROUTABLE`,
   * `UNPUBLISHABLE`), replayable, instead of blocking the outbox or being republished forever.
   * Returns false when the broker itself is failing (the rows wait for the next sweep).
   */
  private async publishOneByOne(rows: readonly OutboxMessage[]): Promise<boolean> {
    for (const row of rows) {
      try {
        await this.transport.publish([toOutgoing(row)]);
      } catch (error) {
        const code = deadEndCode(error);
        if (code === undefined) return false;
        await this.transport.publish([deadLetterCopy(toOutgoing(row), code, (error as Error).message, this.settings)]);
        this.logger.warn({
          message: 'Outbox message cannot be published; dead-lettered',
          code,
          queue: row.routingKey,
          messageId: row.messageId,
        });
      }
      await this.store.deleteOutbox([row.id]);
    }
    return true;
  }

  private async sweepOnce(): Promise<void> {
    try {
      for (;;) {
        const rows = await this.store.claimDueOutbox(this.settings.relayBatchSize, Math.max(this.settings.outboxLeaseMs, 5_000));
        if (rows.length === 0) return;
        const published = (await this.committer.publish(rows)) || (await this.publishOneByOne(rows));
        if (!published || rows.length < this.settings.relayBatchSize) return;
      }
    } catch (error) {
      this.logger.warn({ message: 'Outbox sweep failed; retrying at the next interval', error: (error as Error).message });
    }
  }
}
