import type { JsonObject } from '../state/workflow-state.interface';

/** Header names Strategos puts on AMQP messages (besides the standard properties). */
export const StrategosHeader = {
  WorkflowId: 'x-strategos-workflow-id',
  Workflow: 'x-strategos-workflow',
  Step: 'x-strategos-step',
  Attempt: 'x-strategos-attempt',
  Sequence: 'x-strategos-sequence',
  DeadLetterReason: 'x-strategos-dead-letter-reason',
  DeadLetterCode: 'x-strategos-dead-letter-code',
  DeadLetterQueue: 'x-strategos-original-queue',
  /** The exchange an unpublishable outbox message was meant for (an event's), when not the default one. */
  DeadLetterExchange: 'x-strategos-original-exchange',
  DeadLetteredAt: 'x-strategos-dead-lettered-at',
  /** When the transport published the message, in ms since the epoch (queue-wait metrics). */
  PublishedAt: 'x-strategos-published-at',
  TraceParent: 'traceparent',
} as const;

/** A message to publish, as written to the outbox in the transaction of the transition that caused it. */
export interface OutboxMessage {
  /** Outbox row id; the AMQP message id is `messageId`. */
  readonly id: string;
  /** `''` (the default exchange, routing key = queue) for commands; the events exchange for events. */
  readonly exchange: string;
  readonly routingKey: string;
  readonly messageId: string;
  /** The message type (`ExecuteProcessPaymentCommand`, `ProcessOrderCompleted`). */
  readonly type: string;
  readonly headers: Readonly<Record<string, string | number>>;
  readonly body: JsonObject;
  /** When it is due: the commit time for messages published at once, the due time for a delayed retry. */
  readonly availableAt: string;
  /**
   * The end of a publisher's lease (the writer that publishes right after commit, or a relay that claimed it), or
   * null when nobody holds one. Until then the relay leaves the row alone, unless the lease holder's database
   * session has ended (a PostgreSQL store records the session that took the lease): a crashed writer's rows are
   * published at the next sweep, not after the lease. Kept apart from `availableAt`, so that a retry delay
   * equal to the lease is still a delay.
   */
  readonly leaseUntil: string | null;
}
