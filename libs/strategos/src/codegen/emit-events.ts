import { WorkflowEventKind } from '../engine/workflow-event';
import { classHead, decoratedProperty, docComment, indent, quote, unionType } from './code-layout';
import type { ContractsModel, EventContract, StepContract } from './contracts-model';
import { dataTypeReference, emitEventData } from './emit-event-data';

const ID = ['@IsString()', '@IsNotEmpty()', '@MaxLength(200)'];

/** The abstract class of the fields every event of the workflow has, generic in the type of `data`. */
export function emitEventEnvelope(model: ContractsModel): string {
  const workflow = quote(model.workflow);
  return [
    docComment([
      `The fields every event of ${model.workflow} carries, validated on receipt; each event class adds its literal \`type\``,
      'and `kind` and the type of its `data`.',
    ]),
    classHead(`export abstract class ${model.names.eventEnvelope}<D extends object>`, ["implements Omit<WorkflowEvent, 'data'>"]),
    `  static readonly workflowName = ${workflow};`,
    '',
    decoratedProperty(ID, 'readonly eventId!: string;'),
    '  abstract readonly type: string;',
    '  abstract readonly kind: WorkflowEventKind;',
    decoratedProperty(ID, 'readonly workflowId!: string;'),
    decoratedProperty([`@Equals(${workflow})`], `readonly workflowName!: ${workflow};`),
    decoratedProperty(['@IsInt()', '@Min(1)'], 'readonly sequence!: number;'),
    decoratedProperty(['@IsISO8601()'], 'readonly timestamp!: string;'),
    decoratedProperty(['@IsObject()'], 'readonly data!: D;'),
    '}',
  ].join('\n');
}

/** The class of one event kind: its literal type and kind, and its routing key as `pattern`. */
export function emitEvent(model: ContractsModel, event: EventContract): string {
  const type = quote(event.className);
  const kind = quote(event.kind);
  return [
    docComment(`${event.className}: ${event.data.summary}`),
    classHead(`export class ${event.className}`, [`extends ${model.names.eventEnvelope}<${event.dataType}>`]),
    `  static readonly type = ${type};`,
    `  static readonly kind = ${kind};`,
    indent(docComment(`The routing key on the events exchange: \`@EventPattern(${event.className}.pattern)\`.`)),
    `  static readonly pattern = ${quote(event.pattern)};`,
    '',
    decoratedProperty([`@Equals(${type})`], `readonly type!: ${type};`),
    decoratedProperty([`@Equals(${kind})`], `readonly kind!: ${kind};`),
    '}',
  ].join('\n');
}

/** The alias of a step event for one step: the same message, its `data.step` narrowed, and a guard to pick it out. */
export function emitStepEventAlias(model: ContractsModel, event: EventContract, step: StepContract): string {
  const alias = event.kind === WorkflowEventKind.StepCompleted ? step.completedClass : step.failedClass;
  const name = quote(step.name);
  return [
    docComment(
      `${event.className} of step ${step.name}. The pattern is every step's: pick this step's events with \`${alias}.is(event)\`.`,
    ),
    classHead(`export class ${alias}`, [`extends ${event.className}`]),
    `  static readonly step = ${name};`,
    '',
    `  declare readonly data: ${dataTypeReference(event, model.names, name)};`,
    '',
    indent(docComment(`Whether \`event\` reports step ${step.name}.`)),
    `  static is(event: ${event.className}): event is ${alias} {`,
    `    return event.data.step === ${name};`,
    '  }',
    '}',
  ].join('\n');
}

/** Data types, the envelope, one class per kind, the per-step aliases, the union of events and the map of patterns. */
export function emitEvents(model: ContractsModel): string[] {
  const { names } = model;
  const stepEvents = model.events.filter(
    (event) => event.kind === WorkflowEventKind.StepCompleted || event.kind === WorkflowEventKind.StepFailed,
  );
  return [
    ...model.events.map((event) => emitEventData(model, event)),
    emitEventEnvelope(model),
    ...model.events.map((event) => emitEvent(model, event)),
    ...model.steps.flatMap((step) => stepEvents.map((event) => emitStepEventAlias(model, event, step))),
    [
      docComment(`Any event of ${model.workflow}.`),
      unionType(
        `export type ${names.event} =`,
        model.events.map((event) => event.className),
      ),
    ].join('\n'),
    [
      docComment([
        `The event of each routing key of ${model.workflow}. Narrowed to one key, it types a Nest handler's payload by its pattern:`,
        `\`@EventPattern<Pick<${names.eventMap}, typeof X.pattern>>(X.pattern)\` does not compile for a handler of another event.`,
      ]),
      `export type ${names.eventMap} = {`,
      ...model.events.map((event) => `  ${quote(event.pattern)}: ${event.className};`),
      '};',
    ].join('\n'),
  ];
}
