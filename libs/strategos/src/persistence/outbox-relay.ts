import { Logger } from '@nestjs/common';
import type { StrategosSettings } from '../config/strategos-settings';
import { toOutgoing } from '../messages/message-codec';
import { MAX_DEAD_LETTER_REASON_LENGTH, withinHeaderBytes } from '../messages/message-limits';
import { StrategosHeader, type OutboxMessage } from '../messages/outbox-message';
import { topologyNames } from '../messages/topology';
import type { Transport } from '../transport/transport.interface';
import type { TransitionCommitter } from './transition-committer';
import type { WorkflowStore } from './workflow-store.interface';

/**
 * Transport error codes after which publishing the same row again cannot help, with the dead-letter code of the
 * row: a command whose queue does not exist, and a message refused for its content (too large, headers RabbitMQ
 * closes the connection over, not encodable).
 */
const DEAD_END_CODES: Readonly<Record<string, string>> = {
  MESSAGE_UNROUTABLE: 'UNROUTABLE',
  MESSAGE_REFUSED: 'UNPUBLISHABLE',
  MESSAGE_TOO_LARGE: 'UNPUBLISHABLE',
  HEADERS_TOO_LARGE: 'UNPUBLISHABLE',
};

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
        const code = DEAD_END_CODES[String((error as { code?: unknown }).code)];
        if (code === undefined) return false;
        await this.transport.publish([this.deadLetterCopy(row, code, (error as Error).message)]);
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

  private deadLetterCopy(row: OutboxMessage, code: string, reason: string) {
    const headers = {
      ...withinHeaderBytes(toOutgoing(row).headers, this.settings.limits.maxHeaderBytes),
      [StrategosHeader.DeadLetterCode]: code,
      [StrategosHeader.DeadLetterReason]: reason.slice(0, MAX_DEAD_LETTER_REASON_LENGTH),
      [StrategosHeader.DeadLetterQueue]: row.routingKey,
      ...(row.exchange === '' ? {} : { [StrategosHeader.DeadLetterExchange]: row.exchange }),
      [StrategosHeader.DeadLetteredAt]: new Date().toISOString(),
    };
    return {
      ...toOutgoing(row),
      exchange: topologyNames(this.settings.namespace).deadLetterExchange,
      routingKey: '',
      headers: headers as Record<string, string | number>,
    };
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
