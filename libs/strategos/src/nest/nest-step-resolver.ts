import { Scope, type Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { DiagnosticCode } from '../definition/diagnostic-codes';
import type { StepDefinition, WorkflowDefinition } from '../definition/workflow-definition';
import { WorkflowDefinitionError } from '../definition/workflow-definition.error';
import type { StepResolver } from '../runtime/step-resolver.interface';
import type { WorkflowState } from '../state/workflow-state.interface';
import type { WorkflowStep } from '../step/workflow-step.interface';

/** Resolves step classes from the Nest container: singletons once, request-scoped and transient steps per message. */
export class NestStepResolver implements StepResolver {
  private readonly singletons = new Map<StepDefinition['stepClass'], WorkflowStep<WorkflowState>>();

  constructor(private readonly moduleRef: ModuleRef) {}

  /**
   * Checks that a step is a provider, at module init.
   * @throws WorkflowDefinitionError `STRAT011` naming the class and the workflow.
   */
  assertResolvable(workflow: WorkflowDefinition, step: StepDefinition): void {
    const token = step.stepClass as unknown as Type<WorkflowStep<WorkflowState>>;
    try {
      const { scope } = this.moduleRef.introspect(token);
      if (scope === Scope.DEFAULT) this.singletons.set(step.stepClass, this.moduleRef.get(token, { strict: false }));
    } catch {
      throw new WorkflowDefinitionError(
        DiagnosticCode.StepNotProvided,
        workflow.name,
        step.name,
        `step class ${step.stepClass.name} is not a provider; add it to the providers of a module of this application`,
      );
    }
  }

  async resolve(step: StepDefinition): Promise<WorkflowStep<WorkflowState>> {
    const singleton = this.singletons.get(step.stepClass);
    if (singleton) return singleton;
    return this.moduleRef.resolve(step.stepClass as unknown as Type<WorkflowStep<WorkflowState>>, undefined, { strict: false });
  }
}
