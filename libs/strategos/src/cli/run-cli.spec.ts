import type { CliCommand, CliIo } from './cli-command.interface';
import { CliUsageError } from './cli-usage.error';
import { ExitCode, runCli } from './run-cli';

/** An io that records what a command writes. */
function recordingIo(): CliIo & { readonly out: string[]; readonly err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd: '/work', out, err, stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
}

const echo: CliCommand = {
  name: 'echo',
  summary: 'Print the arguments',
  usage: 'strategos echo <word>...',
  run: (args, io) => (io.stdout(`${args.join(' ')}\n`), 0),
};
const failing: CliCommand = {
  name: 'fail',
  summary: 'Fail',
  usage: 'strategos fail [--usage]',
  run: (args) => {
    if (args.includes('--usage')) throw new CliUsageError('no such thing');
    if (args.includes('--coded')) throw Object.assign(new Error('the module is gone'), { code: 'MODULE_NOT_FOUND' });
    throw new Error('unexpected');
  },
};

describe('runCli', () => {
  it('runs the named command with the arguments after its name and returns its exit code', async () => {
    const io = recordingIo();
    expect(await runCli(['echo', 'a', 'b'], io, [echo, failing])).toBe(ExitCode.Success);
    expect(io.out).toEqual(['a b\n']);
  });

  it('lists the commands for --help, and exits 2 with the list when no command is given', async () => {
    const help = recordingIo();
    expect(await runCli(['--help'], help, [echo, failing])).toBe(ExitCode.Success);
    expect(help.out.join('')).toMatch(/Commands:\n {2}echo {2}Print the arguments\n {2}fail {2}Fail\n/);
    const none = recordingIo();
    expect(await runCli([], none, [echo])).toBe(ExitCode.Usage);
    expect(none.err.join('')).toContain('Usage: strategos <command>');
  });

  it('exits 2 naming an unknown command', async () => {
    const io = recordingIo();
    expect(await runCli(['frobnicate'], io, [echo])).toBe(ExitCode.Usage);
    expect(io.err.join('')).toContain('unknown command "frobnicate"');
    expect(io.err.join('')).not.toContain('did you mean');
  });

  it('suggests the closest command for a typo', async () => {
    const io = recordingIo();
    expect(await runCli(['ecoh'], io, [echo, failing])).toBe(ExitCode.Usage);
    expect(io.err.join('')).toMatch(/^strategos: unknown command "ecoh" \(did you mean echo\?\)\n/);
  });

  it("prints a command's usage for its --help", async () => {
    const io = recordingIo();
    expect(await runCli(['echo', '--help'], io, [echo])).toBe(ExitCode.Success);
    expect(io.out.join('')).toContain('Usage: strategos echo <word>...');
  });

  it('exits 2 with the usage for a usage error, and 1 with the code for an error that has one', async () => {
    const usage = recordingIo();
    expect(await runCli(['fail', '--usage'], usage, [failing])).toBe(ExitCode.Usage);
    expect(usage.err.join('')).toBe('strategos fail: no such thing\nUsage: strategos fail [--usage]\n');
    const coded = recordingIo();
    expect(await runCli(['fail', '--coded'], coded, [failing])).toBe(ExitCode.Failure);
    expect(coded.err.join('')).toBe('strategos fail: the module is gone (MODULE_NOT_FOUND)\n');
  });

  it('exits 1 with the stack of an unexpected error', async () => {
    const io = recordingIo();
    expect(await runCli(['fail'], io, [failing])).toBe(ExitCode.Failure);
    expect(io.err.join('')).toMatch(/^strategos fail failed: Error: unexpected\n {4}at /);
  });
});
