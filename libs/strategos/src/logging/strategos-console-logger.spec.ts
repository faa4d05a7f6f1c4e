import { StrategosConsoleLogger } from './strategos-console-logger';

/** Runs `write` with process.stdout captured; returns the lines written. */
function captured(write: () => void): string[] {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    write();
  } finally {
    spy.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.length > 0);
}

describe('StrategosConsoleLogger', () => {
  const event = { message: 'Step finished', workflowId: 'wf-1', step: 'ProcessPayment', durationMs: 12, reason: 'card declined' };

  it('writes a structured event on one text line, fields as key=value', () => {
    const lines = captured(() => new StrategosConsoleLogger().log(event, 'StepRunner'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/\[StepRunner\] Step finished workflowId=wf-1 step=ProcessPayment durationMs=12 reason="card declined"$/);
    expect(lines[0]).not.toContain('Object(');
  });

  it('writes one JSON object per line in json mode, the fields beside the message', () => {
    const lines = captured(() => new StrategosConsoleLogger({ format: 'json' }).log(event, 'StepRunner'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'log',
      context: 'StepRunner',
      message: 'Step finished',
      workflowId: 'wf-1',
      durationMs: 12,
    });
  });

  it('leaves debug lines out by default and writes them from LOG_LEVEL=debug', () => {
    expect(captured(() => StrategosConsoleLogger.fromEnv({}).debug(event, 'StepRunner'))).toEqual([]);
    expect(
      captured(() => StrategosConsoleLogger.fromEnv({ LOG_LEVEL: 'debug', LOG_FORMAT: 'json' }).debug(event, 'StepRunner')),
    ).toHaveLength(1);
  });
});
