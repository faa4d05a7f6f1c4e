import type { StepStartMark } from '../workflow-store.interface';

/** The bind values of the `markStepsStarted` statement: one typed array per column, in the order of its `unnest`. */
export function markStepsStartedParameters(marks: readonly StepStartMark[]): unknown[] {
  return [
    marks.map((mark) => mark.workflowId),
    marks.map((mark) => mark.expectedVersion),
    marks.map((mark) => mark.commandId),
    marks.map((mark) => mark.startedAt),
    marks.map((mark) => mark.pathIndex ?? null),
  ];
}

/** The bind values of the `markStepStarted` statement (one mark), in the same order. */
export function markStepStartedParameters(mark: StepStartMark): unknown[] {
  return [mark.workflowId, mark.expectedVersion, mark.commandId, mark.startedAt, mark.pathIndex ?? null];
}
