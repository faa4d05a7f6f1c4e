import { setMaxListeners } from 'node:events';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { StrategosSettings } from '../config/strategos-settings';
import { WorkflowRegistry } from '../definition/workflow-registry';
import { TransitionEngine } from '../engine/transition-engine';
import { DeadLetterArchiver } from '../dead-letters/dead-letter-archiver';
import type { DeadLetterStore } from '../dead-letters/dead-letter-store.interface';
import { buildTopology, controlQueueName, startQueueName, stepQueueName } from '../messages/topology';
import { WorkflowControl } from '../client/workflow-control';
import { WorkflowStarter } from '../client/workflow-starter';
import { EventLogPublisher } from '../persistence/event-log-publisher';
import { hasEventLog } from '../persistence/event-log.interface';
import { OutboxRelay } from '../persistence/outbox-relay';
import { RetentionPruner } from '../persistence/retention-pruner';
import { TransitionCommitter } from '../persistence/transition-committer';
import { TransitionNotifier } from '../persistence/transition-notifier';
import type { WorkflowStore } from '../persistence/workflow-store.interface';
import { StepExecutor } from '../runtime/step-executor';
import { ContractRegistry } from '../runtime/contract-registry';
import { ControlCommandHandler } from '../runtime/control-command-handler';
import { DefinitionDriftCheck } from '../runtime/definition-drift-check';
import { StartCommandHandler } from '../runtime/start-command-handler';
import { StoreRetry } from '../runtime/store-retry';
import { StepRunner } from '../runtime/step-runner';
import { StepWorker } from '../runtime/step-worker';
import type { Transport } from '../transport/transport.interface';
import { createDeadLetterStore, createStore, createTransport } from './create-adapters';
import { NestStepResolver } from './nest-step-resolver';
import { resolveSettings } from './resolve-settings';
import { STRATEGOS_OPTIONS_TOKEN } from './strategos-module-definition';
import type { StrategosModuleOptions } from './strategos-module-options.interface';
import { WorkflowFeature } from './workflow-feature';
import { SYSTEM_CLOCK } from '../signals/clock';
import { StrategosMetrics } from '../metrics/strategos-metrics';
import { buildHealthReport, type StrategosHealthReport } from '../health/strategos-health-report';
import type { StallDetectionOptions } from '../query/stall-detector';
import { hasGauges } from '../persistence/store-gauges';

/** What `StrategosRuntime.health()` reports. */
export interface StrategosHealth {
  readonly status: 'ok' | 'unavailable';
  readonly started: boolean;
  readonly transport: 'connected' | 'disconnected';
}

/**
 * Joins the engine, the adapters and Nest's lifecycle: registers the workflows of every `forFeature`
 * at init, then migrates the store, declares the topology and starts the step workers and the relay;
 * on shutdown stops consuming, lets in-flight steps finish (or aborts them after the grace period), and closes.
 */
/** What shutdown may take beyond `shutdownGraceMs`: aborting steps, settling their messages and closing connections. */
export const SHUTDOWN_MARGIN_MS = 3_000;

@Injectable()
export class StrategosRuntime implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Strategos');
  readonly settings: StrategosSettings;
  readonly registry = new WorkflowRegistry();
  readonly engine: TransitionEngine;
  readonly notifier = new TransitionNotifier();
  readonly transport: Transport;
  readonly store: WorkflowStore;
  readonly committer: TransitionCommitter;
  readonly deadLetterStore: DeadLetterStore;
  readonly starter: WorkflowStarter;
  readonly control: WorkflowControl;
  /** Strategos's OpenTelemetry instruments (no-op without a MeterProvider). */
  readonly metrics: StrategosMetrics;
  private readonly shutdown = new AbortController();
  private readonly resolver: NestStepResolver;
  private readonly contracts = new ContractRegistry();
  private readonly runner: StepRunner;
  private readonly worker: StepWorker;
  private readonly relay: OutboxRelay;
  /** Publishes the events of a store with an event log (PostgreSQL); absent for outbox-only stores (in memory). */
  private readonly eventPublisher: EventLogPublisher | undefined;
  private readonly pruner: RetentionPruner;
  private readonly started: Promise<void>;
  private markStarted!: () => void;
  private isStarted = false;
  private failStart!: (error: unknown) => void;

  constructor(
    /** The `forRoot` options (the dashboard reads its connections from them). */
    @Inject(STRATEGOS_OPTIONS_TOKEN) readonly options: StrategosModuleOptions,
    private readonly discovery: DiscoveryService,
    moduleRef: ModuleRef,
  ) {
    this.settings = resolveSettings(options);
    // One abort listener per step in flight (bounded by prefetch × step queues, each removed when its step ends).
    setMaxListeners(0, this.shutdown.signal);
    this.engine = new TransitionEngine(this.settings.defaultRetry);
    this.transport = createTransport(options);
    this.store = createStore(options);
    this.deadLetterStore = createDeadLetterStore(options);
    const store = this.store;
    this.metrics = new StrategosMetrics(options.meterProvider, hasGauges(store) ? () => store.gauges() : undefined);
    this.committer = new TransitionCommitter(this.store, this.transport, this.notifier, this.settings, this.metrics);
    const clock = options.clock ?? SYSTEM_CLOCK;
    this.starter = new WorkflowStarter(this.registry, this.engine, this.committer, () => this.ready(), clock);
    this.control = new WorkflowControl(this.registry, this.engine, this.store, this.committer, () => this.ready(), clock);
    this.resolver = new NestStepResolver(moduleRef);
    this.runner = new StepRunner(
      this.registry,
      this.engine,
      this.store,
      this.committer,
      new StepExecutor(),
      this.resolver,
      this.settings,
      this.shutdown.signal,
      this.contracts,
      this.metrics,
      clock,
    );
    this.worker = new StepWorker(this.registry, this.transport, this.runner, this.settings);
    this.relay = new OutboxRelay(this.store, this.committer, this.transport, this.settings);
    this.eventPublisher = hasEventLog(store) ? new EventLogPublisher(store.eventLog, this.transport, this.settings) : undefined;
    this.pruner = new RetentionPruner(this.store, this.settings.retention);
    this.started = new Promise<void>((resolve, reject) => {
      this.markStarted = resolve;
      this.failStart = reject;
    });
    this.started.catch(() => undefined);
  }

  /**
   * Readiness for health checks (a `@nestjs/terminus` indicator or a plain endpoint): started, and the
   * broker connection up with its topology and consumers in place.
   */
  health(): StrategosHealth {
    const transport = this.transport.isHealthy() ? 'connected' : 'disconnected';
    return { status: this.isStarted && transport === 'connected' ? 'ok' : 'unavailable', started: this.isStarted, transport };
  }

  /** Publishes what is due in the outbox now (timers included) and the events logged so far; the test harness calls it after moving its clock. */
  async sweepOutbox(): Promise<void> {
    await this.relay.sweep();
    // Only a process that stands for the lead may take it (and then polls).
    if (this.settings.relay) await this.eventPublisher?.publishPending();
  }

  /**
   * Readiness with the database and stalled runs (what `/health` and `StrategosHealthIndicator` report):
   * started, broker connected, database answering; plus the steps whose queues have had no consumer for
   * longer than `stalledAfterMs` while instances wait on them.
   */
  checkHealth(): Promise<StrategosHealthReport> {
    return buildHealthReport({
      started: this.isStarted,
      transport: this.transport,
      store: this.store,
      registry: this.registry,
      namespace: this.settings.namespace,
      stalledAfterMs: this.settings.stalledAfterMs,
    });
  }

  /** Stalled-run detection for `WorkflowQuery`, when the transport can count a queue's consumers. */
  stallDetection(): StallDetectionOptions | undefined {
    const transport = this.transport;
    if (!transport.consumerCount) return undefined;
    return {
      consumers: { consumerCount: (queue) => transport.consumerCount?.(queue) ?? Promise.resolve(undefined) },
      namespace: this.settings.namespace,
      afterMs: this.settings.stalledAfterMs,
    };
  }

  /** Resolves once the store is migrated and the topology declared (what `start` and control calls wait for). */
  ready(): Promise<void> {
    return this.started;
  }

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!(wrapper.instance instanceof WorkflowFeature)) continue;
      wrapper.instance.workflows.forEach((definition) => this.registry.register(definition));
      wrapper.instance.contracts.forEach((contracts) => this.contracts.register(contracts));
    }
    const served = new Set(this.worker.selectedQueues());
    for (const definition of this.registry.all()) {
      for (const step of definition.stepsByName.values()) {
        if (served.has(stepQueueName(this.settings.namespace, definition.name, step.name)))
          this.resolver.assertResolvable(definition, step);
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.store.migrate();
      await this.deadLetterStore.migrate();
      const topology = buildTopology(this.settings.namespace, this.settings.queueType, this.registry.all());
      await this.transport.connect(topology);
      await new DefinitionDriftCheck(this.registry, this.engine, this.store, this.committer).run();
      await this.worker.start();
      if (this.settings.consumeStartCommands) await this.consumeStartAndControlCommands();
      if (this.settings.archiveDeadLetters) {
        const archiver = new DeadLetterArchiver(this.deadLetterStore, this.metrics);
        await this.transport.consume(topology.deadLetterQueue, (message) => archiver.handle(message), { prefetch: 16, unbounded: true });
      }
      if (this.settings.relay) this.relay.start();
      if (this.settings.relay && this.eventPublisher) {
        const publisher = this.eventPublisher;
        this.notifier.onEveryCommit(() => publisher.wake());
        publisher.start();
      }
      if (this.settings.retention.enabled) this.pruner.start();
      this.logger.log({
        message: 'Strategos started',
        workflows: this.registry.all().map((d) => d.name),
        namespace: this.settings.namespace,
      });
      this.isStarted = true;
      this.markStarted();
    } catch (error) {
      this.failStart(error);
      throw error;
    }
  }

  private async consumeStartAndControlCommands(): Promise<void> {
    const retry = new StoreRetry(this.settings.storeRetry, this.shutdown.signal);
    const control = new ControlCommandHandler(this.control, retry, this.settings.limits);
    for (const definition of this.registry.all()) {
      const handler = new StartCommandHandler(this.starter, definition.name, retry, this.settings.limits);
      await this.transport.consume(startQueueName(this.settings.namespace, definition.name), (message) => handler.handle(message), {
        prefetch: this.settings.prefetch,
      });
      // Timers fire through the control queue: a burst of them (10,000 due in one second) is applied concurrently, like
      // step commands; each is one version-guarded transition of its own run, so their order does not matter.
      await this.transport.consume(controlQueueName(this.settings.namespace, definition.name), (message) => control.handle(message), {
        prefetch: this.settings.prefetch,
      });
    }
  }

  /**
   * Stops consuming, lets in-flight steps finish for `shutdownGraceMs`, aborts their signals, then closes; the
   * whole shutdown takes at most `shutdownGraceMs` plus {@link SHUTDOWN_MARGIN_MS}. A step that ignores its signal,
   * or a broker or store that does not answer, is left behind: its message is redelivered to another worker.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.isStarted = false;
    const graceEnds = Date.now() + this.settings.shutdownGraceMs;
    const deadline = graceEnds + SHUTDOWN_MARGIN_MS;
    const until = (end: number) => Math.max(0, end - Date.now());
    await settlesWithin(this.worker.stop(), until(graceEnds));
    await settlesWithin(this.runner.whenIdle(), until(graceEnds));
    this.shutdown.abort(new Error('Strategos is shutting down'));
    const steps = await settlesWithin(this.runner.whenIdle(), until(deadline));
    const closed =
      (await settlesWithin(this.relay.stop(), until(deadline))) &&
      (await settlesWithin(this.eventPublisher?.stop() ?? Promise.resolve(), until(deadline))) &&
      (await settlesWithin(this.pruner.stop(), until(deadline))) &&
      (await settlesWithin(this.transport.close(), until(deadline))) &&
      (await settlesWithin(this.store.close(), until(deadline))) &&
      (await settlesWithin(this.deadLetterStore.close(), until(deadline)));
    if (!steps || !closed) {
      this.logger.warn({
        message: 'Shutdown deadline reached; unfinished steps are redelivered to another worker',
        stepsFinished: steps,
        closed,
      });
      // Whatever is still open closes in the background; the deadline is not waited beyond.
      void this.transport.close().catch(() => undefined);
      void this.store.close().catch(() => undefined);
      void this.deadLetterStore.close().catch(() => undefined);
      return;
    }
    this.logger.log('Strategos stopped');
  }
}

/** Whether `work` settled within `ms` (its rejection counts as settled: shutdown goes on either way). */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      expired,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
