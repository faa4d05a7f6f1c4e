import type { Channel, ConsumeMessage } from 'amqplib';

/** How a floor worker handles each delivery; it settles the message on `channel` itself. */
export interface DeliveryHandler {
  handle(channel: Channel, message: ConsumeMessage): void;
}

/** Where a floor worker sends the next command: the queue prefix and how many steps a workflow has. */
export interface FloorRoute {
  readonly queuePrefix: string;
  readonly steps: number;
}

/** What a floor worker did, reported at shutdown. */
export interface FloorCounters {
  applied: number;
  duplicate: number;
  conflict: number;
  requeued: number;
  malformed: number;
}

export function newFloorCounters(): FloorCounters {
  return { applied: 0, duplicate: 0, conflict: 0, requeued: 0, malformed: 0 };
}
