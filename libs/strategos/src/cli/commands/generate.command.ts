import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { generateContracts } from '../../codegen/contracts-generator';
import type { GeneratedFile } from '../../codegen/generated-file';
import { findStaleFiles } from '../../codegen/stale-contracts';
import type { CliCommand, CliIo } from '../cli-command.interface';
import { CliUsageError } from '../cli-usage.error';
import { parseCommandArgs } from '../parse-command-args';
import { ExitCode } from '../run-cli';

function check(files: readonly GeneratedFile[], io: CliIo): number {
  const stale = findStaleFiles(files, io.cwd);
  if (stale.length === 0) {
    io.stdout(`strategos generate --check: ${files.length} generated files are up to date\n`);
    return ExitCode.Success;
  }
  for (const { file, reason, diff } of stale) {
    const path = relative(io.cwd, file.path);
    io.stderr(
      reason === 'missing'
        ? `${path}: missing (${file.workflow})\n`
        : `${path}: out of date (${file.workflow}); it differs from a fresh generation:\n${diff}\n`,
    );
  }
  io.stderr(
    `strategos generate --check: ${stale.length} of ${files.length} generated files are not up to date; run \`strategos generate\` and commit the result\n`,
  );
  return ExitCode.Failure;
}

function write(files: readonly GeneratedFile[], io: CliIo): number {
  for (const file of files) {
    const path = relative(io.cwd, file.path);
    if (existsSync(file.path) && readFileSync(file.path, 'utf8') === file.content) {
      io.stdout(`unchanged ${path}\n`);
      continue;
    }
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
    io.stdout(`wrote ${path}\n`);
  }
  return ExitCode.Success;
}

/**
 * `strategos generate [--check] [--out-dir <dir>] <module>...`: writes `<workflow>.contracts.ts` and
 * `<workflow>.md` beside each module's workflow definitions; with `--check`, writes nothing and fails,
 * naming each file with a diff, when a committed file differs from a fresh generation.
 */
export const generateCommand: CliCommand = {
  name: 'generate',
  summary: 'Write <workflow>.contracts.ts and <workflow>.md for the workflow definitions a module exports (--check: verify them)',
  usage: 'strategos generate [--check] [--out-dir <dir>] <module.ts|module.js>...',
  run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: 'boolean' }, 'out-dir': { type: 'string' } });
    if (positionals.length === 0)
      throw new CliUsageError('no module given: pass the module that exports the workflow definitions, e.g. src/process-order.workflow.ts');
    const outDir = typeof values['out-dir'] === 'string' ? resolve(io.cwd, values['out-dir']) : undefined;
    const files = positionals.flatMap((module) => generateContracts(resolve(io.cwd, module), { outDir }));
    return values.check === true ? check(files, io) : write(files, io);
  },
};
