/** Where a command writes and from where it resolves relative paths. */
export interface CliIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * A subcommand of the `strategos` command line. A module in `cli/commands/` named `<name>.command.ts`
 * that exports one is found by the command line on its own: adding a subcommand is adding that file.
 *
 * @example
 * export const statusCommand: CliCommand = {
 *   name: 'status',
 *   summary: 'Show the status of a workflow run',
 *   usage: 'strategos status <workflowId>',
 *   async run(args, io) { io.stdout('running\n'); return 0; },
 * };
 */
export interface CliCommand {
  /** The word after `strategos`, e.g. `generate`. */
  readonly name: string;
  /** One line for `strategos --help`. */
  readonly summary: string;
  /** The synopsis shown with a usage error, e.g. `strategos diagram <module> [workflow]`. */
  readonly usage: string;
  /**
   * Runs the command with the arguments after its name; resolves with the exit code (0 success, 1 failure).
   * @throws CliUsageError for arguments it cannot use: the command line prints the usage and exits with 2.
   */
  run(args: readonly string[], io: CliIo): Promise<number> | number;
}
