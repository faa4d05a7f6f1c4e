import { equals, getMetadataStorage, isIn, isInt, isISO8601, isNotEmpty, isString, matches, max, maxLength, min } from 'class-validator';

/** Tells whether a parsed body satisfies every rule of one class, without building instances or errors. */
export type CompiledCheck = (value: Readonly<Record<string, unknown>>) => boolean;

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

type Rule = (value: unknown, constraints: readonly unknown[]) => boolean;

/**
 * The class-validator constraints a compiled check knows, each calling the very function the decorator
 * validates with (so a compiled check accepts exactly what `validate` accepts). The envelope of step
 * commands (`StepCommandDto` and the generated `Execute<Step>Command` classes) uses only these.
 */
const RULES: Readonly<Record<string, Rule>> = {
  isString: (value) => isString(value),
  isNotEmpty: (value) => isNotEmpty(value),
  maxLength: (value, [limit]) => maxLength(value, limit as number),
  matches: (value, [pattern, modifiers]) =>
    modifiers === undefined || modifiers === null
      ? matches(value as string, pattern as RegExp)
      : matches(value as string, pattern as string, modifiers as string),
  isIn: (value, [allowed]) => isIn(value, allowed as readonly unknown[]),
  isInt: (value) => isInt(value),
  min: (value, [limit]) => min(value, limit as number),
  max: (value, [limit]) => max(value, limit as number),
  equals: (value, [expected]) => equals(value, expected),
  isIso8601: (value, [options]) => isString(value) && isISO8601(value, options as undefined),
};

interface PropertyCheck {
  readonly property: string;
  readonly optional: boolean;
  readonly rules: readonly { readonly rule: Rule; readonly constraints: readonly unknown[] }[];
}

/** A class whose decorators hold validation rules. */
type RuleClass = abstract new (...args: never[]) => object;

const compiled = new WeakMap<RuleClass, CompiledCheck | null>();

/**
 * A check compiled from the class-validator decorators of `type` (cached per class), or null when the
 * class uses anything beyond the flat rules above (nested validation, groups, conditions, per-item rules,
 * custom validators): such classes are validated with `validate` only. A compiled check that returns false
 * says nothing about why: the caller then validates with class-validator for the error message.
 */
export function compiledCheck(type: RuleClass): CompiledCheck | null {
  let check = compiled.get(type);
  if (check === undefined) {
    check = compile(getMetadataStorage().getTargetValidationMetadatas(type, '', true, false));
    compiled.set(type, check);
  }
  return check;
}

function compile(metadatas: readonly ValidationMetadata[]): CompiledCheck | null {
  const byProperty = new Map<string, { optional: boolean; rules: PropertyCheck['rules'][number][] }>();
  for (const metadata of metadatas) {
    if (metadata.each || metadata.validateIf || (metadata.groups?.length ?? 0) > 0 || metadata.always || metadata.context !== undefined)
      return null;
    const entry = byProperty.get(metadata.propertyName) ?? { optional: false, rules: [] };
    byProperty.set(metadata.propertyName, entry);
    if (metadata.type === 'conditionalValidation' && metadata.name === 'isOptional') {
      entry.optional = true;
      continue;
    }
    const rule = metadata.type === 'customValidation' && metadata.name !== undefined ? RULES[metadata.name] : undefined;
    if (!rule) return null;
    entry.rules.push({ rule, constraints: metadata.constraints ?? [] });
  }
  const properties: PropertyCheck[] = [...byProperty].map(([property, entry]) => ({ property, ...entry }));
  return (value) => {
    for (const { property, optional, rules } of properties) {
      const field = value[property];
      // @IsOptional: an absent (undefined or null) property skips every rule of that property.
      if (optional && (field === undefined || field === null)) continue;
      for (const { rule, constraints } of rules) if (!rule(field, constraints)) return false;
    }
    return true;
  };
}
