import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError } from '../../client/workflow-not-found.error';
import { TransitionRejectedError, type TransitionRejectedCode } from '../../engine/transition-rejected.error';
import { SIGNAL_NOT_ACCEPTED } from '../../engine/wait-codes';
import { StrategosHeader } from '../../messages/outbox-message';
import { controlQueueName } from '../../messages/topology';
import { WorkflowControlCommandDto } from '../../messages/workflow-control-command.dto';
import type { HistoryEntry, WorkflowView } from '../../query/workflow-view';
import { CliUsageError } from '../cli-usage.error';
import { BrokerConnection } from './broker-connection';
import { CliOperationError } from './cli-operation.error';
import type { ConnectionSettings } from './connection-settings';
import { StoreConnection } from './store-connection';

/** A signal, as `strategos signal` sends it. */
export interface SignalRequest {
  readonly workflowId: string;
  readonly name: string;
  readonly payload: Record<string, unknown>;
  /** A repeat of an id the run already received is applied once. */
  readonly signalId: string;
  /** How long to wait for a process to accept it, in ms; 0 to only send it. */
  readonly waitMs: number;
}

/** What became of a {@link SignalRequest}. */
export interface SignalOutcome {
  readonly workflowId: string;
  readonly workflow: string;
  readonly signal: string;
  readonly signalId: string;
  readonly requestId: string;
  readonly queue: string;
  /** The `SignalReceived` event (`data.stored`: kept for a later wait); absent when not waiting. */
  readonly event?: HistoryEntry;
  readonly view: WorkflowView;
}

const POLL_INTERVAL_MS = 100;

/**
 * Sends a signal without the workflow's definition: checks that the run accepts signals, publishes a
 * `WorkflowControlCommandDto` (`action: 'signal'`) on its control queue, then waits for its `SignalReceived` event.
 * A process that refuses it dead-letters it with the code, which this reads back from the dead-letter store.
 * @throws WorkflowNotFoundError `WORKFLOW_NOT_FOUND`; TransitionRejectedError `SIGNAL_NOT_ACCEPTED`, or the
 * runtime's refusal (`UNKNOWN_SIGNAL`, `INVALID_SIGNAL_PAYLOAD`); CliOperationError `NO_CONTROL_RESPONSE`,
 * `QUEUE_NOT_FOUND`; CliUsageError for a name or id the runtime would refuse.
 */
export async function sendSignalRequest(settings: ConnectionSettings, request: SignalRequest): Promise<SignalOutcome> {
  const requestId = randomUUID();
  const command = plainToInstance(WorkflowControlCommandDto, {
    messageId: requestId,
    action: 'signal',
    workflowId: request.workflowId,
    name: request.name,
    payload: request.payload,
    signalId: request.signalId,
  });
  const errors = await validate(command);
  if (errors.length > 0) {
    throw new CliUsageError(errors.map((error) => `${error.property}: ${Object.values(error.constraints ?? {}).join(', ')}`).join('; '));
  }
  return StoreConnection.use(settings, 'workflows', async (store) => {
    const instance = await store.workflows.load(request.workflowId);
    if (!instance) throw new WorkflowNotFoundError(request.workflowId);
    if (instance.status !== 'running' || instance.cancelReason !== null || instance.cursor?.role !== 'forward') {
      throw new TransitionRejectedError(
        SIGNAL_NOT_ACCEPTED,
        instance.workflowId,
        `Workflow ${instance.workflowId} (${instance.workflowName}) is ${instance.status === 'running' ? 'cancelling or compensating' : instance.status}; it accepts no signal`,
      );
    }
    const queue = controlQueueName(settings.namespace, instance.workflowName);
    await BrokerConnection.use(settings, async (broker) => {
      try {
        await broker.publish({
          exchange: '',
          routingKey: queue,
          messageId: requestId,
          type: 'WorkflowControlCommand',
          headers: { [StrategosHeader.WorkflowId]: instance.workflowId, [StrategosHeader.Workflow]: instance.workflowName },
          body: JSON.stringify(command),
        });
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'QUEUE_NOT_FOUND') throw error;
        throw new CliOperationError(
          'QUEUE_NOT_FOUND',
          `No queue ${queue}: no process serving ${instance.workflowName} has run in namespace ${settings.namespace}`,
          {
            cause: error,
          },
        );
      }
    });
    const outcome = {
      workflowId: instance.workflowId,
      workflow: instance.workflowName,
      signal: request.name,
      signalId: request.signalId,
      requestId,
      queue,
    };
    if (request.waitMs === 0) return { ...outcome, view: (await store.query.get(instance.workflowId))! };
    const deadline = Date.now() + request.waitMs;
    for (;;) {
      const event = (await store.query.history(request.workflowId)).find(
        (entry) => entry.kind === 'SignalReceived' && entry.data.signalId === request.signalId,
      );
      if (event) return { ...outcome, event, view: (await store.query.get(instance.workflowId))! };
      const refused = await refusalOf(store, queue, requestId);
      if (refused) throw new TransitionRejectedError(refused.code as TransitionRejectedCode, request.workflowId, refused.reason);
      if (Date.now() > deadline) break;
      await sleep(POLL_INTERVAL_MS);
    }
    throw new CliOperationError(
      'NO_CONTROL_RESPONSE',
      `No process serving ${instance.workflowName} accepted the signal ${request.name} for ${request.workflowId} within ${request.waitMs} ms; it waits on ${queue} (a refusal goes to the dead-letter queue: \`strategos dead-letters\`)`,
    );
  });
}

/** The dead letter of the request (its code and reason), once a process refused it and the archiver stored it. */
async function refusalOf(store: StoreConnection, queue: string, requestId: string): Promise<{ code: string; reason: string } | undefined> {
  try {
    const letters = await store.deadLetters.list({ queue, limit: 500 });
    return letters.find((letter) => letter.messageId === requestId);
  } catch {
    // No dead-letter table (archiving off everywhere): only the wait's end reports a refusal.
    return undefined;
  }
}
