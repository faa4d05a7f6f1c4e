import type { WorkflowDefinition } from '../definition/workflow-definition';

/**
 * Whether `value` is a built workflow definition. Checked by shape, not `instanceof`: the module may have
 * been built with another copy of the library than the generator's.
 */
export function isWorkflowDefinition(value: unknown): value is WorkflowDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof WorkflowDefinition, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.typeName === 'string' &&
    Array.isArray(candidate.steps) &&
    candidate.steps.length > 0 &&
    typeof (candidate.stepsByName as { get?: unknown } | undefined)?.get === 'function'
  );
}
