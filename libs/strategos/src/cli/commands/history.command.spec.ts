import { ExitCode, runCli } from '../run-cli';
import { historyCommand } from './history.command';
import { recordingIo } from '../../../test/support/recording-io';

describe('strategos history', () => {
  it('exits 2 with its usage without exactly one workflow id', async () => {
    const io = recordingIo();
    expect(await runCli(['history'], io, [historyCommand])).toBe(ExitCode.Usage);
    expect(io.err()).toMatch(/^strategos history: pass one workflow id\nUsage: strategos history <workflowId> /);
  });
});
