import { formatTime } from './format';
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
  /** The fork path the event belongs to (`fork#1.2`); absent on the main path. */
  readonly path?: string;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value));

/** The history as timeline items: each step's attempts with durations and errors, compensation, operator actions. */
export function buildTimeline(history: readonly HistoryEntry[]): TimelineItem[] {
  // Per path: the paths of a fork run their steps at the same time.
  const startedAt = new Map<string, number | undefined>();
  return history.map((entry) => {
    const at = Date.parse(entry.timestamp);
    const data = entry.data;
    const path = typeof data.path === 'string' && data.path !== 'main' ? data.path : undefined;
    const key = path ?? 'main';
    const stepStartedAt = startedAt.get(key);
    const base = { sequence: entry.sequence, at: entry.timestamp, kind: entry.kind, ...(path ? { path } : {}) };
    const since = stepStartedAt === undefined ? undefined : at - stepStartedAt;
    switch (entry.kind) {
      case 'Started':
        return { ...base, title: 'Started', tone: 'info' };
      case 'PhaseChanged':
        startedAt.set(key, at);
        return { ...base, title: `→ ${text(data.to)}`, detail: `from ${text(data.from)}`, tone: 'info' };
      case 'StepCompleted':
        return { ...base, title: `${text(data.step)} completed`, detail: `attempt ${text(data.attempt)}`, tone: 'ok', durationMs: since };
      case 'StepFailed': {
        const retry = data.willRetry === true ? `, retry in ${text(data.retryInMs)} ms` : ', no retry';
        if (data.willRetry !== true) startedAt.delete(key);
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
      default:
        return { ...base, ...(waitOrOperatorText(entry.kind, data) ?? { title: entry.kind, detail: JSON.stringify(data), tone: 'info' }) };
    }
  });
}

/** The text of a wait, a signal, a timer or an operator action (events without a duration); undefined for others. */
function waitOrOperatorText(
  kind: string,
  data: Readonly<Record<string, unknown>>,
): Pick<TimelineItem, 'title' | 'detail' | 'tone'> | undefined {
  switch (kind) {
    case 'Waiting':
      return {
        title: `Waiting for ${text(data.waitingFor)}`,
        detail: typeof data.wakesAt === 'string' ? `until ${formatTime(data.wakesAt)}` : undefined,
        tone: 'info',
      };
    case 'SignalReceived':
      return {
        title: `Signal ${text(data.signal)} ${data.stored === true ? 'kept for later' : 'received'}`,
        detail: JSON.stringify(data.payload ?? {}),
        tone: 'info',
      };
    case 'TimerFired':
      return {
        title: `Timer fired${data.purpose ? ` (${text(data.purpose)})` : ''}`,
        detail: text(data.reason) || undefined,
        tone: 'info',
      };
    case 'Retried':
      return { title: `Retried at ${text(data.step)}`, tone: 'info' };
    case 'OperatorAction': {
      const who = data.actor ? ` by ${text(data.actor)}` : '';
      const outcome = data.outcome === 'refused' ? ` — refused (${text(data.code)})` : '';
      const signal = data.signal ? ` ${text(data.signal)}` : '';
      return {
        title: `Operator: ${text(data.action)}${signal}${who}${outcome}`,
        detail: text(data.reason) || undefined,
        tone: 'operator',
      };
    }
    default:
      return undefined;
  }
}

/** A run of the timeline: one event of the main path, or a fork's events in one lane per path. */
export type TimelineBlock =
  | { readonly kind: 'item'; readonly item: TimelineItem }
  | { readonly kind: 'fork'; readonly first: number; readonly lanes: readonly { readonly path: string; readonly items: TimelineItem[] }[] };

/** Main-path events that happen while the paths run and do not end the fork (it goes on after them). */
const INSIDE_FORK = new Set(['OperatorAction', 'CancelRequested', 'SignalReceived']);

/**
 * Groups the timeline for display: consecutive events of a fork's paths become one block with a lane per path
 * (in path order); a main-path phase change (the join, or compensation) closes it.
 */
export function groupTimeline(items: readonly TimelineItem[]): TimelineBlock[] {
  const blocks: TimelineBlock[] = [];
  let fork: { first: number; lanes: Map<string, TimelineItem[]> } | null = null;
  const close = () => {
    if (!fork) return;
    const lanes = [...fork.lanes.entries()].sort(([a], [b]) => comparePaths(a, b)).map(([path, laneItems]) => ({ path, items: laneItems }));
    blocks.push({ kind: 'fork', first: fork.first, lanes });
    fork = null;
  };
  for (const item of items) {
    if (item.path) {
      fork ??= { first: item.sequence, lanes: new Map() };
      fork.lanes.set(item.path, [...(fork.lanes.get(item.path) ?? []), item]);
    } else if (fork && INSIDE_FORK.has(item.kind)) {
      fork.lanes.set('main', [...(fork.lanes.get('main') ?? []), item]);
    } else {
      close();
      blocks.push({ kind: 'item', item });
    }
  }
  close();
  return blocks;
}

/** `main` first, then `fork#1.2` before `fork#1.10`. */
function comparePaths(a: string, b: string): number {
  if (a === 'main' || b === 'main') return a === 'main' ? (b === 'main' ? 0 : -1) : 1;
  return a.localeCompare(b, 'en', { numeric: true });
}
