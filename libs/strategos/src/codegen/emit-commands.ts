import { classHead, decoratedProperty, docComment, indent, quote, unionType } from './code-layout';
import type { ContractsModel, StepContract } from './contracts-model';

/** The pattern of a W3C `traceparent`, as the runtime's `StepCommandDto` checks it. */
const TRACEPARENT_PATTERN = '/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/';

const ID = ['@IsString()', '@IsNotEmpty()', '@MaxLength(200)'];
const TEXT = ['@IsString()', '@IsNotEmpty()'];

/** The abstract class of the fields every command of the workflow has, validated by the rules of `StepCommandDto`. */
export function emitCommandEnvelope(model: ContractsModel): string {
  const workflow = quote(model.workflow);
  return [
    docComment([
      `The fields every step command of ${model.workflow} carries, validated by the rules of the runtime's StepCommandDto;`,
      'each command class adds its literal `type`, `step` and `role`.',
    ]),
    `export abstract class ${model.names.commandEnvelope} {`,
    `  static readonly workflowName = ${workflow};`,
    '',
    decoratedProperty(ID, 'readonly messageId!: string;'),
    decoratedProperty(ID, 'readonly workflowId!: string;'),
    decoratedProperty([`@Equals(${workflow})`], `readonly workflowName!: ${workflow};`),
    decoratedProperty(['@IsInt()', '@Min(1)', '@Max(1_000_000)'], 'readonly attempt!: number;'),
    decoratedProperty(TEXT, 'readonly idempotencyKey!: string;'),
    decoratedProperty(TEXT, 'readonly correlationId!: string;'),
    decoratedProperty(TEXT, 'readonly causationId!: string;'),
    decoratedProperty(['@IsISO8601()'], 'readonly createdAt!: string;'),
    // Never a reason to reject a command: the runtime drops an invalid trace context (a stored run must not get stuck).
    decoratedProperty(['@IsOptional()'], 'readonly traceparent?: string;'),
    '}',
  ].join('\n');
}

function describeStep(model: ContractsModel, step: StepContract): string {
  if (step.role === 'compensation')
    return `Runs ${step.name}, which undoes ${step.compensates} when ${model.workflow} takes its failure path.`;
  if (step.role === 'onFailure') return `Runs ${step.name}, the onFailure step of ${model.workflow}, after compensation.`;
  const forward = model.steps.filter((candidate) => candidate.role === 'forward');
  const position = `forward step ${forward.indexOf(step) + 1} of ${forward.length} of ${model.workflow}`;
  return `Runs ${step.name}, ${position}${step.compensation ? `; ${step.compensation} undoes it` : ''}.`;
}

/** The command class of one step: the envelope plus literal checks of its type, step and role, and its queue. */
export function emitCommand(model: ContractsModel, step: StepContract): string {
  const type = quote(step.commandClass);
  const name = quote(step.name);
  const role = quote(step.role);
  const queue = `${model.workflow}.${step.name}`;
  return [
    docComment(describeStep(model, step)),
    classHead(`export class ${step.commandClass}`, [`extends ${model.names.commandEnvelope}`, 'implements StepCommand']),
    `  static readonly type = ${type};`,
    `  static readonly step = ${name};`,
    `  static readonly role = ${role};`,
    '',
    indent(docComment("The queue of the step's commands in a Strategos namespace (the `namespace` of forRoot, default `strategos`).")),
    "  static queue(namespace = 'strategos'): string {",
    `    return \`\${namespace}.${queue}\`;`,
    '  }',
    '',
    decoratedProperty([`@Equals(${type})`], `readonly type!: ${type};`),
    decoratedProperty([`@Equals(${name})`], `readonly step!: ${name};`),
    decoratedProperty([`@Equals(${role})`], `readonly role!: ${role};`),
    '}',
  ].join('\n');
}

/**
 * The start command: a service that does not import the steps starts the workflow by publishing it (JSON)
 * on the workflow's start queue; the runtime starts one instance per `state.workflowId`.
 */
export function emitStartCommand(model: ContractsModel): string {
  const type = quote(model.names.startCommand);
  const workflow = quote(model.workflow);
  return [
    docComment([
      `Starts ${model.workflow} from any service, without its step classes: publish it as JSON on`,
      `\`${model.names.startCommand}.queue(namespace)\`; one instance starts per \`state.workflowId\`.`,
    ]),
    `export class ${model.names.startCommand} {`,
    `  static readonly type = ${type};`,
    `  static readonly workflowName = ${workflow};`,
    '',
    indent(docComment('The start queue of the workflow in a Strategos namespace (the `namespace` of forRoot, default `strategos`).')),
    "  static queue(namespace = 'strategos'): string {",
    `    return \`\${namespace}.${model.workflow}.start-command\`;`,
    '  }',
    '',
    indent(docComment('The command that starts a run with `state`; `messageId` identifies the message.')),
    `  static create(state: ${model.names.state}, messageId: string) {`,
    `    const command = new ${model.names.startCommand}();`,
    '    return Object.assign(command, { messageId, state, type: this.type, workflowName: this.workflowName });',
    '  }',
    '',
    decoratedProperty(ID, 'readonly messageId!: string;'),
    decoratedProperty([`@Equals(${type})`], `readonly type!: ${type};`),
    decoratedProperty([`@Equals(${workflow})`], `readonly workflowName!: ${workflow};`),
    decoratedProperty(['@IsObject()'], `readonly state!: ${model.names.state};`),
    decoratedProperty(['@IsOptional()', '@IsString()', `@Matches(${TRACEPARENT_PATTERN})`], 'readonly traceparent?: string;'),
    '}',
  ].join('\n');
}

/**
 * The signal command, for a workflow with waits: a service without the definition sends a signal (or an approval,
 * payload `{ approved, by?, comment? }`) by publishing it (JSON) on the workflow's control queue. A refused signal
 * (`UNKNOWN_SIGNAL`, `INVALID_SIGNAL_PAYLOAD`, `SIGNAL_NOT_ACCEPTED`) goes to the dead-letter queue with its code.
 */
export function emitSignalCommand(model: ContractsModel): string {
  const signals = model.signals ?? [];
  const workflow = quote(model.workflow);
  const names = signals.map(quote);
  const pattern = `/^(${signals.map((signal) => signal.replace(/-/g, '\\-')).join('|')})$/`;
  return [
    docComment([
      `Sends a signal to a run of ${model.workflow} from any service, without its definition: publish it as JSON on`,
      `\`${model.names.signalCommand}.queue(namespace)\`. A repeated \`signalId\` is applied once; a refused signal is dead-lettered with its code.`,
    ]),
    `export class ${model.names.signalCommand} {`,
    `  static readonly type = ${quote(model.names.signalCommand)};`,
    `  static readonly workflowName = ${workflow};`,
    `  static readonly signals = [${names.join(', ')}] as const;`,
    '',
    indent(docComment('The control queue of the workflow in a Strategos namespace (the `namespace` of forRoot, default `strategos`).')),
    "  static queue(namespace = 'strategos'): string {",
    `    return \`\${namespace}.${model.workflow}.control\`;`,
    '  }',
    '',
    indent(
      docComment(
        'The command that sends `name` with `payload` to the run `workflowId`; `messageId` identifies the message, `signalId` the signal (default: `messageId`).',
      ),
    ),
    `  static create(workflowId: string, name: ${unionOf(names)}, payload: Record<string, unknown>, messageId: string, signalId = messageId) {`,
    `    const command = new ${model.names.signalCommand}();`,
    "    return Object.assign(command, { messageId, action: 'signal' as const, workflowId, name, payload, signalId });",
    '  }',
    '',
    decoratedProperty(ID, 'readonly messageId!: string;'),
    decoratedProperty(["@Equals('signal')"], "readonly action!: 'signal';"),
    decoratedProperty(ID, 'readonly workflowId!: string;'),
    decoratedProperty([`@Matches(${pattern})`], `readonly name!: ${unionOf(names)};`),
    decoratedProperty(['@IsObject()'], 'readonly payload!: Record<string, unknown>;'),
    decoratedProperty(['@IsOptional()', ...ID], 'readonly signalId?: string;'),
    '}',
  ].join('\n');
}

function unionOf(literals: readonly string[]): string {
  return literals.join(' | ');
}

/** Every command class, then their union, then the start command (and the signal command, for a workflow with waits). */
export function emitCommands(model: ContractsModel): string[] {
  return [
    emitCommandEnvelope(model),
    ...model.steps.map((step) => emitCommand(model, step)),
    [
      docComment(`Any step command of ${model.workflow}.`),
      unionType(
        `export type ${model.names.command} =`,
        model.steps.map((step) => step.commandClass),
      ),
    ].join('\n'),
    emitStartCommand(model),
    ...((model.signals ?? []).length > 0 ? [emitSignalCommand(model)] : []),
  ];
}
