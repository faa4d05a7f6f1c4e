import { docComment, withTypeParameter } from './code-layout';
import type { ContractNames } from './contract-names';
import type { ContractsModel, EventContract } from './contracts-model';
import { isStepEvent, type EventDataField, type EventDataValue } from './event-data-shapes';

/** The type parameter of a step event's data: the step it reports. */
const STEP_PARAMETER = 'S';

/** The TypeScript type of a data field's value in the workflow's contracts. */
export function dataValueType(value: EventDataValue, names: ContractNames): string {
  switch (value) {
    case 'state':
      return names.state;
    case 'patch':
      return `StatePatch<${names.state}>`;
    case 'phase':
      return names.phase;
    case 'step':
      return names.step;
    case 'eventStep':
      return STEP_PARAMETER;
    case 'forwardStep':
      return names.forwardStep;
    case 'compensationSteps':
      return `readonly ${names.compensationStep}[]`;
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'nullableString':
      return 'string | null';
    case 'retryCode':
      return "'STEP_TIMEOUT' | 'STEP_ERROR'";
    case 'true':
      return 'true';
    case 'false':
      return 'false';
    case 'failedStatus':
      return "'failed' | 'compensated'";
    case 'error':
      return 'RecordedError';
    case 'nullableError':
      return 'RecordedError | null';
    case 'payload':
      return 'Readonly<Record<string, unknown>>';
    case 'boolean':
      return 'boolean';
    case 'previousError':
      return '{ readonly code: string; readonly message: string }';
  }
}

function fieldLine(field: EventDataField, names: ContractNames): string {
  return `readonly ${field.name}${field.optional ? '?' : ''}: ${dataValueType(field.value, names)};`;
}

/** The declaration head of an event's data type, with the step parameter for step events. */
export function dataTypeReference(event: EventContract, names: ContractNames, step?: string): string {
  return isStepEvent(event.data) && step !== undefined ? `${event.dataType}<${step}>` : event.dataType;
}

/** The type of one event kind's `data`: an interface, or a union of object types for a kind with variants. */
export function emitEventData(model: ContractsModel, event: EventContract): string {
  const { names } = model;
  const parameter = isStepEvent(event.data) ? `${STEP_PARAMETER} extends ${names.step} = ${names.step}` : undefined;
  const doc = docComment(`\`data\` of ${event.className}. ${event.data.summary}`);
  const [single, ...more] = event.data.variants;
  if (more.length === 0) {
    return [
      doc,
      withTypeParameter(`export interface ${event.dataType}`, parameter, ' {'),
      ...single.map((field) => `  ${fieldLine(field, names)}`),
      '}',
    ].join('\n');
  }
  const variants = event.data.variants.map((fields, index) =>
    [
      '  | {',
      ...fields.map((field) => `      ${fieldLine(field, names)}`),
      `    }${index === event.data.variants.length - 1 ? ';' : ''}`,
    ].join('\n'),
  );
  return [doc, withTypeParameter(`export type ${event.dataType}`, parameter, ' ='), ...variants].join('\n');
}
