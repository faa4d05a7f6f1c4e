import { Command, CommanderError, Option } from 'commander';
import { CliUsageError } from './cli-usage.error';

/** How a command declares one option: a flag (`boolean`) or one that takes a value (`string`, repeatable with `multiple`). */
export interface CommandOptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
}

/** A command's options by long name (`'database-url'` is `--database-url`). */
export type CommandOptions = Readonly<Record<string, CommandOptionSpec>>;

/** The parsed arguments of a command. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses a command's arguments with commander: the declared options (`--name value`, `--name=value`),
 * anything else positional. An unknown option is refused with the closest declared one suggested.
 * @throws CliUsageError for an unknown option or a missing value, e.g. `unknown option '--stauts' (did you mean --status?)`.
 */
export function parseCommandArgs(args: readonly string[], options: CommandOptions): CommandArgs {
  const parser = new Command()
    .exitOverride()
    .helpOption(false)
    .showSuggestionAfterError(true)
    .allowExcessArguments(true)
    .argument('[arguments...]')
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  const attributes = new Map<string, string>();
  for (const [name, spec] of Object.entries(options)) {
    const option = new Option(spec.type === 'boolean' ? `--${name}` : `--${name} <value>`);
    if (spec.multiple) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    parser.addOption(option);
    attributes.set(name, option.attributeName());
  }
  try {
    parser.parse([...args], { from: 'user' });
  } catch (error) {
    throw new CliUsageError(error instanceof CommanderError ? commanderMessage(error) : String(error));
  }
  const parsed = parser.opts<Record<string, string | boolean | string[] | undefined>>();
  const values: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, attribute] of attributes) if (parsed[attribute] !== undefined) values[name] = parsed[attribute];
  return { values, positionals: parser.args };
}

/** Commander's message on one line: `unknown option '--stauts' (did you mean --status?)`. */
export function commanderMessage(error: CommanderError): string {
  return error.message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.+)\?\)$/, ' (did you mean $1?)')
    .trim();
}
