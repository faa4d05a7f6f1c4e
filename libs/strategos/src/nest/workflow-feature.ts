import type { WorkflowContracts } from '../codegen/workflow-contracts.interface';
import type { WorkflowDefinition } from '../definition/workflow-definition';

/** What one `StrategosModule.forFeature` call registered; found at init through the DiscoveryService. */
export class WorkflowFeature {
  constructor(
    readonly workflows: readonly WorkflowDefinition[],
    readonly contracts: readonly WorkflowContracts[] = [],
  ) {}
}
