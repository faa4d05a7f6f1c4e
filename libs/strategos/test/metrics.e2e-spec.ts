import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import {
  AggregationTemporality,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { stepQueueName } from '@strategos/nestjs';
import { SCRIPTED_PROVIDERS, scriptedSaga, slowRetrySaga, type ScriptedState } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

/** A reader the test collects from when it wants (the in-memory reader of the SDK's own tests). */
class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}

  async metrics(): Promise<Map<string, MetricData>> {
    const { resourceMetrics } = await this.collect();
    const byName = new Map<string, MetricData>();
    for (const scope of resourceMetrics.scopeMetrics) for (const metric of scope.metrics) byName.set(metric.descriptor.name, metric);
    return byName;
  }
}

function points(metrics: Map<string, MetricData>, name: string): DataPoint<unknown>[] {
  return (metrics.get(name)?.dataPoints ?? []) as DataPoint<unknown>[];
}

/** The value of the point of `name` whose attributes include `attributes`. */
function valueOf(metrics: Map<string, MetricData>, name: string, attributes: Record<string, string>): unknown {
  return points(metrics, name).find((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))?.value;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('metrics through the OpenTelemetry Meter API', () => {
  let environment: TestEnvironment;
  let app: TestApp;
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(environment, [scriptedSaga, slowRetrySaga], [...SCRIPTED_PROVIDERS], {
      meterProvider: provider,
      outbox: { relayIntervalMs: 50 },
    });
  });

  afterAll(async () => {
    await app.close();
    await provider.shutdown();
    await environment.cleanup([scriptedSaga, slowRetrySaga]);
  });

  it('counts step attempts, retries and failures per workflow and step, with durations, queue waits and commits', async () => {
    const retried = randomUUID();
    const failed = randomUUID();
    await app.starter.start(scriptedSaga, { workflowId: retried, script: { Charge: { throwUntilAttempt: 1 } } });
    await app.starter.start(scriptedSaga, { workflowId: failed, script: { Ship: { failCode: 'OUT_OF_STOCK' } } });
    expect((await app.query.waitFor(retried, { timeoutMs: 30_000 })).status).toBe('completed');
    expect((await app.query.waitFor(failed, { timeoutMs: 30_000 })).status).toBe('compensated');

    const metrics = await reader.metrics();
    const charge = { workflow: 'scripted-saga', step: 'Charge' };
    expect(valueOf(metrics, 'strategos.step.started', charge)).toBe(3); // 2 attempts in one run, 1 in the other
    expect(valueOf(metrics, 'strategos.step.retried', charge)).toBe(1);
    expect(valueOf(metrics, 'strategos.step.failed', charge)).toBe(1);
    expect(valueOf(metrics, 'strategos.step.completed', charge)).toBe(2);
    expect(valueOf(metrics, 'strategos.step.failed', { workflow: 'scripted-saga', step: 'Ship' })).toBe(1);
    expect(valueOf(metrics, 'strategos.step.completed', { workflow: 'scripted-saga', step: 'Refund' })).toBe(1);
    const durations = valueOf(metrics, 'strategos.step.duration', { ...charge, result: 'completed' }) as Histogram;
    expect(durations.count).toBe(2);
    expect(durations.min).toBeGreaterThanOrEqual(0);
    const waits = valueOf(metrics, 'strategos.step.queue_wait', charge) as Histogram;
    expect(waits.count).toBe(3);
    expect(waits.min).toBeGreaterThanOrEqual(0);
    const batches = points(metrics, 'strategos.commit.batch_size')[0]?.value as Histogram;
    expect(batches.count).toBeGreaterThan(0);
    expect(batches.sum).toBeGreaterThanOrEqual(batches.count);
    expect((points(metrics, 'strategos.commit.duration')[0]?.value as Histogram).count).toBe(batches.count);
  });

  it('reports running and waiting runs and the outbox from the store when collected', async () => {
    const sleeping = randomUUID();
    const backingOff = randomUUID();
    await app.starter.start(scriptedSaga, { workflowId: sleeping, script: { Reserve: { sleepMs: 20_000 } } }); // running until the collection below, even on a loaded machine
    await app.starter.start(slowRetrySaga, { workflowId: backingOff, script: { Charge: { throwUntilAttempt: 1 } } });
    const during = await eventually(
      () => reader.metrics(),
      (metrics) => valueOf(metrics, 'strategos.runs.waiting', { workflow: 'slow-retry-saga' }) === 1,
    );
    expect(valueOf(during, 'strategos.runs.running', { workflow: 'scripted-saga' })).toBe(1);
    expect(valueOf(during, 'strategos.runs.running', { workflow: 'slow-retry-saga' })).toBe(1);
    expect(valueOf(during, 'strategos.runs.waiting', { workflow: 'slow-retry-saga' })).toBe(1);
    expect(valueOf(during, 'strategos.outbox.backlog', {})).toBeGreaterThanOrEqual(1); // the delayed retry
    expect(valueOf(during, 'strategos.outbox.age', {})).toBeGreaterThan(0);

    await app.query.waitFor<ScriptedState>(sleeping, { timeoutMs: 60_000 });
    await app.query.waitFor<ScriptedState>(backingOff, { timeoutMs: 60_000 });
    const after = await reader.metrics();
    expect(valueOf(after, 'strategos.runs.running', { workflow: 'scripted-saga' })).toBe(0);
    expect(valueOf(after, 'strategos.runs.waiting', { workflow: 'slow-retry-saga' })).toBe(0);
  });

  it('counts dead letters by code', async () => {
    const connection = await amqp.connect(environment.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      channel.sendToQueue(stepQueueName(environment.namespace, 'scripted-saga', 'Reserve'), Buffer.from('not json'), { persistent: true });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    const metrics = await eventually(
      () => reader.metrics(),
      (collected) => valueOf(collected, 'strategos.dead_letters', { code: 'MALFORMED_JSON' }) === 1,
    );
    expect(valueOf(metrics, 'strategos.dead_letters', { code: 'MALFORMED_JSON' })).toBe(1);
  });
});
