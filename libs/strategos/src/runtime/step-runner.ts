import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { StrategosSettings } from '../config/strategos-settings';
import type { WorkflowDefinition } from '../definition/workflow-definition';
import type { WorkflowRegistry } from '../definition/workflow-registry';
import type { StepCommand } from '../engine/step-command';
import type { StepOutcome } from '../engine/step-outcome';
import type { TransitionContext } from '../engine/transition';
import type { TransitionEngine } from '../engine/transition-engine';
import type { WorkflowInstance } from '../engine/workflow-instance';
import { MessageRejection } from '../messages/decode-message';
import { decodeStepCommand } from '../messages/message-codec';
import { stepQueueName } from '../messages/topology';
import { StrategosHeader } from '../messages/outbox-message';
import type { TransitionCommitter } from '../persistence/transition-committer';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import type { Disposition, IncomingMessage } from '../transport/transport.interface';
import type { StepExecutor } from './step-executor';
import { inStepSpan } from '../tracing/workflow-tracing';
import type { ContractRegistry } from './contract-registry';
import { InstanceCache } from './instance-cache';
import { StepLogger } from './step-logger';
import { type Clock, SYSTEM_CLOCK } from '../signals/clock';
import { isLevelEnabled } from '../logging/log-level';
import type { StrategosMetrics } from '../metrics/strategos-metrics';
import type { StepResolver } from './step-resolver.interface';

const ACK: Disposition = { kind: 'ack' };
const REQUEUE: Disposition = { kind: 'requeue' };
/** Attempts to commit one outcome when concurrent writes (a cancel) move the instance meanwhile. */
const MAX_COMMIT_ATTEMPTS = 5;
/** Pause before giving a command back when the store failed, so that an outage does not become a hot loop. */
const REQUEUE_DELAY_MS = 500;

/**
 * Handles one `Execute<Step>Command`: validate -> load -> run the step -> engine decides -> one commit
 * -> publish -> settle. Returns a disposition; never throws across layers.
 */
export class StepRunner {
  private readonly logger = new Logger(StepRunner.name);
  private inFlight = 0;
  private readonly cache = new InstanceCache(10_000);
  private idle: (() => void)[] = [];

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
  ) {}

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
    const decoded = await decodeStepCommand(message.body, this.contracts.commandClass);
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
      return await this.process(definition, decoded);
    } catch (error) {
      // The store is unreachable (or the process is stopping): the broker redelivers; the transition applies once.
      this.logger.warn({
        message: 'Command processing interrupted; it will be redelivered',
        workflowId: decoded.workflowId,
        step: decoded.step,
        error: (error as Error).message,
      });
      if (!this.shutdown.aborted) await new Promise((resolve) => setTimeout(resolve, REQUEUE_DELAY_MS));
      return REQUEUE;
    }
  }

  private async process(definition: WorkflowDefinition, command: StepCommand): Promise<Disposition> {
    let instance = this.cache.getWaitingFor(command.workflowId, command.messageId) ?? (await this.store.load(command.workflowId));
    if (!instance) return deadLetter('UNKNOWN_INSTANCE', `no workflow instance ${command.workflowId} in the store`);
    if (!this.engine.isCurrent(instance, command)) return ACK;
    const outcome = await this.runStep(definition, instance, command);
    if (this.shutdown.aborted) return REQUEUE;
    for (let attempt = 1; attempt <= MAX_COMMIT_ATTEMPTS; attempt++) {
      const transition = this.engine.applyOutcome(definition, instance, outcome, this.transitionContext(command));
      const result = await this.committer.commit({ inboxMessageId: command.messageId, expectedVersion: instance.version, transition });
      if (result === 'committed') this.cache.remember(transition.instance);
      if (result !== 'conflict') return ACK;
      this.cache.forget(command.workflowId);
      const reloaded = await this.store.load(command.workflowId);
      if (!reloaded || !this.engine.isCurrent(reloaded, command)) return ACK;
      instance = reloaded;
    }
    return REQUEUE;
  }

  private async runStep(definition: WorkflowDefinition, instance: WorkflowInstance, command: StepCommand): Promise<StepOutcome> {
    const step = definition.stepsByName.get(command.step);
    if (!step) return { kind: 'skipped' };
    if (instance.cancelReason !== null && command.role === 'forward') return { kind: 'skipped' };
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
      this.executor.run(instanceOfStep, instance.state, context, step.timeoutMs ?? this.settings.defaultTimeoutMs, this.shutdown),
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
      traceparent: command.traceparent,
    };
  }
}

function deadLetter(code: string, reason: string): Disposition {
  return { kind: 'dead-letter', code, reason };
}
