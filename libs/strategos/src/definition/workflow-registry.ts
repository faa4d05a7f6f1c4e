import { DiagnosticCode } from './diagnostic-codes';
import type { WorkflowDefinition } from './workflow-definition';
import { WorkflowDefinitionError } from './workflow-definition.error';

/** The workflows one application knows, by name. */
export class WorkflowRegistry {
  private readonly byName = new Map<string, WorkflowDefinition>();

  /** @throws WorkflowDefinitionError `STRAT012` when two different definitions share a name. */
  register(definition: WorkflowDefinition): void {
    const existing = this.byName.get(definition.name);
    if (existing && existing !== definition) {
      throw new WorkflowDefinitionError(
        DiagnosticCode.DuplicateWorkflowName,
        definition.name,
        undefined,
        'two different definitions are registered with this name; a name identifies one workflow on the bus, give one a new name (e.g. a version suffix)',
      );
    }
    this.byName.set(definition.name, definition);
  }

  find(name: string): WorkflowDefinition | undefined {
    return this.byName.get(name);
  }

  all(): readonly WorkflowDefinition[] {
    return [...this.byName.values()];
  }
}
