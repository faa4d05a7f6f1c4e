import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { StrategosSettings } from '../config/strategos-settings';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import type { StepCommand } from '../engine/step-command';
import type { StepOutcome } from '../engine/step-outcome';
import type { TransitionContext } from '../engine/transition';
import type { TransitionEngine } from '../engine/transition-engine';
import { positionFor, type WorkflowInstance } from '../engine/workflow-instance';
import { markedStarted, pathIndexOf, stateFor } from '../engine/fork-join';
import { MessageRejection } from '../messages/decode-message';
import { decodeStepCommand } from '../messages/message-codec';
import { stepQueueName } from '../messages/topology';
import { StrategosHeader } from '../messages/outbox-message';
import type { CommitResult, TransitionCommitter } from '../persistence/transition-committer';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import { InstanceLoader } from '../persistence/instance-loader';
import { StepStartRecorder } from '../persistence/step-start-recorder';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';
import { notStorable, type StepExecutor } from './step-executor';
import { CommandRepublisher } from './command-republisher';
import { GIVE_BACK, StoreRetry } from './store-retry';
import { PROCESSING_FAILED, UnexpectedFailureBudget } from './unexpected-failure-budget';
import { inStepSpan } from '../tracing/workflow-tracing';
import type { ContractRegistry } from './contract-registry';
import { InstanceCache } from './instance-cache';
import { StepLogger } from './step-logger';
import { type Clock, SYSTEM_CLOCK } from '../signals/clock';
import { isLevelEnabled } from '../logging/log-level';
import type { StrategosMetrics } from '../metrics/strategos-metrics';
import type { StepResolver } from './step-resolver.interface';
import { validTraceparent } from '../tracing/trace-context';

const ACK: Disposition = { kind: 'ack' };
const REQUEUE: Disposition = { kind: 'requeue' };
const SKIPPED: StepOutcome = { kind: 'skipped' };
/** Deliveries of a command whose processing fails unexpectedly (not a store outage) before it is dead-lettered. */
const UNEXPECTED_FAILURE_ATTEMPTS = 5;
/**
 * Attempts to commit one outcome (or record a step's start) when concurrent writes move the instance meanwhile:
 * a cancel, or the other paths of a fork finishing or starting their steps at the same moment.
 */
const MAX_COMMIT_ATTEMPTS = 20;

/**
 * Handles one `Execute<Step>Command`: validate -> load -> run the step -> engine decides -> one commit
 * -> publish -> settle. Returns a disposition; never throws across layers.
 */
export class StepRunner {
  private readonly logger = new Logger(StepRunner.name);
  private inFlight = 0;
  private readonly cache = new InstanceCache(10_000);
  private readonly starts: StepStartRecorder;
  private readonly loader: InstanceLoader;
  private readonly unexpectedFailures = new UnexpectedFailureBudget(UNEXPECTED_FAILURE_ATTEMPTS);
  private idle: (() => void)[] = [];
  private readonly retry: StoreRetry;
  private readonly republisher: CommandRepublisher;

  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly engine: TransitionEngine,
    private readonly store: WorkflowStore,
    private readonly committer: TransitionCommitter,
    private readonly executor: StepExecutor,
    private readonly resolver: StepResolver,
    private readonly settings: StrategosSettings,
    private readonly shutdown: AbortSignal,
    private readonly contracts: ContractRegistry,
    private readonly metrics?: StrategosMetrics,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    this.retry = new StoreRetry(settings.storeRetry, shutdown);
    this.republisher = new CommandRepublisher(committer, this.retry);
    const batching = { maxBatchSize: settings.commitBatchSize, maxConcurrentFlushes: settings.commitConcurrency };
    this.starts = new StepStartRecorder(store, batching);
    this.loader = new InstanceLoader(store, batching);
  }

  /** Handles one received command; see the class comment. */
  async handle(message: IncomingMessage): Promise<Disposition> {
    this.inFlight += 1;
    try {
      return await this.handleMessage(message);
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle.splice(0).forEach((resolve) => resolve());
    }
  }

  /** Resolves when no command is being handled. */
  whenIdle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  private async handleMessage(message: IncomingMessage): Promise<Disposition> {
    const decoded = await decodeStepCommand(message.body, this.contracts.commandClass, this.settings.limits);
    if (decoded instanceof MessageRejection) return deadLetter(decoded.code, decoded.reason);
    const definition = this.registry.find(decoded.workflowName);
    if (!definition)
      return deadLetter(
        'UNKNOWN_WORKFLOW',
        `workflow ${decoded.workflowName} is not registered in this process; register it with StrategosModule.forFeature`,
      );
    if (message.queue !== stepQueueName(this.settings.namespace, decoded.workflowName, decoded.step)) {
      return deadLetter('WRONG_QUEUE', `command for step ${decoded.step} of ${decoded.workflowName} arrived on queue ${message.queue}`);
    }
    const publishedAt = message.headers[StrategosHeader.PublishedAt];
    this.metrics?.stepReceived(decoded.workflowName, decoded.step, typeof publishedAt === 'number' ? Date.now() - publishedAt : undefined);
    try {
      const disposition = await this.process(definition, decoded);
      if (disposition !== REQUEUE) this.unexpectedFailures.settled(decoded.messageId);
      return disposition;
    } catch (error) {
      // Not a store failure (those are retried in place): a bug or a step resolution failure. Never a hot loop,
      // never forever: after UNEXPECTED_FAILURE_ATTEMPTS it is dead-lettered (replayable once fixed).
      const reason = (error as Error).message;
      if (this.unexpectedFailures.exhausted(decoded.messageId, message.headers['x-delivery-count']))
        return deadLetter(
          PROCESSING_FAILED,
          `processing step ${decoded.step} failed unexpectedly ${UNEXPECTED_FAILURE_ATTEMPTS} times: ${reason}`,
        );
      this.logger.error({
        message: 'Command processing failed unexpectedly; it will be redelivered after a pause',
        workflowId: decoded.workflowId,
        step: decoded.step,
        error: reason,
      });
      await this.retry.pauseBeforeRedelivery();
      return REQUEUE;
    }
  }

  /**
   * Claims, runs and commits one command. Its commit records no inbox entry: a step command is applied only while
   * its id is in the instance's cursor (`isCurrent`, checked on the copy the outcome is applied to) and only if the
   * instance still has that copy's version (`UPDATE ... WHERE version = expected`). Applying it moves the cursor
   * off the command for good (the next command, a retry, a wait or the end: a new id, never this one again) and the
   * version on. So a redelivered or concurrently delivered copy is either no longer current (republish, ack) or
   * fails the version guard (`conflict` -> reload -> not current -> republish), and a commit retried after its
   * reply was lost gets `conflict`: each transition is applied once, as the inbox would ensure, without its row.
   */
  private async process(definition: WorkflowDefinition, command: StepCommand): Promise<Disposition> {
    const fields = { workflowId: command.workflowId, step: command.step };
    let claimed: { instance: WorkflowInstance; run: boolean } | Disposition;
    try {
      claimed = await this.claim(definition, command, fields);
    } catch (error) {
      // Only a failure of the command's own data gets here (e.g. a NUL in workflowId): it can never load.
      return deadLetter('INVALID_COMMAND', `the store refused the command's workflowId: ${(error as Error).message}`);
    }
    if (!('instance' in claimed)) return claimed;
    let { instance } = claimed;
    let outcome = claimed.run ? await this.runStep(definition, instance, command) : SKIPPED;
    if (this.shutdown.aborted) return REQUEUE;
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
      const current: WorkflowInstance = instance;
      const transition = this.engine.applyOutcome(definition, current, outcome, this.transitionContext(command));
      let result: CommitResult | typeof GIVE_BACK;
      try {
        // The step ran: only the commit is retried, so its side effect is not repeated during an outage.
        result = await this.retry.run(
          () =>
            this.committer.commit({
              // No inbox entry: the cursor and the version guard apply a step command at most once (see process()).
              inboxMessageId: null,
              expectedVersion: current.version,
              transition,
              // Cached before the publish: the next step's command can arrive before the publish confirms return.
              onCommitted: (committed) => this.cache.remember(committed),
              // Its commands need no outbox row: this command is redelivered until acknowledged, after their confirms.
              redeliverable: true,
            }),
          fields,
        );
      } catch (error) {
        if (isNotStorable(outcome)) {
          return deadLetter(
            'STATE_NOT_STORABLE',
            `the store refused even the failure of step ${command.step}: ${(error as Error).message}`,
          );
        }
        this.logger.warn({
          message: 'The store refused the step result; failing the workflow',
          ...fields,
          error: (error as Error).message,
        });
        outcome = notStorable({ stepName: command.step }, `the store refused it (${(error as Error).message})`);
        continue;
      }
      if (result === GIVE_BACK) return REQUEUE;
      if (result === 'committed') return ACK;
      // Committed, but the broker did not take its commands: held until they are published, never acked before.
      if (result === 'unpublished') return this.republisher.republish(transition.instance, command, fields);
      // A conflict: the commit's reply may have been lost after it applied (the retried commit then fails the
      // version guard), or another process applied the command, or moved the instance (a cancel, another fork path).
      // The reload tells: applied -> its commands are published again; still current -> applied on the new version.
      this.cache.forget(command.workflowId);
      const reloaded = await this.retry.run(() => this.loader.load(command.workflowId), fields);
      if (reloaded === GIVE_BACK) return REQUEUE;
      if (!reloaded) return ACK;
      if (!this.engine.isCurrent(reloaded, command)) return this.republisher.republish(reloaded, command, fields);
      instance = reloaded;
    }
    return REQUEUE;
  }

  /**
   * The instance to apply the command's outcome to, and whether its step runs. A step runs only once the store
   * has recorded that it starts (a version-guarded write): a cached copy that is stale (the command applied by
   * another process, a cancel committed) fails the guard and is reloaded, so no step runs on it. A forward
   * step of a cancelled run, or a step the definition no longer has, is skipped without that write.
   */
  private async claim(
    definition: WorkflowDefinition,
    command: StepCommand,
    fields: { workflowId: string; step: string },
  ): Promise<{ instance: WorkflowInstance; run: boolean } | Disposition> {
    const load = () => this.retry.run(() => this.loader.load(command.workflowId), fields);
    let instance = this.cache.getWaitingFor(command.workflowId, command.messageId) ?? (await load());
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
      if (instance === GIVE_BACK) return REQUEUE;
      if (!instance) return deadLetter('UNKNOWN_INSTANCE', `no workflow instance ${command.workflowId} in the store`);
      // Already applied (a redelivery): what its transition sent is published again before the ack.
      if (!this.engine.isCurrent(instance, command)) return this.republisher.republish(instance, command, fields);
      const cursor = positionFor(instance, command.messageId)!;
      const pathIndex = pathIndexOf(instance, command.messageId);
      if (!definition.stepsByName.has(command.step) || (instance.cancelReason !== null && command.role === 'forward'))
        return { instance, run: false };
      const startedAt = new Date().toISOString();
      const mark = {
        workflowId: instance.workflowId,
        expectedVersion: instance.version,
        commandId: cursor.commandId,
        startedAt,
        ...(pathIndex >= 0 ? { pathIndex } : {}),
      };
      const marked = await this.retry.run(() => this.starts.record(mark), fields);
      if (marked === GIVE_BACK) return REQUEUE;
      if (marked) {
        return { instance: { ...markedStarted(instance, cursor.commandId, startedAt), version: instance.version + 1 }, run: true };
      }
      this.cache.forget(command.workflowId);
      instance = await load();
    }
    return REQUEUE;
  }

  private async runStep(definition: WorkflowDefinition, instance: WorkflowInstance, command: StepCommand): Promise<StepOutcome> {
    const step = definition.stepsByName.get(command.step);
    if (!step) return SKIPPED;
    const fields = { workflowId: command.workflowId, workflow: command.workflowName, step: command.step, attempt: command.attempt };
    const context = {
      workflowId: command.workflowId,
      workflowName: command.workflowName,
      stepName: command.step,
      attempt: command.attempt,
      idempotencyKey: command.idempotencyKey,
      logger: new StepLogger(command.step, fields, this.settings.logLevel),
      startedAt: new Date(),
    };
    const started = Date.now();
    this.metrics?.stepStarted(command.workflowName, command.step, command.attempt);
    const instanceOfStep = await this.resolver.resolve(step);
    const outcome = await inStepSpan(command, () =>
      this.executor.run(
        instanceOfStep,
        stateFor(instance, command.messageId),
        context,
        step.timeoutMs ?? this.settings.defaultTimeoutMs,
        this.shutdown,
      ),
    );
    if (outcome.kind !== 'skipped')
      this.metrics?.stepEnded(
        command.workflowName,
        command.step,
        outcome.kind === 'succeeded' ? 'completed' : 'failed',
        Date.now() - started,
      );
    if (isLevelEnabled('debug', this.settings.logLevel))
      this.logger.debug({ message: 'Step finished', ...fields, outcome: outcome.kind, durationMs: Date.now() - started });
    return outcome;
  }

  private transitionContext(command: StepCommand): TransitionContext {
    return {
      now: this.clock.now(),
      newId: randomUUID,
      random: Math.random,
      causationId: command.messageId,
      traceparent: validTraceparent(command.traceparent, 'step command'),
    };
  }
}

function isNotStorable(outcome: StepOutcome): boolean {
  return outcome.kind === 'failed' && outcome.error.code === 'STATE_NOT_STORABLE';
}

function deadLetter(code: string, reason: string): Disposition {
  return { kind: 'dead-letter', code, reason };
}
