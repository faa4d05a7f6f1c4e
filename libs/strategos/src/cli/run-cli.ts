import { Command, CommanderError } from 'commander';
import type { CliCommand, CliIo } from './cli-command.interface';
import { CliUsageError } from './cli-usage.error';
import { discoverCommands } from './command-registry';
import { commanderMessage } from './parse-command-args';

/** Exit codes of the command line. */
export const ExitCode = { Success: 0, Failure: 1, Usage: 2 } as const;

function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: strategos <command> [arguments]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `strategos <command> --help` for the arguments of a command.',
    '',
  ].join('\n');
}

function hasCode(error: unknown): error is Error & { readonly code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/** Commander's "did you mean" for a command name that is not one of `commands` (empty when nothing is close). */
function suggestion(name: string, commands: readonly CliCommand[]): string {
  const program = new Command('strategos')
    .exitOverride()
    .helpOption(false)
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const command of commands) program.command(command.name).helpOption(false);
  try {
    program.parse([name], { from: 'user' });
  } catch (error) {
    const match = error instanceof CommanderError ? /\(did you mean (.+)\?\)$/.exec(commanderMessage(error)) : null;
    if (match) return ` (did you mean ${match[1]}?)`;
  }
  return '';
}

/**
 * Runs `strategos <command> ...args`: finds the subcommand, runs it and turns what it throws into a
 * message and an exit code (1 for an error with a `code`, 2 for a usage error). Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CliCommand[] = discoverCommands()): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(helpText(commands));
    return name === undefined ? ExitCode.Usage : ExitCode.Success;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`strategos: unknown command "${name}"${suggestion(name, commands)}\n\n${helpText(commands)}`);
    return ExitCode.Usage;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(`${command.summary}\n\nUsage: ${command.usage}\n`);
    return ExitCode.Success;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`strategos ${name}: ${error.message}\nUsage: ${command.usage}\n`);
      return ExitCode.Usage;
    }
    io.stderr(
      hasCode(error)
        ? `strategos ${name}: ${error.message} (${error.code})\n`
        : `strategos ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return ExitCode.Failure;
  }
}
