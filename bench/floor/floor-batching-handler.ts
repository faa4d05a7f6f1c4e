import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Pool } from 'pg';
import { applyFloorSteps } from './floor-batch-transaction';
import type { DeliveryHandler, FloorCounters, FloorRoute } from './delivery-handler';
import { decodeFloorCommand, nextFloorCommand, publishFloorCommand, type FloorCommand } from './floor-command';
import type { FloorStatements } from './floor-statements';

interface Delivery {
  readonly channel: Channel;
  readonly message: ConsumeMessage;
  readonly command: FloorCommand;
}

/** Batching of {@link FloorBatchingHandler}. */
export interface FloorBatching {
  /** Outcomes per transaction and per confirm wait at most. */
  readonly batchSize: number;
  /** Batches in flight at once (the framework's `commitConcurrency` default is 2). */
  readonly concurrency: number;
}

/**
 * The floor with group commit: deliveries that arrive while a batch is in flight are gathered (up to
 * `batchSize`) into one transaction and one confirm wait, then acked. Nothing waits for a timer.
 */
export class FloorBatchingHandler implements DeliveryHandler {
  private readonly waiting: Delivery[] = [];
  private inFlight = 0;

  constructor(
    private readonly pool: Pool,
    private readonly sql: FloorStatements,
    private readonly publisher: ConfirmChannel,
    private readonly route: FloorRoute,
    private readonly batching: FloorBatching,
    private readonly counters: FloorCounters,
  ) {}

  handle(channel: Channel, message: ConsumeMessage): void {
    try {
      this.waiting.push({ channel, message, command: decodeFloorCommand(message.content) });
    } catch {
      this.counters.malformed += 1;
      channel.ack(message);
      return;
    }
    this.drain();
  }

  private drain(): void {
    while (this.inFlight < this.batching.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.batching.batchSize);
      this.inFlight += 1;
      void this.flush(batch).finally(() => {
        this.inFlight -= 1;
        this.drain();
      });
    }
  }

  private async flush(batch: readonly Delivery[]): Promise<void> {
    try {
      const results = await applyFloorSteps(
        this.pool,
        this.sql,
        batch.map((delivery) => delivery.command),
      );
      results.forEach((result) => (this.counters[result] += 1));
      const next = batch
        .filter((_, i) => results[i] === 'applied')
        .flatMap((delivery) => nextFloorCommand(delivery.command, this.route.steps) ?? []);
      await Promise.all(next.map((command) => publishFloorCommand(this.publisher, this.route.queuePrefix, command)));
      for (const delivery of batch) delivery.channel.ack(delivery.message);
    } catch {
      this.counters.requeued += batch.length;
      for (const delivery of batch) delivery.channel.nack(delivery.message, false, true);
    }
  }
}
