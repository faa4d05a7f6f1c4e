import type { CliIo } from '../../src/cli/cli-command.interface';

/** A CLI io that keeps what the command printed, for assertions. */
export function recordingIo(cwd: string = process.cwd()): CliIo & { readonly out: () => string; readonly err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd, out: () => out.join(''), err: () => err.join(''), stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}
