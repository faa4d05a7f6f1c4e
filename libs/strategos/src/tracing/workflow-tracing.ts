import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { StepCommand } from '../engine/step-command';
import { validTraceparent } from './trace-context';

const TRACER_NAME = '@strategos/nestjs';

/**
 * Runs `start` in a `strategos.start <workflow>` span and hands it the W3C traceparent of that span, which every
 * command of the run carries, so that each step's span is a child of it. A no-op unless the application
 * registered an OpenTelemetry SDK (and propagator).
 */
export function inStartSpan<T>(
  workflow: string,
  workflowId: string,
  traceparent: string | undefined,
  start: (traceparent: string | undefined) => Promise<T>,
): Promise<T> {
  const parent = traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
  return inSpan(
    `strategos.start ${workflow}`,
    SpanKind.PRODUCER,
    { 'strategos.workflow': workflow, 'strategos.workflow_id': workflowId },
    parent,
    () => {
      const carrier: Record<string, string> = {};
      propagation.inject(context.active(), carrier);
      return start(carrier.traceparent ?? traceparent);
    },
  );
}

/** Runs a step attempt in a `strategos.step <Step>` span, child of the span that started the workflow. */
export function inStepSpan<T>(command: StepCommand, run: () => Promise<T>): Promise<T> {
  const traceparent = validTraceparent(command.traceparent, 'step command');
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
  const attributes = {
    'strategos.workflow': command.workflowName,
    'strategos.workflow_id': command.workflowId,
    'strategos.step': command.step,
    'strategos.attempt': command.attempt,
  };
  return inSpan(`strategos.step ${command.step}`, SpanKind.CONSUMER, attributes, parent, run);
}

function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Record<string, string | number>,
  parent: Context,
  run: () => Promise<T>,
): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, { kind, attributes }, parent, async (span: Span) => {
    try {
      return await run();
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}
