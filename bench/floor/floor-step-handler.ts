import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Pool } from 'pg';
import type { DeliveryHandler, FloorCounters, FloorRoute } from './delivery-handler';
import { decodeFloorCommand, nextFloorCommand, publishFloorCommand, type FloorCommand } from './floor-command';
import type { FloorStatements } from './floor-statements';
import { applyFloorStep } from './floor-step-transaction';

/** The floor, one message at a time: one transaction, then a confirmed publish of the next command, then ack. */
export class FloorStepHandler implements DeliveryHandler {
  constructor(
    private readonly pool: Pool,
    private readonly sql: FloorStatements,
    private readonly publisher: ConfirmChannel,
    private readonly route: FloorRoute,
    private readonly counters: FloorCounters,
  ) {}

  handle(channel: Channel, message: ConsumeMessage): void {
    let command: FloorCommand;
    try {
      command = decodeFloorCommand(message.content);
    } catch {
      this.counters.malformed += 1;
      channel.ack(message);
      return;
    }
    void this.process(command).then(
      () => channel.ack(message),
      () => {
        this.counters.requeued += 1;
        channel.nack(message, false, true);
      },
    );
  }

  private async process(command: FloorCommand): Promise<void> {
    const result = await applyFloorStep(this.pool, this.sql, command);
    this.counters[result] += 1;
    const next = nextFloorCommand(command, this.route.steps);
    if (result === 'applied' && next) await publishFloorCommand(this.publisher, this.route.queuePrefix, next);
  }
}
