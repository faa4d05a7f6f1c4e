import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { WorkflowContracts } from '../codegen/workflow-contracts.interface';
import type { StepCommand } from '../engine/step-command';

/**
 * Validates received commands with the generated `Execute<Step>Command` classes of the workflows whose contracts
 * were registered (`forFeature({ contracts })`); commands of other workflows pass.
 */
export class ContractValidator {
  private readonly byWorkflow = new Map<string, WorkflowContracts>();

  register(contracts: WorkflowContracts): void {
    this.byWorkflow.set(contracts.workflow, contracts);
  }

  /** The generated class's validation messages, or null when the command conforms (or no contract is registered). */
  async problems(command: StepCommand): Promise<string | null> {
    const type = this.byWorkflow.get(command.workflowName)?.commands[command.step];
    if (!type) return null;
    const errors = await validate(plainToInstance(type, { ...command }) as object, { forbidUnknownValues: true });
    if (errors.length === 0) return null;
    return errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ') || 'invalid'}`).join('; ');
  }
}
