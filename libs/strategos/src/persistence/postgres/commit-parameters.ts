import type { TransitionWrite } from '../workflow-store.interface';

type Json = string | null;

/** A value for a `jsonb[]` element: the JSON text, or NULL. */
function json(value: unknown): Json {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * The 35 array parameters of the commit statement (see `commitStatementSql`): one array per column,
 * writes numbered from 1 in batch order, events and outbox rows tagged with their write's number.
 */
export function commitParameters(writes: readonly TransitionWrite[]): unknown[] {
  return [...writeColumns(writes), ...eventColumns(writes), ...outboxColumns(writes)];
}

function writeColumns(writes: readonly TransitionWrite[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 17 }, () => []);
  for (const { inboxMessageId, expectedVersion, transition } of writes) {
    const i = transition.instance;
    const values = [
      inboxMessageId, expectedVersion, i.workflowId, i.workflowName, json(i.state), i.phase, i.status, i.version, i.sequence,
      json(i.cursor), json(i.completedSteps), json(i.error), json(i.compensationError), i.cancelReason, i.startedAt, i.updatedAt, i.completedAt,
    ];
    values.forEach((value, column) => columns[column].push(value));
  }
  return columns;
}

function eventColumns(writes: readonly TransitionWrite[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 9 }, () => []);
  writes.forEach((write, index) => {
    for (const e of write.transition.events) {
      const values = [index + 1, e.workflowId, e.sequence, e.eventId, e.workflowName, e.type, e.kind, json(e.data), e.timestamp];
      values.forEach((value, column) => columns[column].push(value));
    }
  });
  return columns;
}

function outboxColumns(writes: readonly TransitionWrite[]): unknown[][] {
  const columns: unknown[][] = Array.from({ length: 9 }, () => []);
  writes.forEach((write, index) => {
    for (const m of write.outbox) {
      const values = [index + 1, m.id, m.exchange, m.routingKey, m.messageId, m.type, json(m.headers), json(m.body), m.availableAt];
      values.forEach((value, column) => columns[column].push(value));
    }
  });
  return columns;
}
