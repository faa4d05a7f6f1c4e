import type { HistoryEntry } from './types';

/** One line of a run's timeline. */
export interface TimelineItem {
  readonly sequence: number;
  readonly at: string;
  readonly kind: string;
  readonly title: string;
  readonly detail?: string;
  readonly tone: 'ok' | 'error' | 'warn' | 'info' | 'operator';
  /** How long the step took, for a completion or failure that follows the step's phase change. */
  readonly durationMs?: number;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

/** The history as timeline items: each step's attempts with durations and errors, compensation, operator actions. */
export function buildTimeline(history: readonly HistoryEntry[]): TimelineItem[] {
  let stepStartedAt: number | undefined;
  return history.map((entry) => {
    const at = Date.parse(entry.timestamp);
    const data = entry.data;
    const base = { sequence: entry.sequence, at: entry.timestamp, kind: entry.kind };
    const since = stepStartedAt === undefined ? undefined : at - stepStartedAt;
    switch (entry.kind) {
      case 'Started':
        return { ...base, title: 'Started', tone: 'info' };
      case 'PhaseChanged':
        stepStartedAt = at;
        return { ...base, title: `→ ${text(data.to)}`, detail: `from ${text(data.from)}`, tone: 'info' };
      case 'StepCompleted':
        return { ...base, title: `${text(data.step)} completed`, detail: `attempt ${text(data.attempt)}`, tone: 'ok', durationMs: since };
      case 'StepFailed': {
        const retry = data.willRetry === true ? `, retry in ${text(data.retryInMs)} ms` : ', no retry';
        stepStartedAt = data.willRetry === true ? stepStartedAt : undefined;
        return {
          ...base,
          title: `${text(data.step)} failed (attempt ${text(data.attempt)})`,
          detail: `${text(data.code)}: ${text(data.message)}${retry}`,
          tone: 'error',
          durationMs: since,
        };
      }
      case 'Compensating':
        return { ...base, title: 'Compensating', detail: `steps: ${(data.steps as string[] | undefined)?.join(', ') ?? ''}`, tone: 'warn' };
      case 'Compensated':
        return { ...base, title: 'Compensated', detail: (data.steps as string[] | undefined)?.join(', '), tone: 'warn' };
      case 'Completed':
        return { ...base, title: 'Completed', tone: 'ok' };
      case 'Failed': {
        const error = data.error as { code?: string; message?: string } | null;
        return {
          ...base,
          title: `Failed (${text(data.status)})`,
          detail: error ? `${error.code}: ${error.message}` : undefined,
          tone: 'error',
        };
      }
      case 'CancelRequested':
        return { ...base, title: 'Cancel requested', detail: text(data.reason), tone: 'warn' };
      case 'Cancelled':
        return { ...base, title: 'Cancelled', detail: text(data.reason), tone: 'warn' };
      case 'Retried':
        return { ...base, title: `Retried at ${text(data.step)}`, tone: 'info' };
      case 'OperatorAction': {
        const who = data.actor ? ` by ${text(data.actor)}` : '';
        const outcome = data.outcome === 'refused' ? ` — refused (${text(data.code)})` : '';
        return {
          ...base,
          title: `Operator: ${text(data.action)}${who}${outcome}`,
          detail: text(data.reason) || undefined,
          tone: 'operator',
        };
      }
      default:
        return { ...base, title: entry.kind, detail: JSON.stringify(data), tone: 'info' };
    }
  });
}
