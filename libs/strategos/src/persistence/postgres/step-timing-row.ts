import type { StepTimingMark } from '../step-timing-mark.interface';

/** A row of the `stepTimings` query: one step-timing event of a recent completed run. */
export interface StepTimingRow {
  readonly workflow_id: string;
  readonly kind: StepTimingMark['kind'];
  readonly step: string | null;
  readonly recorded_at: Date | string;
}

/** Groups the rows (ordered by run, then sequence) into one list of marks per run. */
export function toStepTimingRuns(rows: readonly StepTimingRow[]): StepTimingMark[][] {
  const runs = new Map<string, StepTimingMark[]>();
  for (const row of rows) {
    if (row.step === null) continue;
    const marks = runs.get(row.workflow_id) ?? [];
    marks.push({ kind: row.kind, step: row.step, at: new Date(row.recorded_at).getTime() });
    runs.set(row.workflow_id, marks);
  }
  return [...runs.values()];
}
