import type { OutboxMessage } from '../../messages/outbox-message';
import type { JsonObject } from '../../state/workflow-state.interface';
import { toIsoTimestamp } from './iso-timestamp';

/** The columns of `outbox` the relay reads. */
export interface OutboxRow {
  readonly id: string;
  readonly exchange: string;
  readonly routing_key: string;
  readonly message_id: string;
  readonly type: string;
  readonly headers: Record<string, string | number>;
  readonly body: JsonObject;
  readonly available_at: Date | string;
  readonly lease_until: Date | string | null;
}

/** The stored row as an outbox message, with an ISO timestamp. */
export function toOutboxMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    exchange: row.exchange,
    routingKey: row.routing_key,
    messageId: row.message_id,
    type: row.type,
    headers: row.headers,
    body: row.body,
    availableAt: toIsoTimestamp(row.available_at),
    leaseUntil: row.lease_until === null ? null : toIsoTimestamp(row.lease_until),
  };
}
