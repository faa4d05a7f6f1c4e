import type { StepCommand } from '../engine/step-command';
import type { Transition } from '../engine/transition';
import type { JsonObject } from '../state/workflow-state.interface';
import type { OutgoingMessage } from '../transport/transport.interface';
import { isValidTraceparent } from '../tracing/trace-context';
import { StrategosHeader, type OutboxMessage } from './outbox-message';
import { compiledCheck } from './compiled-command-check';
import { decodeMessage, type MessageRejection } from './decode-message';
import { DEFAULT_MESSAGE_LIMITS, type MessageLimits } from './message-limits';
import { StepCommandDto } from './step-command.dto';
import { controlQueueName, eventRoutingKey, stepQueueName } from './topology';

/** A class that validates the command of one step (a generated `Execute<Step>Command`), when there is one. */
export type CommandClassLookup = (workflowName: unknown, step: unknown) => (new () => object) | undefined;

/**
 * Parses and validates a received command body, with the step's generated class when `classFor` has one
 * (it holds every rule of the generic envelope and the step's literals), else with {@link StepCommandDto}.
 * The class's rules run as a check compiled from its decorators (see {@link compiledCheck}); a body that
 * fails it, or a class that cannot be compiled, goes through class-transformer and class-validator, which
 * word the rejection. Never throws.
 */
export function decodeStepCommand(
  body: string,
  classFor: CommandClassLookup = () => undefined,
  limits: MessageLimits = DEFAULT_MESSAGE_LIMITS,
): Promise<StepCommand | MessageRejection> {
  const typeFor = (fields: Readonly<Record<string, unknown>>): new () => StepCommand =>
    (classFor(fields.workflowName, fields.step) as (new () => StepCommand) | undefined) ?? StepCommandDto;
  // Size and depth were checked by the consumer; a body the compiled check refuses gets the full decoding.
  const valid = checkedCommand(body, typeFor);
  return valid ? Promise.resolve(valid) : decodeMessage<StepCommand>(body, typeFor, 'INVALID_COMMAND', limits);
}

/** The command when `body` is a JSON object that passes its class's compiled check, else undefined. */
function checkedCommand(
  body: string,
  typeFor: (fields: Readonly<Record<string, unknown>>) => new () => StepCommand,
): StepCommand | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  // `__proto__` as an own key would set the instance's prototype in Object.assign: leave it to class-transformer.
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.hasOwn(parsed, '__proto__')) return undefined;
  const fields = parsed as Record<string, unknown>;
  const type = typeFor(fields);
  const check = compiledCheck(type);
  // An instance of the class, as class-transformer makes it, without running its field initialisers.
  return check?.(fields) ? (Object.assign(Object.create(type.prototype) as StepCommand, fields) as StepCommand) : undefined;
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
  const { commands, events, traceparent, timers = [] } = transition;
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
  // A durable timer is an outbox row due at the timer's time: PostgreSQL keeps it (indexed by due time), the
  // relay publishes it to the workflow's control queue when due; one relay claims it (SKIP LOCKED and a lease).
  for (const timer of timers) {
    const later = timer.dueAt > nowIso;
    (later ? delayed : publishNow).push({
      id: newId(),
      exchange: '',
      routingKey: controlQueueName(namespace, timer.workflowName),
      messageId: timer.timerId,
      type: 'FireTimer',
      headers: { [StrategosHeader.WorkflowId]: timer.workflowId, [StrategosHeader.Workflow]: timer.workflowName },
      body: { messageId: timer.timerId, action: 'fire-timer', workflowId: timer.workflowId, timerId: timer.timerId } as JsonObject,
      availableAt: later ? timer.dueAt : nowIso,
      leaseUntil: later ? null : leaseUntil,
    });
  }
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

/**
 * The message of a step command published without an outbox row (its transition's inbound message is redelivered
 * if it is lost): the same message its outbox row would have given.
 */
export function stepCommandMessage(namespace: string, command: StepCommand): OutgoingMessage {
  return {
    exchange: '',
    routingKey: stepQueueName(namespace, command.workflowName, command.step),
    messageId: command.messageId,
    type: command.type,
    headers: commandHeaders(command),
    body: JSON.stringify(command),
  };
}

/**
 * A command's headers: only the workflow id (to find a run's commands in the broker's tools) and the trace
 * context. The workflow, step and attempt are in the body and in the queue name; every header byte is
 * encoded, written to the outbox and sent per command.
 */
function commandHeaders(command: StepCommand): Record<string, string | number> {
  return command.traceparent
    ? { [StrategosHeader.WorkflowId]: command.workflowId, [StrategosHeader.TraceParent]: command.traceparent }
    : { [StrategosHeader.WorkflowId]: command.workflowId };
}
