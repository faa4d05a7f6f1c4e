import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './cli-usage.error';

/** A command's options, as `node:util` `parseArgs` declares them. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** The parsed arguments of a command. */
export interface CommandArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses a command's arguments with `node:util` `parseArgs` (strict, positionals allowed).
 * @throws CliUsageError for an unknown option or a missing value.
 */
export function parseCommandArgs(args: readonly string[], options: CommandOptions): CommandArgs {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
}
