/** The fields of a workflow event the path needs: from the history (`query.history`) or from the bus. */
export interface RunPathEvent {
  readonly kind: string;
  readonly data: Readonly<Record<string, unknown>>;
}

interface PathSteps {
  readonly path: string;
  readonly steps: { readonly step: string; outcome?: 'done' | 'failed' }[];
}

type Entry = string | { readonly fork: PathSteps[] };

/**
 * A run's path, from its events in the order they happened, on one line:
 * `ValidateOrder -> fork[ProcessPayment | ReserveInventory] -> FulfillOrder -> SendConfirmation -> Completed`.
 * Inside a fork each path is shown (in path order) with its steps; a path step that failed is marked `(failed)`, and
 * once the run ended a path step with no outcome is marked `(not run)` (the fork stopped before it started).
 */
export function runPath(events: readonly RunPathEvent[]): string {
  const entries: Entry[] = [];
  let ended = false;
  for (const event of events) {
    const path = typeof event.data.path === 'string' ? event.data.path : undefined;
    if (event.kind === 'PhaseChanged' && path) {
      pathOf(openFork(entries), path).steps.push({ step: String(event.data.to) });
      continue;
    }
    if ((event.kind === 'StepCompleted' || event.kind === 'StepFailed') && path) {
      if (event.kind === 'StepFailed' && event.data.willRetry === true) continue;
      const step = forkSteps(entries, path).findLast((s) => s.step === event.data.step);
      if (step) step.outcome = event.kind === 'StepCompleted' ? 'done' : 'failed';
      continue;
    }
    const entry = mainEntry(event);
    if (entry !== undefined) entries.push(entry);
    if (['Completed', 'Failed', 'Cancelled'].includes(event.kind)) ended = true;
  }
  return entries.map((entry) => (typeof entry === 'string' ? entry : forkLabel(entry.fork, ended))).join(' -> ');
}

/** The fork the path events go to: the last entry when it is a fork (paths' events interleave), else a new one. */
function openFork(entries: Entry[]): PathSteps[] {
  const last = entries.at(-1);
  if (typeof last === 'object') return last.fork;
  const fork: PathSteps[] = [];
  entries.push({ fork });
  return fork;
}

function pathOf(fork: PathSteps[], path: string): PathSteps {
  const found = fork.find((p) => p.path === path);
  if (found) return found;
  const created: PathSteps = { path, steps: [] };
  fork.push(created);
  return created;
}

function forkSteps(entries: readonly Entry[], path: string): PathSteps['steps'] {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (typeof entry === 'object') return entry.fork.find((p) => p.path === path)?.steps ?? [];
  }
  return [];
}

function forkLabel(paths: readonly PathSteps[], ended: boolean): string {
  const label = (s: PathSteps['steps'][number]) =>
    s.outcome === 'failed' ? `${s.step} (failed)` : ended && s.outcome === undefined ? `${s.step} (not run)` : s.step;
  const sorted = [...paths].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  return `fork[${sorted.map((p) => p.steps.map(label).join(' -> ')).join(' | ')}]`;
}

/** What an event of the main flow adds to the path: the step it moved to, or the built-in phase. */
function mainEntry(event: RunPathEvent): string | undefined {
  switch (event.kind) {
    case 'PhaseChanged':
      return String(event.data.to);
    case 'Compensating':
    case 'Completed':
    case 'Cancelled':
      return event.kind;
    case 'Failed': {
      const error = event.data.error as { code?: string } | undefined;
      return `${event.data.status === 'compensated' ? 'Compensated' : 'Failed'} (${error?.code ?? 'no error'})`;
    }
    default:
      return undefined;
  }
}
