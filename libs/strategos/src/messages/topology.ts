import type { WorkflowDefinition } from '../definition/workflow-definition';

/** Names of the broker objects of one Strategos namespace. */
export interface TopologyNames {
  /** Topic exchange of workflow events. */
  readonly eventsExchange: string;
  /** Exchange and queue where messages that cannot be processed go, with the reason in headers. */
  readonly deadLetterExchange: string;
  readonly deadLetterQueue: string;
}

/** Everything a process declares at start-up (idempotently, and again after a reconnect). */
export interface Topology extends TopologyNames {
  /** One durable queue per step of every registered workflow, and one for its start commands (declared by every process, consumers or not, so no command is unroutable). */
  readonly commandQueues: readonly string[];
  readonly queueType: 'quorum' | 'classic';
}

/** Broker names derived from a namespace (default `strategos`). */
export function topologyNames(namespace: string): TopologyNames {
  return {
    eventsExchange: `${namespace}.events`,
    deadLetterExchange: `${namespace}.dead-letter`,
    deadLetterQueue: `${namespace}.dead-letter`,
  };
}

/** The queue of a step's commands: `<namespace>.<workflow>.<Step>`. */
export function stepQueueName(namespace: string, workflow: string, step: string): string {
  return `${namespace}.${workflow}.${step}`;
}

/** The queue of a workflow's start commands: `<namespace>.<workflow>.start-command` (no step name has a `-`). */
export function startQueueName(namespace: string, workflow: string): string {
  return `${namespace}.${workflow}.start-command`;
}

/** The queue of a workflow's cancel and retry requests: `<namespace>.<workflow>.control`. */
export function controlQueueName(namespace: string, workflow: string): string {
  return `${namespace}.${workflow}.control`;
}

/** The routing key of a workflow event on the events exchange: `<workflow>.<Kind>`, e.g. `process-order.Completed`. */
export function eventRoutingKey(workflow: string, kind: string): string {
  return `${workflow}.${kind}`;
}

/** The topology that serves the given workflows. */
export function buildTopology(namespace: string, queueType: 'quorum' | 'classic', definitions: readonly WorkflowDefinition[]): Topology {
  const commandQueues = definitions.flatMap((definition) => [
    ...[...definition.stepsByName.keys()].map((step) => stepQueueName(namespace, definition.name, step)),
    startQueueName(namespace, definition.name),
    controlQueueName(namespace, definition.name),
  ]);
  return { ...topologyNames(namespace), commandQueues, queueType };
}
