import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Step } from '../step/step.decorator';
import { StepResult } from '../step/step-result';
import type { WorkflowStep } from '../step/workflow-step.interface';
import type { WorkflowState } from '../state/workflow-state.interface';
import { Workflow } from '../definition/workflow';
import { StrategosTestHarness } from '../testing/strategos-test-harness';
import type { IncomingMessage } from '../transport/transport.interface';

@Step({ name: 'TracedA' })
class TracedA implements WorkflowStep<WorkflowState> {
  async execute(): Promise<StepResult<WorkflowState>> {
    // A span the user's own code opens inside the step.
    trace.getTracer('user-code').startActiveSpan('charge card', (span) => span.end());
    return StepResult.ok();
  }
}

@Step({ name: 'TracedB' })
class TracedB implements WorkflowStep<WorkflowState> {
  async execute(): Promise<StepResult<WorkflowState>> {
    return StepResult.ok();
  }
}

describe('trace context through the commands of a run', () => {
  const exporter = new InMemorySpanExporter();

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });

  afterAll(() => {
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('makes every step span a child of the span that started the workflow, and user spans children of their step', async () => {
    const traced = Workflow.create<WorkflowState>('traced').startWith(TracedA).finally(TracedB);
    const harness = await StrategosTestHarness.create({ workflows: [traced] });
    const published: IncomingMessage[] = [];
    harness.transport.bindQueue('event-spy', 'strategos.events', 'traced.#');
    await harness.transport.consume('event-spy', async (message) => (published.push(message), { kind: 'ack' }), { prefetch: 100 });
    try {
      const { workflowId } = await trace.getTracer('caller').startActiveSpan('POST /orders', async (request) => {
        try {
          return await harness.starter.start(traced, { workflowId: 'w-traced-1' });
        } finally {
          request.end();
        }
      });
      await harness.query.waitFor(workflowId, { timeoutMs: 10_000 });
      // The last events are delivered asynchronously, after the commit that woke waitFor.
      for (let i = 0; i < 100 && published.length < 6; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await harness.close();
    }

    const spans = exporter.getFinishedSpans();
    const byName = (name: string) => spans.find((span) => span.name === name)!;
    const request = byName('POST /orders');
    const start = byName('strategos.start traced');
    const stepA = byName('strategos.step TracedA');
    const stepB = byName('strategos.step TracedB');
    const user = byName('charge card');

    const traceId = request.spanContext().traceId;
    expect([start, stepA, stepB, user].map((span) => span.spanContext().traceId)).toEqual([traceId, traceId, traceId, traceId]);
    expect(start.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(stepA.parentSpanContext?.spanId).toBe(start.spanContext().spanId);
    expect(stepB.parentSpanContext?.spanId).toBe(start.spanContext().spanId);
    expect(user.parentSpanContext?.spanId).toBe(stepA.spanContext().spanId);
    // Events carry the run's trace context in their AMQP headers too.
    expect(published.length).toBeGreaterThanOrEqual(6);
    expect(published.every((message) => String(message.headers.traceparent).split('-')[1] === traceId)).toBe(true);
    expect(stepA.attributes).toMatchObject({
      'strategos.workflow': 'traced',
      'strategos.workflow_id': 'w-traced-1',
      'strategos.step': 'TracedA',
      'strategos.attempt': 1,
    });
  });
});
