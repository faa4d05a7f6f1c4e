/** Workflow names become queue names and routing keys: lower-case kebab-case, 1 to 63 characters. */
export const WORKFLOW_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Step names become queue names, phases and class names: PascalCase-friendly identifiers. */
export const STEP_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The longest name accepted for a workflow or a step. */
export const MAX_NAME_LENGTH = 63;

/** `process-order` -> `ProcessOrder`: the prefix of a workflow's event names. */
export function pascalCase(name: string): string {
  return name
    .split(/[-_]/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
