import { CliUsageError } from '../cli-usage.error';
import type { CommandArgs } from '../parse-command-args';

type Values = CommandArgs['values'];

/** The value of a string option, or undefined when it was not given. */
export function stringOption(values: Values, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new CliUsageError(`--${name} takes one value`);
  return value;
}

/**
 * Every value of a string option declared with `multiple: true`, each split at commas: `--status failed
 * --status running` and `--status failed,running` mean the same. Undefined when it was not given.
 */
export function stringListOption(values: Values, name: string): string[] | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value]).map(String).flatMap((item) => item.split(','));
  const items = list.map((item) => item.trim()).filter((item) => item.length > 0);
  if (items.length === 0) throw new CliUsageError(`--${name} needs a value`);
  return items;
}

/**
 * The value of an integer option from `min` to `max`, or `fallback` when it was not given.
 * @throws CliUsageError naming the option for anything else.
 */
export function integerOption(
  values: Values,
  name: string,
  range: { readonly min: number; readonly max: number },
  fallback: number,
): number;
export function integerOption(values: Values, name: string, range: { readonly min: number; readonly max: number }): number | undefined;
export function integerOption(
  values: Values,
  name: string,
  range: { readonly min: number; readonly max: number },
  fallback?: number,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < range.min || value > range.max) {
    throw new CliUsageError(`--${name} must be a whole number from ${range.min} to ${range.max}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** Whether a boolean option was given. */
export function flagOption(values: Values, name: string): boolean {
  return values[name] === true;
}
