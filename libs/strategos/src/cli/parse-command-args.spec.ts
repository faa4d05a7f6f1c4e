import { parseCommandArgs } from './parse-command-args';

describe('parseCommandArgs', () => {
  const options = { status: { type: 'string', multiple: true }, 'database-url': { type: 'string' }, json: { type: 'boolean' } } as const;

  it('reads declared options by their long names, repeated ones as a list, and the rest as positionals', () => {
    expect(
      parseCommandArgs(['id-1', '--status', 'failed', '--status=running', '--database-url', 'postgres://x', '--json'], options),
    ).toEqual({
      values: { status: ['failed', 'running'], 'database-url': 'postgres://x', json: true },
      positionals: ['id-1'],
    });
  });

  it('refuses an unknown option on one line, suggesting the closest declared one', () => {
    expect(() => parseCommandArgs(['--stauts', 'failed'], options)).toThrow(
      expect.objectContaining({ code: 'CLI_USAGE', message: "unknown option '--stauts' (did you mean --status?)" }),
    );
  });

  it('refuses an option without its value', () => {
    expect(() => parseCommandArgs(['--database-url'], options)).toThrow(/option '--database-url <value>' argument missing/);
  });
});
