import { metrics, ValueType, type Attributes, type Counter, type Histogram, type MeterProvider } from '@opentelemetry/api';
import type { StoreGauges } from '../persistence/store-gauges';

const METER_NAME = '@strategos/nestjs';

/** What a step attempt came to, for the step counters. */
export type StepAttemptResult = 'completed' | 'failed';

/**
 * Strategos's metrics through OpenTelemetry's Meter API: a no-op unless the application registered an SDK
 * `MeterProvider` (globally, or passed as forRoot `meterProvider`). Instruments are created once; per
 * message only the cached attribute set of the (workflow, step) pair is used.
 *
 * | instrument | kind | attributes |
 * | --- | --- | --- |
 * | `strategos.step.started` / `.completed` / `.failed` / `.retried` | counter | workflow, step |
 * | `strategos.step.duration` | histogram, ms | workflow, step, result |
 * | `strategos.step.queue_wait` | histogram, ms (publish to receipt by the worker) | workflow, step |
 * | `strategos.commit.batch_size` / `strategos.commit.duration` | histogram (transitions, ms) | |
 * | `strategos.outbox.backlog` / `strategos.outbox.age` | gauge (rows, ms) | |
 * | `strategos.dead_letters` | counter | code |
 * | `strategos.runs.running` / `strategos.runs.waiting` | gauge | workflow |
 */
export class StrategosMetrics {
  private readonly started: Counter;
  private readonly completed: Counter;
  private readonly failed: Counter;
  private readonly retried: Counter;
  private readonly duration: Histogram;
  private readonly queueWait: Histogram;
  private readonly batchSize: Histogram;
  private readonly commitDuration: Histogram;
  private readonly deadLetters: Counter;
  private readonly stepAttributes = new Map<
    string,
    Map<string, { readonly base: Attributes; readonly completed: Attributes; readonly failed: Attributes }>
  >();
  private readonly deadLetterAttributes = new Map<string, Attributes>();

  /**
   * @param readGauges reads the store's gauges when a reader collects; without it there are no gauges.
   */
  constructor(provider: MeterProvider = metrics.getMeterProvider(), readGauges?: () => Promise<StoreGauges>) {
    const meter = provider.getMeter(METER_NAME);
    const count = (name: string, description: string): Counter => meter.createCounter(name, { description, valueType: ValueType.INT });
    this.started = count('strategos.step.started', 'Step attempts started');
    this.completed = count('strategos.step.completed', 'Step attempts that succeeded');
    this.failed = count('strategos.step.failed', 'Step attempts that failed (a business failure, a throw or a timeout)');
    this.retried = count('strategos.step.retried', 'Step attempts started as a retry (attempt 2 or later)');
    this.deadLetters = count('strategos.dead_letters', 'Messages archived from the dead-letter queue, by code');
    this.duration = meter.createHistogram('strategos.step.duration', { description: 'Duration of a step attempt', unit: 'ms' });
    this.queueWait = meter.createHistogram('strategos.step.queue_wait', {
      description: 'Time from the publish of a step command to the start of its step',
      unit: 'ms',
    });
    this.batchSize = meter.createHistogram('strategos.commit.batch_size', {
      description: 'Transitions committed in one transaction',
      valueType: ValueType.INT,
    });
    this.commitDuration = meter.createHistogram('strategos.commit.duration', {
      description: 'Duration of one commit transaction',
      unit: 'ms',
    });
    if (readGauges) this.observeStore(meter, readGauges);
  }

  /** A step command was received `queueWaitMs` after its publish (undefined when the transport does not say). */
  stepReceived(workflow: string, step: string, queueWaitMs: number | undefined): void {
    if (queueWaitMs !== undefined && queueWaitMs >= 0) this.queueWait.record(queueWaitMs, this.attributesOf(workflow, step).base);
  }

  /** A step attempt starts. */
  stepStarted(workflow: string, step: string, attempt: number): void {
    const attributes = this.attributesOf(workflow, step).base;
    this.started.add(1, attributes);
    if (attempt > 1) this.retried.add(1, attributes);
  }

  /** A step attempt ended. */
  stepEnded(workflow: string, step: string, result: StepAttemptResult, durationMs: number): void {
    const attributes = this.attributesOf(workflow, step);
    (result === 'completed' ? this.completed : this.failed).add(1, attributes.base);
    this.duration.record(durationMs, attributes[result]);
  }

  /** One commit transaction of `size` transitions took `durationMs`. */
  committed(size: number, durationMs: number): void {
    this.batchSize.record(size);
    this.commitDuration.record(durationMs);
  }

  /** A message was archived from the dead-letter queue. */
  deadLettered(code: string): void {
    let attributes = this.deadLetterAttributes.get(code);
    if (!attributes) this.deadLetterAttributes.set(code, (attributes = { code }));
    this.deadLetters.add(1, attributes);
  }

  private attributesOf(workflow: string, step: string) {
    let steps = this.stepAttributes.get(workflow);
    if (!steps) this.stepAttributes.set(workflow, (steps = new Map()));
    let attributes = steps.get(step);
    if (!attributes) {
      attributes = {
        base: { workflow, step },
        completed: { workflow, step, result: 'completed' },
        failed: { workflow, step, result: 'failed' },
      };
      steps.set(step, attributes);
    }
    return attributes;
  }

  private observeStore(meter: ReturnType<MeterProvider['getMeter']>, readGauges: () => Promise<StoreGauges>): void {
    const backlog = meter.createObservableGauge('strategos.outbox.backlog', {
      description: 'Outbox rows not yet published',
      valueType: ValueType.INT,
    });
    const age = meter.createObservableGauge('strategos.outbox.age', { description: 'Age of the oldest outbox row', unit: 'ms' });
    const running = meter.createObservableGauge('strategos.runs.running', {
      description: 'Running workflow instances',
      valueType: ValueType.INT,
    });
    const waiting = meter.createObservableGauge('strategos.runs.waiting', {
      description: 'Running instances parked until a retry back-off is due',
      valueType: ValueType.INT,
    });
    const seen = new Set<string>();
    meter.addBatchObservableCallback(
      async (observer) => {
        let gauges: StoreGauges;
        try {
          gauges = await readGauges();
        } catch {
          return; // the store is down: no observation rather than a wrong one
        }
        observer.observe(backlog, gauges.outboxBacklog);
        observer.observe(age, gauges.outboxOldestAgeMs);
        // A workflow with no running instance left reads 0 rather than its last count.
        const counts = new Map(gauges.runs.map((run) => [run.workflow, run]));
        for (const run of gauges.runs) seen.add(run.workflow);
        for (const workflow of seen) {
          const attributes = { workflow };
          observer.observe(running, counts.get(workflow)?.running ?? 0, attributes);
          observer.observe(waiting, counts.get(workflow)?.waiting ?? 0, attributes);
        }
      },
      [backlog, age, running, waiting],
    );
  }
}
