import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError } from '../../client/workflow-not-found.error';
import { WorkflowEventKind } from '../../engine/workflow-event';
import type { WorkflowInstance } from '../../engine/workflow-instance';
import { TransitionRejectedError } from '../../engine/transition-rejected.error';
import { StrategosHeader } from '../../messages/outbox-message';
import { controlQueueName } from '../../messages/topology';
import { WorkflowControlCommandDto } from '../../messages/workflow-control-command.dto';
import type { HistoryEntry, WorkflowView } from '../../query/workflow-view';
import { CliUsageError } from '../cli-usage.error';
import { BrokerConnection } from './broker-connection';
import { CliOperationError } from './cli-operation.error';
import { statusCommandLine, type ConnectionSettings } from './connection-settings';
import { StoreConnection } from './store-connection';

/** A cancel or retry request, as the `cancel` and `retry` subcommands send it. */
export interface ControlRequest {
  readonly action: 'cancel' | 'retry';
  readonly workflowId: string;
  /** Why the workflow is cancelled (cancel only). */
  readonly reason?: string;
  /** How long to wait for a process to apply it, in ms; 0 to only send it. */
  readonly waitMs: number;
}

/** What became of a {@link ControlRequest}. */
export interface ControlOutcome {
  readonly action: 'cancel' | 'retry';
  readonly workflowId: string;
  readonly workflow: string;
  /** The message id of the request. */
  readonly requestId: string;
  /** The control queue it was sent to. */
  readonly queue: string;
  /** The `CancelRequested` or `Retried` event that shows it applied; absent when not waiting (`waitMs` 0). */
  readonly event?: HistoryEntry;
  /** The instance once the request applied (or once sent, when not waiting). */
  readonly view: WorkflowView;
  /**
   * For an applied cancel: `at-once` when the current step had not started (it will not run; compensation
   * started, or the instance ended `cancelled`), `after-step` when it had (it finishes first).
   */
  readonly cancelEffect?: 'at-once' | 'after-step';
}

const POLL_INTERVAL_MS = 100;
const EVENT_OF = { cancel: WorkflowEventKind.CancelRequested, retry: WorkflowEventKind.Retried } as const;

/**
 * Sends a cancel or retry request for a workflow without its definition: checks the instance in the
 * store, publishes a `WorkflowControlCommandDto` on the workflow's control queue (which every process
 * serving the workflow consumes), then reads the audit trail until the request's event appears.
 * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; TransitionRejectedError `WORKFLOW_NOT_RUNNING`,
 * `WORKFLOW_ALREADY_CANCELLING` or `WORKFLOW_NOT_RETRYABLE`; CliOperationError `QUEUE_NOT_FOUND` (no process
 * serving the workflow ever ran in the namespace), `NO_CONTROL_RESPONSE` (none applied it within `waitMs`),
 * `CONTROL_REQUEST_REFUSED` (the instance moved on first), or a connection failure; CliUsageError for a
 * request the runtime would refuse (a reason over 1000 characters).
 */
export async function sendControlRequest(settings: ConnectionSettings, request: ControlRequest): Promise<ControlOutcome> {
  const requestId = randomUUID();
  const command = await validCommand({
    messageId: requestId,
    action: request.action,
    workflowId: request.workflowId,
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
  });
  return StoreConnection.use(settings, 'workflows', async (store) => {
    const instance = await store.workflows.load(request.workflowId);
    if (!instance) throw new WorkflowNotFoundError(request.workflowId);
    const refusal = refusalOf(request.action, instance);
    if (refusal) throw refusal;
    const queue = controlQueueName(settings.namespace, instance.workflowName);
    const outcome = { action: request.action, workflowId: instance.workflowId, workflow: instance.workflowName, requestId, queue };
    const applied = await BrokerConnection.use(settings, async (broker) => {
      await publishRequest(broker, command, instance, queue, settings);
      return request.waitMs === 0 ? undefined : waitForEvent(store, broker, request, instance, queue, settings);
    });
    const view = await currentView(store, instance.workflowId);
    if (!applied) return { ...outcome, view };
    const effect = request.action === 'cancel' ? { cancelEffect: cancelEffect(applied) } : {};
    return { ...outcome, event: applied.event, view, ...effect };
  });
}

async function publishRequest(
  broker: BrokerConnection,
  command: WorkflowControlCommandDto,
  instance: WorkflowInstance,
  queue: string,
  settings: ConnectionSettings,
): Promise<void> {
  try {
    await broker.publish({
      exchange: '',
      routingKey: queue,
      messageId: command.messageId,
      type: 'WorkflowControlCommand',
      headers: { [StrategosHeader.WorkflowId]: instance.workflowId, [StrategosHeader.Workflow]: instance.workflowName },
      body: JSON.stringify(command),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'QUEUE_NOT_FOUND') throw error;
    throw new CliOperationError(
      'QUEUE_NOT_FOUND',
      `No queue ${queue}: no process serving ${instance.workflowName} has run in namespace ${settings.namespace}; check --namespace or STRATEGOS_NAMESPACE, or start a worker or API with the workflow`,
      { cause: error },
    );
  }
}

/**
 * Reads the instance, then its trail, until the request's event (after `before`'s last one) shows up.
 * When it does not in time, the control queue's consumers tell whether any process serves the workflow.
 */
async function waitForEvent(
  store: StoreConnection,
  broker: BrokerConnection,
  request: ControlRequest,
  before: WorkflowInstance,
  queue: string,
  settings: ConnectionSettings,
): Promise<{ event: HistoryEntry; next?: HistoryEntry }> {
  const deadline = Date.now() + request.waitMs;
  for (;;) {
    // The instance first: if it no longer accepts the request yet the trail read after it has no event,
    // something else moved it on, and the runtime acknowledged the request without applying it.
    const instance = await store.workflows.load(request.workflowId);
    const history = await store.query.history(request.workflowId);
    const index = history.findIndex((entry) => entry.kind === EVENT_OF[request.action] && entry.sequence > before.sequence);
    if (index >= 0) return { event: history[index], ...(history[index + 1] ? { next: history[index + 1] } : {}) };
    const refusal = instance ? refusalOf(request.action, instance) : new WorkflowNotFoundError(request.workflowId);
    if (refusal) {
      throw new CliOperationError(
        'CONTROL_REQUEST_REFUSED',
        `The ${request.action} request was not applied: ${refusal.message} (${refusal.code}); it changed after the check`,
        { cause: refusal },
      );
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(POLL_INTERVAL_MS, remaining));
  }
  const consumers = await broker.consumerCount(queue);
  const unanswered = `No process serving ${before.workflowName} applied the ${request.action} request for ${request.workflowId} within ${request.waitMs} ms`;
  throw new CliOperationError(
    'NO_CONTROL_RESPONSE',
    consumers === 0
      ? `${unanswered}: nothing consumes ${queue}. Is a worker or API with the workflow ${before.workflowName} running in this namespace? The request waits on the queue and applies when one starts`
      : `${unanswered}, though ${consumers ?? 'some'} process(es) consume ${queue}: they may be busy, or have refused it (a retry whose failed step is no longer defined); see their log, and \`${statusCommandLine(request.workflowId, settings)}\``,
  );
}

/** A cancel took effect at once when the same transition (same timestamp) began compensation or ended the run. */
function cancelEffect({ event, next }: { event: HistoryEntry; next?: HistoryEntry }): 'at-once' | 'after-step' {
  const atOnce =
    next !== undefined &&
    next.timestamp.getTime() === event.timestamp.getTime() &&
    (next.kind === WorkflowEventKind.Compensating || next.kind === WorkflowEventKind.Cancelled);
  return atOnce ? 'at-once' : 'after-step';
}

/** Why the runtime would refuse `action` for `instance` as it stands, or undefined when it applies. */
function refusalOf(action: 'cancel' | 'retry', instance: WorkflowInstance): TransitionRejectedError | undefined {
  const which = `Workflow ${instance.workflowId} (${instance.workflowName})`;
  if (action === 'cancel') {
    if (instance.status !== 'running')
      return new TransitionRejectedError(
        'WORKFLOW_NOT_RUNNING',
        instance.workflowId,
        `${which} is ${instance.status}; only a running workflow can be cancelled`,
      );
    if (instance.cancelReason !== null || (instance.fork ? instance.fork.stopping : instance.cursor?.role !== 'forward')) {
      return new TransitionRejectedError(
        'WORKFLOW_ALREADY_CANCELLING',
        instance.workflowId,
        `${which} is already on its cancel or failure path (phase ${instance.phase})`,
      );
    }
    return undefined;
  }
  if (instance.status !== 'failed')
    return new TransitionRejectedError(
      'WORKFLOW_NOT_RETRYABLE',
      instance.workflowId,
      `${which} is ${instance.status}; only a failed workflow can be retried`,
    );
  if (instance.compensationError) {
    return new TransitionRejectedError(
      'WORKFLOW_NOT_RETRYABLE',
      instance.workflowId,
      `${which} cannot be retried: its compensation failed (${instance.compensationError.code} at ${instance.compensationError.step})`,
    );
  }
  return undefined;
}

async function currentView(store: StoreConnection, workflowId: string): Promise<WorkflowView> {
  const view = await store.query.get(workflowId);
  if (!view) throw new WorkflowNotFoundError(workflowId);
  return view;
}

/** The request as the runtime validates it, so that one it would dead-letter is refused here instead. */
async function validCommand(plain: WorkflowControlCommandDto): Promise<WorkflowControlCommandDto> {
  const command = plainToInstance(WorkflowControlCommandDto, plain);
  const errors = await validate(command);
  if (errors.length > 0) {
    throw new CliUsageError(
      errors
        .map(
          (error) => `${error.property === 'reason' ? '--reason' : error.property}: ${Object.values(error.constraints ?? {}).join(', ')}`,
        )
        .join('; '),
    );
  }
  return command;
}
