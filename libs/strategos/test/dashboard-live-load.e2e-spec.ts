import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { anOrder, initialOrderState, processOrder } from '@app/orders';
import { StrategosHeader, topologyNames } from '@strategos/nestjs';
import { startDashboardApp, type DashboardTestApp } from './support/dashboard-app';

const BATCH_MS = 250;
const RUNS = 100;
const EVENTS_PER_SECOND = 2_000;
const FLOOD_MS = 3_000;

interface Batch {
  readonly at: number;
  readonly runs: { workflowId: string }[];
  readonly overflow: boolean;
}

/** Reads the server-sent `runs` batches of `api/live` into `batches` until aborted. */
async function readBatches(url: string, batches: Batch[], signal: AbortSignal): Promise<void> {
  const response = await fetch(`${url}/api/live`, { signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      const messages = buffer.split('\n\n');
      buffer = messages.pop() ?? '';
      for (const message of messages) {
        const lines = message.split('\n');
        if (!lines.includes('event: runs')) continue;
        const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
        batches.push({ at: Date.now(), ...(JSON.parse(data.join('\n')) as Omit<Batch, 'at'>) });
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

/**
 * The live view under the load: 2,000 workflow events per second on the real events exchange (as a busy
 * cluster publishes them) reach a browser as one batch per interval, each read in one query, while the API answers.
 */
describe('Dashboard live view at 2,000 events/s on the real bus', () => {
  let app: DashboardTestApp;
  const ids: string[] = [];

  beforeAll(async () => {
    app = await startDashboardApp({ liveBatchMs: BATCH_MS }, 0);
    // Runs in the store (no worker: they stay at their first step) for the events to be about.
    for (let i = 0; i < RUNS; i++)
      ids.push((await app.starter.start(processOrder, initialOrderState(anOrder(), `load-${i}-${randomUUID()}`))).workflowId);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('sends one batch per interval with every run that changed, however many events arrive', async () => {
    const batches: Batch[] = [];
    const controller = new AbortController();
    const reading = readBatches(app.url, batches, controller.signal);
    const connection = await amqp.connect(app.environment.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    const exchange = topologyNames(app.environment.namespace).eventsExchange;
    const publish = (workflowId: string) =>
      channel.publish(
        exchange,
        'process-order.PhaseChanged',
        Buffer.from(JSON.stringify({ pattern: 'process-order.PhaseChanged', data: {} })),
        {
          headers: { [StrategosHeader.WorkflowId]: workflowId, [StrategosHeader.Workflow]: 'process-order' },
        },
      );
    // Until the feed is bound and the stream counts this listener: a first batch arrives.
    for (let i = 0; i < 300 && batches.length === 0; i++) {
      publish(ids[0]);
      await channel.waitForConfirms();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(batches.length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS * 2));

    const start = Date.now();
    const first = batches.length;
    let published = 0;
    const answers: number[] = [];
    const reads = (async () => {
      while (Date.now() - start < FLOOD_MS) {
        answers.push((await fetch(`${app.url}/api/runs?limit=50`)).status);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    // 2,000 events per second in ticks of 50 ms, round-robin over the runs (20 steps per run per second).
    while (Date.now() - start < FLOOD_MS) {
      const due = Math.floor(((Date.now() - start) / 1000) * EVENTS_PER_SECOND);
      for (; published < due; published++) publish(ids[published % RUNS]);
      await channel.waitForConfirms();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const elapsed = Date.now() - start;
    await reads;
    await new Promise((resolve) => setTimeout(resolve, BATCH_MS * 4));
    controller.abort();
    await reading;
    await connection.close();

    const flood = batches.slice(first);
    expect(published).toBeGreaterThan((EVENTS_PER_SECOND * FLOOD_MS) / 1000 / 2);
    // One message per interval at most (plus the ones straddling the window's ends), not one per event.
    expect(flood.length).toBeLessThanOrEqual(Math.ceil((elapsed + BATCH_MS * 4) / BATCH_MS) + 2);
    expect(flood.length).toBeGreaterThan(1);
    // Each batch holds each changed run once, with its summary from the store; together, every run.
    for (const batch of flood) {
      expect(batch.overflow).toBe(false);
      expect(new Set(batch.runs.map((run) => run.workflowId)).size).toBe(batch.runs.length);
    }
    expect(new Set(flood.flatMap((batch) => batch.runs.map((run) => run.workflowId)))).toEqual(new Set(ids));
    // The API kept answering meanwhile.
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((status) => status === 200)).toBe(true);
  });
});
