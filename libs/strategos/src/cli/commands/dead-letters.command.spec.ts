import type { CliIo } from '../cli-command.interface';
import { ExitCode, runCli } from '../run-cli';
import { deadLettersCommand } from './dead-letters.command';

function recordingIo(): CliIo & { readonly out: () => string; readonly err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    cwd: process.cwd(),
    out: () => out.join(''),
    err: () => err.join(''),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
  };
}

describe('strategos dead-letters', () => {
  it.each([
    [['dead-letters', '--replay', 'a', '--discard', 'b'], 'give either --replay or --discard'],
    [
      ['dead-letters', '--replay', 'a', '--code', 'MALFORMED_JSON'],
      '--code, --queue and --limit filter the listing; --replay and --discard take only an id',
    ],
    [['dead-letters', 'a'], "unexpected argument a; give a dead letter's id with --replay or --discard"],
    [['dead-letters', '--limit', 'all'], '--limit must be a whole number from 1 to 10000'],
  ])('exits 2 for %j before connecting', async (argv, message) => {
    const io = recordingIo();
    expect(await runCli(argv, io, [deadLettersCommand])).toBe(ExitCode.Usage);
    expect(io.err()).toContain(message);
  });
});
