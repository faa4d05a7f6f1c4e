import { ExitCode, runCli } from '../run-cli';
import { cancelCommand } from './cancel.command';
import { recordingIo } from '../../../test/support/recording-io';

describe('strategos cancel', () => {
  it.each([
    [['cancel'], 'pass one workflow id (quote a --reason with spaces)'],
    [['cancel', 'a', 'changed', 'my', 'mind'], 'pass one workflow id (quote a --reason with spaces)'],
    [['cancel', 'a', '--wait-ms', '-5'], '--wait-ms must be a whole number from 0 to 3600000, got "-5"'],
    [['cancel', 'a', '--wait-ms', 'soon'], '--wait-ms must be a whole number from 0 to 3600000, got "soon"'],
    [['cancel', 'a', '--reason', 'x'.repeat(1001)], '--reason: reason must be shorter than or equal to 1000 characters'],
  ])('exits 2 for %j before connecting', async (argv, message) => {
    const io = recordingIo();
    expect(await runCli(argv, io, [cancelCommand])).toBe(ExitCode.Usage);
    expect(io.err()).toContain(message);
  });
});
