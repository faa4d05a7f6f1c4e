import { summariseData } from './data-summary';

describe('summariseData', () => {
  it('shows key=value pairs, quoting strings with spaces and writing objects as compact JSON', () => {
    expect(
      summariseData({ step: 'Charge', reason: 'ordered twice', attempt: 2, willRetry: false, previousError: { code: 'X' }, none: null }),
    ).toBe('step=Charge reason="ordered twice" attempt=2 willRetry=false previousError={"code":"X"} none=null');
  });

  it('cuts a long summary with an ellipsis', () => {
    const summary = summariseData({ state: { text: 'x'.repeat(200) } }, 20);
    expect(summary).toHaveLength(20);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('is empty for empty data', () => {
    expect(summariseData({})).toBe('');
  });
});
