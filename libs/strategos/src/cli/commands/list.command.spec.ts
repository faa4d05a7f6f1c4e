import { ExitCode, runCli } from '../run-cli';
import { listCommand } from './list.command';
import { recordingIo } from '../../../test/support/recording-io';

describe('strategos list', () => {
  it.each([
    [['list', 'failed'], 'unexpected argument failed; filter with --status, --workflow and --phase'],
    [['list', '--limit', '0'], '--limit must be a whole number from 1 to 500, got "0"'],
    [['list', '--limit', '501'], '--limit must be a whole number from 1 to 500, got "501"'],
    [['list', '--cursor'], "option '--cursor <value>' argument missing"],
  ])('exits 2 for %j before connecting', async (argv, message) => {
    const io = recordingIo();
    expect(await runCli(argv, io, [listCommand])).toBe(ExitCode.Usage);
    expect(io.err()).toContain(message);
    expect(io.out()).toBe('');
  });

  it('documents its filters in --help', async () => {
    const io = recordingIo();
    expect(await runCli(['list', '--help'], io, [listCommand])).toBe(ExitCode.Success);
    expect(io.out()).toContain(
      'strategos list [--status STATUS[,STATUS]] [--workflow NAME] [--phase PHASE] [--limit N] [--cursor CURSOR] [--json]',
    );
  });
});
