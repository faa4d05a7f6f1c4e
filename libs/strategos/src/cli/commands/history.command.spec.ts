import type { CliIo } from '../cli-command.interface';
import { ExitCode, runCli } from '../run-cli';
import { historyCommand } from './history.command';

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

describe('strategos history', () => {
  it('exits 2 with its usage without exactly one workflow id', async () => {
    const io = recordingIo();
    expect(await runCli(['history'], io, [historyCommand])).toBe(ExitCode.Usage);
    expect(io.err()).toMatch(/^strategos history: pass one workflow id\nUsage: strategos history <workflowId> /);
  });
});
