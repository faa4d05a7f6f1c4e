import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { WaitNode } from '../definition/workflow-graph';
import type { JsonObject } from '../state/workflow-state.interface';

/** The validation errors of a signal's payload against its wait's class, one line per property (empty when valid). */
export async function signalPayloadErrors(node: WaitNode, payload: unknown): Promise<string[]> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return ['payload: must be a JSON object'];
  try {
    JSON.stringify(payload);
  } catch (error) {
    return [`payload: is not JSON-serialisable (${(error as Error).message})`];
  }
  if (!node.payload) return [];
  const instance = plainToInstance(node.payload, payload as JsonObject);
  return flatten(await validate(instance, { forbidUnknownValues: true }));
}

function flatten(errors: readonly ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((message) => `${prefix}${error.property}: ${message}`),
    ...flatten(error.children ?? [], `${prefix}${error.property}.`),
  ]);
}
