import type { Channel, ConsumeMessage } from 'amqplib';

/** How a floor worker handles each delivery; it settles the message on `channel` itself. */
export interface DeliveryHandler {
  handle(channel: Channel, message: ConsumeMessage): void;
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
