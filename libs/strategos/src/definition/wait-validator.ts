import { DiagnosticCode } from './diagnostic-codes';
import { MAX_NAME_LENGTH, WORKFLOW_NAME_PATTERN } from './names';
import { WorkflowDefinitionError } from './workflow-definition.error';

/** The longest wait or deadline a definition may declare: about 10 years, far below what a timestamp holds. */
export const MAX_WAIT_MS = 10 * 366 * 24 * 3_600_000;

/** @throws WorkflowDefinitionError `STRAT030` for a signal name that is not lower-case kebab-case. */
export function assertSignalName(workflow: string, name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length > MAX_NAME_LENGTH || !WORKFLOW_NAME_PATTERN.test(name)) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidSignalName,
      workflow,
      undefined,
      `invalid signal name ${JSON.stringify(name)}; use lower-case kebab-case of 1 to ${MAX_NAME_LENGTH} characters, e.g. 'manager-approval'`,
    );
  }
}

/** @throws WorkflowDefinitionError `STRAT031` unless `value` is undefined (when optional) or a positive integer of milliseconds. */
export function assertDurationMs(workflow: string, what: string, value: unknown, optional: boolean): void {
  if (value === undefined && optional) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_WAIT_MS) {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidWaitOption,
      workflow,
      undefined,
      `${what} must be an integer number of milliseconds from 1 to ${MAX_WAIT_MS}, got ${String(value)}`,
    );
  }
}

/** @throws WorkflowDefinitionError `STRAT031` when `value` is given and is not a function. */
export function assertOptionalFunction(workflow: string, what: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new WorkflowDefinitionError(
      DiagnosticCode.InvalidWaitOption,
      workflow,
      undefined,
      `${what} must be a function, got ${typeof value}`,
    );
  }
}
