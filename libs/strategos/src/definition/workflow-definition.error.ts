import type { DiagnosticCode } from './diagnostic-codes';

/**
 * A workflow definition is wrong. Thrown at definition time (or at module init for a step
 * the Nest container cannot resolve); the message names the workflow, the step and the fix.
 */
export class WorkflowDefinitionError extends Error {
  override readonly name = 'WorkflowDefinitionError';

  constructor(
    readonly code: DiagnosticCode,
    readonly workflow: string,
    readonly step: string | undefined,
    detail: string,
  ) {
    super(`${code} ${workflow}${step ? ` / ${step}` : ''}: ${detail}`);
  }
}
