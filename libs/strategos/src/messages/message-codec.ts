import type { StepCommand } from '../engine/step-command';
import type { Transition } from '../engine/transition';
import type { JsonObject } from '../state/workflow-state.interface';
import type { OutgoingMessage } from '../transport/transport.interface';
import { isValidTraceparent } from '../tracing/trace-context';
import { StrategosHeader, type OutboxMessage } from './outbox-message';
import { decodeMessage, type MessageRejection } from './decode-message';
import { DEFAULT_MESSAGE_LIMITS, type MessageLimits } from './message-limits';
import { StepCommandDto } from './step-command.dto';
import { eventRoutingKey, stepQueueName } from './topology';

/** A class that validates the command of one step (a generated `Execute<Step>Command`), when there is one. */
export type CommandClassLookup = (workflowName: unknown, step: unknown) => (new () => object) | undefined;

/**
 * Parses and validates a received command body, with the step's generated class when `classFor` has one
 * (it holds every rule of the generic envelope and the step's literals), else with {@link StepCommandDto}.
 * Never throws.
 */
export function decodeStepCommand(
  body: string,
  classFor: CommandClassLookup = () => undefined,
  limits: MessageLimits = DEFAULT_MESSAGE_LIMITS,
): Promise<StepCommand | MessageRejection> {
  return decodeMessage<StepCommand>(
    body,
    (fields) => (classFor(fields.workflowName, fields.step) as (new () => StepCommand) | undefined) ?? StepCommandDto,
    'INVALID_COMMAND',
    limits,
  );
}

/** A transition's outbox rows: those the writer publishes right after commit, and delayed retries left to the relay. */
export interface OutboxRows {
  readonly publishNow: readonly OutboxMessage[];
  readonly delayed: readonly OutboxMessage[];
}

/**
 * Turns a transition's commands and events into outbox rows; `leaseMs` keeps the relay off the rows this process
 * publishes itself. A command due later than `now` is a delayed retry: due at its time, with no lease.
 */
export function toOutboxRows(
  namespace: string,
  eventsExchange: string,
  transition: Transition,
  now: Date,
  leaseMs: number,
  newId: () => string,
): OutboxRows {
  const { commands, events, traceparent } = transition;
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const nowIso = now.toISOString();
  const publishNow: OutboxMessage[] = [];
  const delayed: OutboxMessage[] = [];
  for (const { command, availableAt } of commands) {
    const later = availableAt > nowIso;
    (later ? delayed : publishNow).push({
      id: newId(),
      exchange: '',
      routingKey: stepQueueName(namespace, command.workflowName, command.step),
      messageId: command.messageId,
      type: command.type,
      headers: commandHeaders(command),
      body: command as unknown as JsonObject,
      availableAt: later ? availableAt : nowIso,
      leaseUntil: later ? null : leaseUntil,
    });
  }
  const eventRows = events.map((event): OutboxMessage => {
    const pattern = eventRoutingKey(event.workflowName, event.kind);
    return {
      id: newId(),
      exchange: eventsExchange,
      routingKey: pattern,
      messageId: event.eventId,
      type: event.type,
      headers: {
        [StrategosHeader.WorkflowId]: event.workflowId,
        [StrategosHeader.Workflow]: event.workflowName,
        [StrategosHeader.Sequence]: event.sequence,
        ...(traceparent ? { [StrategosHeader.TraceParent]: traceparent } : {}),
      },
      // A Nest packet, so that `@EventPattern('process-order.Completed')` handlers receive `data`.
      body: { pattern, data: event as unknown as JsonObject },
      availableAt: nowIso,
      leaseUntil,
    };
  });
  return { publishNow: [...publishNow, ...eventRows], delayed };
}

/**
 * The message of an outbox row. A `traceparent` header that is not valid W3C trace context is left out (rows
 * written before it was validated at every entry), so that tracing never makes a message unpublishable.
 */
export function toOutgoing(message: OutboxMessage): OutgoingMessage {
  const { [StrategosHeader.TraceParent]: traceparent, ...headers } = message.headers;
  return {
    exchange: message.exchange,
    routingKey: message.routingKey,
    messageId: message.messageId,
    type: message.type,
    headers: isValidTraceparent(traceparent) ? message.headers : headers,
    body: JSON.stringify(message.body),
  };
}

function commandHeaders(command: StepCommand): Record<string, string | number> {
  return {
    [StrategosHeader.WorkflowId]: command.workflowId,
    [StrategosHeader.Workflow]: command.workflowName,
    [StrategosHeader.Step]: command.step,
    [StrategosHeader.Attempt]: command.attempt,
    ...(command.traceparent ? { [StrategosHeader.TraceParent]: command.traceparent } : {}),
  };
}
