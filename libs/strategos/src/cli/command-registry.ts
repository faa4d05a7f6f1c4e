import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { CliCommand } from './cli-command.interface';

/** `<name>.command.ts` (from source) or `<name>.command.js` (compiled), not declarations or maps. */
const COMMAND_FILE = /^[a-z][a-z0-9-]*\.command\.(ts|js)$/;

function isCliCommand(value: unknown): value is CliCommand {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof CliCommand, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.summary === 'string' &&
    typeof candidate.usage === 'string' &&
    typeof candidate.run === 'function'
  );
}

/**
 * The subcommands in `directory` (by default `cli/commands/`), sorted by name: every `CliCommand` exported
 * by a `<name>.command` module there. Adding a subcommand is adding such a file.
 * @throws Error when two files export commands of the same name.
 */
export function discoverCommands(directory: string = join(__dirname, 'commands')): CliCommand[] {
  const load = createRequire(join(directory, 'index.js'));
  const commands = new Map<string, CliCommand>();
  for (const file of readdirSync(directory)
    .filter((name) => COMMAND_FILE.test(name))
    .sort()) {
    const exported = load(join(directory, file)) as Record<string, unknown>;
    for (const command of Object.values(exported).filter(isCliCommand)) {
      if (commands.has(command.name)) throw new Error(`Two subcommands are named ${command.name} (in ${directory}); rename one`);
      commands.set(command.name, command);
    }
  }
  return [...commands.values()].sort((a, b) => a.name.localeCompare(b.name));
}
