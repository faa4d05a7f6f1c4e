import { ExitCode, runCli } from '../run-cli';
import { retryCommand } from './retry.command';
import { recordingIo } from '../../../test/support/recording-io';

describe('strategos retry', () => {
  it('exits 2 for a missing id or an unknown option, before connecting', async () => {
    const none = recordingIo();
    expect(await runCli(['retry'], none, [retryCommand])).toBe(ExitCode.Usage);
    expect(none.err()).toMatch(/^strategos retry: pass one workflow id\nUsage: strategos retry <workflowId> \[--wait-ms MS\]/);
    const reason = recordingIo();
    expect(await runCli(['retry', 'a', '--reason', 'x'], reason, [retryCommand])).toBe(ExitCode.Usage);
    expect(reason.err()).toContain("unknown option '--reason'");
  });

  it('refuses an id the runtime would refuse', async () => {
    const io = recordingIo();
    expect(await runCli(['retry', 'x'.repeat(201)], io, [retryCommand])).toBe(ExitCode.Usage);
    expect(io.err()).toContain('workflowId must be shorter than or equal to 200 characters');
  });
});
