import { ExitCode, runCli } from '../run-cli';
import { deadLettersCommand } from './dead-letters.command';
import { recordingIo } from '../../../test/support/recording-io';

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
