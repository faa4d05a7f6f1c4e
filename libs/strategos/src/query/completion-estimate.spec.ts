import { remainingDurationMs } from './completion-estimate';

describe('remainingDurationMs', () => {
  const steps = ['Validate', 'Pay', 'Ship'];
  const medians = new Map([
    ['Validate', 100],
    ['Pay', 1_000],
    ['Ship', 5_000],
  ]);

  it('adds the rest of the current step to the medians of the later ones', () => {
    expect(remainingDurationMs(steps, 'Validate', medians, 0)).toBe(6_100);
    expect(remainingDurationMs(steps, 'Pay', medians, 400)).toBe(5_600);
    expect(remainingDurationMs(steps, 'Ship', medians, 1_000)).toBe(4_000);
  });

  it('counts nothing more for a current step that already took longer than its median', () => {
    expect(remainingDurationMs(steps, 'Pay', medians, 60_000)).toBe(5_000);
  });

  it('cannot estimate without a median for every remaining step, or for a step it does not know', () => {
    expect(
      remainingDurationMs(
        steps,
        'Validate',
        new Map([
          ['Validate', 100],
          ['Ship', 1],
        ]),
        0,
      ),
    ).toBeUndefined();
    expect(remainingDurationMs(steps, 'Ship', new Map([['Ship', 1]]), 0)).toBe(1);
    expect(remainingDurationMs(steps, 'Refund', medians, 0)).toBeUndefined();
  });
});
