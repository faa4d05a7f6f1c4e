import { parseBenchOptions } from './bench-options';

describe('parseBenchOptions --preload', () => {
  it('preloads nothing by default', () => {
    expect(parseBenchOptions([], {}).preload).toBe(0);
  });

  it('reads the number of finished runs to preload', () => {
    expect(parseBenchOptions(['--preload', '100000'], {}).preload).toBe(100_000);
  });

  it.each(['-1', '1.5', 'many'])('rejects --preload %s, naming the option', (value) => {
    expect(() => parseBenchOptions([`--preload=${value}`], {})).toThrow(`--preload must be a non-negative integer, got '${value}'`);
  });
});

describe('parseBenchOptions --workflow-ids', () => {
  it('makes random ids by default', () => {
    expect(parseBenchOptions([], {}).workflowIds).toBe('random');
  });

  it('reads ordered', () => {
    expect(parseBenchOptions(['--workflow-ids', 'ordered'], {}).workflowIds).toBe('ordered');
  });

  it('rejects anything else, naming the option', () => {
    expect(() => parseBenchOptions(['--workflow-ids', 'sequential'], {})).toThrow(
      "--workflow-ids must be random or ordered, got 'sequential'",
    );
  });
});
