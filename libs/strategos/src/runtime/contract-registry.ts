import type { WorkflowContracts } from '../codegen/workflow-contracts.interface';
import type { CommandClassLookup } from '../messages/message-codec';

/**
 * The generated `Execute<Step>Command` classes of the workflows whose contracts were registered
 * (`forFeature({ contracts })`): received commands of those workflows are validated with them.
 */
export class ContractRegistry {
  private readonly byWorkflow = new Map<string, WorkflowContracts>();

  register(contracts: WorkflowContracts): void {
    this.byWorkflow.set(contracts.workflow, contracts);
  }

  /** The command class of a step, when its workflow's contracts are registered. */
  readonly commandClass: CommandClassLookup = (workflowName, step) =>
    typeof workflowName === 'string' && typeof step === 'string' ? this.byWorkflow.get(workflowName)?.commands[step] : undefined;
}
