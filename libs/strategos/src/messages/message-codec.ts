import type { StepCommand } from '../engine/step-command';
import type { Transition } from '../engine/transition';
import type { JsonObject } from '../state/workflow-state.interface';
import type { OutgoingMessage } from '../transport/transport.interface';
import { StrategosHeader, type OutboxMessage } from './outbox-message';
import { decodeMessage, type MessageRejection } from './decode-message';
import { StepCommandDto } from './step-command.dto';
import { controlQueueName, eventRoutingKey, stepQueueName } from './topology';

/** A class that validates the command of one step (a generated `Execute<Step>Command`), when there is one. */
export type CommandClassLookup = (workflowName: unknown, step: unknown) => (new () => object) | undefined;

/**
 * Parses and validates a received command body, with the step's generated class when `classFor` has one
 * (it holds every rule of the generic envelope and the step's literals), else with {@link StepCommandDto}.
 * Never throws.
 */
export function decodeStepCommand(body: string, classFor: CommandClassLookup = () => undefined): Promise<StepCommand | MessageRejection> {
  return decodeMessage<StepCommand>(
    body,
    (fields) => (classFor(fields.workflowName, fields.step) as (new () => StepCommand) | undefined) ?? StepCommandDto,
    'INVALID_COMMAND',
  );
}

/** A transition's outbox rows: those the writer publishes right after commit, and delayed retries left to the relay. */
export interface OutboxRows {
  readonly publishNow: readonly OutboxMessage[];
  readonly delayed: readonly OutboxMessage[];
}

/** Turns a transition's commands and events into outbox rows; `leaseMs` keeps the relay off the rows this process publishes itself. */
export function toOutboxRows(
  namespace: string,
  eventsExchange: string,
  transition: Transition,
  now: Date,
  leaseMs: number,
  newId: () => string,
): OutboxRows {
  const { commands, events, traceparent, timers = [] } = transition;
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  const nowIso = now.toISOString();
  const commandRows = commands.map(({ command, availableAt }) => ({
    id: newId(),
    exchange: '',
    routingKey: stepQueueName(namespace, command.workflowName, command.step),
    messageId: command.messageId,
    type: command.type,
    headers: commandHeaders(command),
    body: command as unknown as JsonObject,
    availableAt: availableAt > nowIso ? availableAt : leaseUntil,
  }));
  const eventRows = events.map((event) => {
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
      availableAt: leaseUntil,
    };
  });
  // A durable timer is an outbox row due at the timer's time: PostgreSQL keeps it (indexed by due time), the
  // relay publishes it to the workflow's control queue when due; one relay claims it (SKIP LOCKED and a lease).
  const timerRows = timers.map((timer) => ({
    id: newId(),
    exchange: '',
    routingKey: controlQueueName(namespace, timer.workflowName),
    messageId: timer.timerId,
    type: 'FireTimer',
    headers: { [StrategosHeader.WorkflowId]: timer.workflowId, [StrategosHeader.Workflow]: timer.workflowName },
    body: { messageId: timer.timerId, action: 'fire-timer', workflowId: timer.workflowId, timerId: timer.timerId } as JsonObject,
    availableAt: timer.dueAt > nowIso ? timer.dueAt : leaseUntil,
  }));
  const rows = [...commandRows, ...timerRows];
  const delayed = rows.filter((row) => row.availableAt !== leaseUntil);
  return { publishNow: [...rows.filter((row) => row.availableAt === leaseUntil), ...eventRows], delayed };
}

export function toOutgoing(message: OutboxMessage): OutgoingMessage {
  return {
    exchange: message.exchange,
    routingKey: message.routingKey,
    messageId: message.messageId,
    type: message.type,
    headers: message.headers,
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
