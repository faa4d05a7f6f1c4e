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
  /** When the relay may publish it: a little after the commit for messages the writer publishes itself, the due time for a delayed retry. */
  readonly availableAt: string;
}
