import { summariseStepDurations } from './step-duration-summary';
import type { StepTimingMark } from './step-timing-mark.interface';

const started = (step: string, at: number): StepTimingMark => ({ kind: 'PhaseChanged', step, at });
const completed = (step: string, at: number): StepTimingMark => ({ kind: 'StepCompleted', step, at });

describe('summariseStepDurations', () => {
  it('gives the median per step, sorted by step name', () => {
    const runs = [
      [started('B', 0), completed('B', 100), started('A', 100), completed('A', 400)],
      [started('B', 0), completed('B', 300), started('A', 300), completed('A', 500)],
      [started('B', 0), completed('B', 200)],
    ];
    expect(summariseStepDurations(runs)).toEqual([
      { step: 'A', medianMs: 250, samples: 2 },
      { step: 'B', medianMs: 200, samples: 3 },
    ]);
  });

  it('times a step from its latest start, so that retries count and a resumed run restarts the clock', () => {
    // Retries emit no PhaseChanged: the step runs from 0 to 900. A workflow retry starts it again at 5000.
    const run = [started('Pay', 0), completed('Pay', 900), started('Ship', 900), started('Ship', 5_000), completed('Ship', 5_050)];
    expect(summariseStepDurations([run])).toEqual([
      { step: 'Pay', medianMs: 900, samples: 1 },
      { step: 'Ship', medianMs: 50, samples: 1 },
    ]);
  });

  it('ignores a completion with no start of the same step, and counts a negative duration as 0', () => {
    const run = [completed('Orphan', 10), started('A', 100), completed('B', 150), started('C', 500), completed('C', 450)];
    expect(summariseStepDurations([run])).toEqual([{ step: 'C', medianMs: 0, samples: 1 }]);
    expect(summariseStepDurations([])).toEqual([]);
  });

  it("times the steps of a fork from their own path's start, whichever path completes first", () => {
    const run = [started('Pay', 0), started('Reserve', 10), completed('Reserve', 40), completed('Pay', 100)];
    expect(summariseStepDurations([run])).toEqual([
      { step: 'Pay', medianMs: 100, samples: 1 },
      { step: 'Reserve', medianMs: 30, samples: 1 },
    ]);
  });
});
