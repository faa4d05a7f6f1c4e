import { docComment, quote } from './code-layout';
import type { ContractsModel } from './contracts-model';

/**
 * The object that gathers the file's contracts for the runtime and tools: the command class of each
 * step by step name, the event class of each kind, the phases and the transitions.
 */
export function emitContractsObject(model: ContractsModel): string {
  const { names } = model;
  return [
    docComment([
      `The contracts of ${model.workflow} by name: \`commands\` by step name, \`events\` by kind (see WorkflowContracts),`,
      'for the runtime to validate what it receives with these classes and for tools that list them.',
    ]),
    `export const ${names.contracts} = {`,
    `  workflow: ${quote(model.workflow)},`,
    `  typeName: ${quote(names.typeName)},`,
    `  phases: ${names.phase},`,
    '  commands: {',
    ...model.steps.map((step) => `    ${step.name}: ${step.commandClass},`),
    '  },',
    '  events: {',
    ...model.events.map((event) => `    ${event.kind}: ${event.className},`),
    '  },',
    `  transitions: ${names.transitions},`,
    '} as const;',
  ].join('\n');
}
