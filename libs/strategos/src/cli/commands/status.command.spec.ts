import { ExitCode, runCli } from '../run-cli';
import { statusCommand } from './status.command';
import { recordingIo } from '../../../test/support/recording-io';

describe('strategos status', () => {
  it('exits 2 with its usage without exactly one workflow id', async () => {
    for (const argv of [['status'], ['status', 'a', 'b']]) {
      const io = recordingIo();
      expect(await runCli(argv, io, [statusCommand])).toBe(ExitCode.Usage);
      expect(io.err()).toBe(
        'strategos status: pass one workflow id\nUsage: strategos status <workflowId> [--stalled-after-ms MS] [--json] [--database-url URL] [--rabbitmq-url URL] [--schema NAME] [--namespace NAME]\n',
      );
    }
  });

  it('exits 2 for an unknown option or a schema name the store refuses, before connecting', async () => {
    const unknown = recordingIo();
    expect(await runCli(['status', 'a', '--colour'], unknown, [statusCommand])).toBe(ExitCode.Usage);
    expect(unknown.err()).toContain("unknown option '--colour'");
    const schema = recordingIo();
    expect(await runCli(['status', 'a', '--schema', 'Bad-Name'], schema, [statusCommand])).toBe(ExitCode.Usage);
    expect(schema.err()).toContain('--schema (or STRATEGOS_SCHEMA) "Bad-Name" is not a schema name');
  });
});
