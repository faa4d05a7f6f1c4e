import { html } from 'htm/preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, liveSource } from './api';
import { formatTime } from './format';
import { runHref } from './router';
import { StatusBadge } from './status-badge';
import type { LiveBatch, Meta, RunPage, RunSummary, Status } from './types';

const STATUSES: readonly Status[] = ['running', 'completed', 'failed', 'compensated', 'cancelled'];
const PAGE_SIZE = 25;
const FILTERS = ['workflow', 'status', 'phase', 'from', 'to', 'id'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

function filtersOf(query: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.flatMap((name) => (query.get(name) ? [[name, query.get(name)!]] : [])));
}

/** `datetime-local` value (local time) to ISO-8601, or undefined. */
function toIso(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function matches(run: RunSummary, filters: Filters): boolean {
  if (filters.workflow && run.workflow !== filters.workflow) return false;
  if (filters.status && !filters.status.split(',').includes(run.status)) return false;
  if (filters.phase && run.phase !== filters.phase) return false;
  if (filters.id && !run.workflowId.startsWith(filters.id)) return false;
  const from = toIso(filters.from);
  const to = toIso(filters.to);
  if (from && run.startedAt < from) return false;
  if (to && run.startedAt >= to) return false;
  return true;
}

/** The run list: filters (kept in the URL), newest first, cursor paging, live updates in batches. */
export function RunsPage({ meta, query }: { meta: Meta; query: URLSearchParams }) {
  const filters = useMemo(() => filtersOf(query), [query.toString()]);
  const [draft, setDraft] = useState<Filters>(filters);
  const [cursors, setCursors] = useState<string[]>([]);
  const [page, setPage] = useState<RunPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [updates, setUpdates] = useState(0);
  const [reload, setReload] = useState(0);
  const cursor = cursors.at(-1);

  useEffect(() => setDraft(filters), [filters]);
  useEffect(() => setCursors([]), [filters]);
  useEffect(() => {
    let cancelled = false;
    get<RunPage>('runs', { ...filters, from: toIso(filters.from), to: toIso(filters.to), cursor, limit: String(PAGE_SIZE) })
      .then((result) => !cancelled && (setPage(result), setError(null)))
      .catch((caught: Error) => !cancelled && setError(caught.message));
    return () => {
      cancelled = true;
    };
  }, [filters, cursor, reload]);

  useEffect(() => {
    if (!meta.live) return;
    const source = liveSource();
    source.addEventListener('runs', (event) => {
      const batch = JSON.parse((event as MessageEvent<string>).data) as LiveBatch;
      setUpdates((count) => count + batch.runs.length);
      if (batch.overflow) return setReload((count) => count + 1);
      setPage((current) => (current ? applyBatch(current, batch.runs, filters, cursor === undefined) : current));
    });
    return () => source.close();
  }, [meta.live, filters, cursor]);

  const phases = meta.workflows.find((workflow) => workflow.name === draft.workflow)?.phases ?? [
    ...new Set(meta.workflows.flatMap((workflow) => workflow.phases)),
  ];
  const apply = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams(Object.entries(draft).filter((entry): entry is [string, string] => !!entry[1]));
    location.hash = `#/runs?${params.toString()}`;
  };
  const set = (name: keyof Filters) => (event: Event) => setDraft({ ...draft, [name]: (event.target as HTMLInputElement).value });

  return html`
    <section aria-labelledby="runs-title">
      <div class="title-row">
        <h1 id="runs-title">Runs</h1>
        ${meta.live && html`<span class="live" role="status" aria-live="polite" data-testid="live">Live · ${updates} updates</span>`}
      </div>
      <form class="filters" onSubmit=${apply} aria-label="Filter runs">
        <label class="field"
          ><span>Workflow</span>
          <select value=${draft.workflow ?? ''} onChange=${set('workflow')} name="workflow">
            <option value="">All</option>
            ${meta.workflows.map((workflow) => html`<option value=${workflow.name}>${workflow.name}</option>`)}
          </select>
        </label>
        <label class="field"
          ><span>Status</span>
          <select value=${draft.status ?? ''} onChange=${set('status')} name="status">
            <option value="">Any</option>
            ${STATUSES.map((status) => html`<option value=${status}>${status}</option>`)}
          </select>
        </label>
        <label class="field"
          ><span>Phase</span>
          <select value=${draft.phase ?? ''} onChange=${set('phase')} name="phase">
            <option value="">Any</option>
            ${phases.map((phase) => html`<option value=${phase}>${phase}</option>`)}
          </select>
        </label>
        <label class="field"
          ><span>Started from</span><input type="datetime-local" step="1" name="from" value=${draft.from ?? ''} onInput=${set('from')}
        /></label>
        <label class="field"
          ><span>Started before</span><input type="datetime-local" step="1" name="to" value=${draft.to ?? ''} onInput=${set('to')}
        /></label>
        <label class="field grow"
          ><span>Run id starts with</span><input type="search" name="id" value=${draft.id ?? ''} onInput=${set('id')} autocomplete="off"
        /></label>
        <div class="buttons">
          <button type="submit">Apply</button>
          <a class="button" href="#/runs">Clear</a>
        </div>
      </form>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      ${
        page &&
        html` <div class="table-wrap">
            <table class="runs" aria-label="Runs, newest first">
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Workflow</th>
                  <th scope="col">Status</th>
                  <th scope="col">Phase</th>
                  <th scope="col">Started</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                ${page.items.map(
                  (run) =>
                    html` <tr key=${run.workflowId} data-run=${run.workflowId} data-status=${run.status}>
                      <td class="mono"><a href=${runHref(run.workflowId)}>${run.workflowId}</a></td>
                      <td>${run.workflow}</td>
                      <td><${StatusBadge} status=${run.status} /></td>
                      <td data-testid="phase">${run.phase}</td>
                      <td>${formatTime(run.startedAt)}</td>
                      <td>${formatTime(run.updatedAt)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>
          ${page.items.length === 0 && html`<p class="muted">No run matches these filters.</p>`}
          <nav class="pager" aria-label="Pages">
            <button type="button" disabled=${cursors.length === 0} onClick=${() => setCursors(cursors.slice(0, -1))}>Newer</button>
            <span class="muted">Page ${cursors.length + 1}</span>
            <button
              type="button"
              disabled=${!page.nextCursor}
              onClick=${() => page.nextCursor && setCursors([...cursors, page.nextCursor])}
            >
              Older
            </button>
          </nav>`
      }
    </section>
  `;
}

/** The page with a batch applied: changed rows replaced; on the first page, new matching runs added at the top. */
function applyBatch(page: RunPage, runs: readonly RunSummary[], filters: Filters, firstPage: boolean): RunPage {
  const byId = new Map(runs.map((run) => [run.workflowId, run]));
  let items = page.items.map((run) => byId.get(run.workflowId) ?? run).filter((run) => !byId.has(run.workflowId) || matches(run, filters));
  if (firstPage) {
    const shown = new Set(items.map((run) => run.workflowId));
    const added = runs.filter((run) => !shown.has(run.workflowId) && matches(run, filters));
    items = [...added, ...items]
      .sort((a, b) => (a.startedAt === b.startedAt ? (a.workflowId < b.workflowId ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1))
      .slice(0, PAGE_SIZE);
  }
  return { ...page, items };
}
