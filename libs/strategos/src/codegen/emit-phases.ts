import type { StepRole } from '../definition/workflow-definition';
import { docComment, quote, typeAlias, unionType } from './code-layout';
import type { ContractsModel } from './contracts-model';
import { FORK_PREFIX } from './workflow-transitions';

/** The state type, read from the definition's type so that it can never disagree with it. */
export function emitStateType(model: ContractsModel): string {
  const { names, source } = model;
  return [
    docComment(`The state of ${model.workflow}, as its definition \`${source.exportName}\` declares it.`),
    typeAlias(`export type ${names.state} =`, `typeof ${source.localName} extends WorkflowDefinition<infer S> ? S : never`),
  ].join('\n');
}

/** The phases as an `as const` object and a union type of the same name. */
export function emitPhases(model: ContractsModel): string {
  const { names } = model;
  const hasFork = model.diagramTransitions.some((row) => row.from.startsWith(FORK_PREFIX));
  return [
    docComment([
      `The phases of ${model.workflow} in the order of a run: NotStarted, one per forward step, Completed; on the failure path`,
      'Compensating, one per compensation (in the order they run), Compensated, the onFailure step, Failed; and Cancelled.',
    ]),
    `export const ${names.phase} = {`,
    // A wait's phase (`AwaitApproval(manager-approval)`) is not an identifier: quoted as a key.
    ...model.phases.map(
      (phase) => `  ${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(phase.name) ? phase.name : quote(phase.name)}: ${quote(phase.name)},`,
    ),
    '} as const;',
    '',
    docComment(
      hasFork
        ? `A phase of ${model.workflow}: the \`phase\` of its workflow view and of its PhaseChanged events; inside a fork, \`Fork(<running steps>)\`.`
        : `A phase of ${model.workflow}: the \`phase\` of its workflow view and of its PhaseChanged events.`,
    ),
    typeAlias(
      `export type ${names.phase} =`,
      `(typeof ${names.phase})[keyof typeof ${names.phase}]${hasFork ? ' | `Fork(${string})`' : ''}`,
    ),
  ].join('\n');
}

/** Union types of the step names: by role, and all of them. */
export function emitStepTypes(model: ContractsModel): string {
  const { names } = model;
  const byRole = (role: StepRole) => model.steps.filter((step) => step.role === role).map((step) => quote(step.name));
  return [
    docComment(`A forward step of ${model.workflow}.`),
    unionType(`export type ${names.forwardStep} =`, byRole('forward')),
    '',
    docComment(`A compensation step of ${model.workflow}, in the order they run.`),
    unionType(`export type ${names.compensationStep} =`, byRole('compensation')),
    '',
    docComment(`The onFailure step of ${model.workflow}, which runs after compensation.`),
    unionType(`export type ${names.failureStep} =`, byRole('onFailure')),
    '',
    docComment(`Any step of ${model.workflow}: the \`step\` of its commands and step events.`),
    unionType(`export type ${names.step} =`, [names.forwardStep, names.compensationStep, names.failureStep]),
  ].join('\n');
}
