#!/usr/bin/env node
import { runCli } from './run-cli';

/**
 * The `strategos` command line (the `bin` of the package): `strategos generate`, `strategos diagram`, and
 * the subcommands found in `cli/commands/`.
 */
function main(): void {
  void runCli(process.argv.slice(2), {
    cwd: process.cwd(),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  }).then((code) => {
    process.exitCode = code;
  });
}

main();
