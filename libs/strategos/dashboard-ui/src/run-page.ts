import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ActionDialog } from './action-dialog';
import { get, liveSource } from './api';
import { Diagram } from './diagram';
import { formatTime } from './format';
import { JsonTree } from './json-tree';
import { RunWaits } from './run-waits';
import { StatusBadge } from './status-badge';
import { TimelineView } from './timeline-view';
import type { ActionInfo, LiveBatch, Meta, RunDetails, RunWait } from './types';

/** Actions offered next to the wait they answer rather than in the title row. */
const WAIT_ACTIONS = new Set(['signal', 'approve', 'reject']);

/** One run: summary, actions, state, timeline, diagram and trace id; refreshed when the live stream says it changed. */
export function RunPage({ meta, workflowId }: { meta: Meta; workflowId: string }) {
  const [details, setDetails] = useState<RunDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [action, setAction] = useState<{ info: ActionInfo; wait?: RunWait } | null>(null);

  useEffect(() => {
    let cancelled = false;
    get<RunDetails>(`runs/${encodeURIComponent(workflowId)}`)
      .then((result) => !cancelled && (setDetails(result), setError(null)))
      .catch((caught: Error) => !cancelled && setError(caught.message));
    return () => {
      cancelled = true;
    };
  }, [workflowId, version]);

  useEffect(() => {
    if (!meta.live) return;
    const source = liveSource();
    source.addEventListener('runs', (event) => {
      const batch = JSON.parse((event as MessageEvent<string>).data) as LiveBatch;
      if (batch.overflow || batch.runs.some((run) => run.workflowId === workflowId)) setVersion((count) => count + 1);
    });
    return () => source.close();
  }, [meta.live, workflowId]);

  if (error)
    return html`<section>
      <h1>Run</h1>
      <p role="alert" class="error">${error}</p>
    </section>`;
  if (!details)
    return html`<section>
      <h1>Run</h1>
      <p class="muted">Loading…</p>
    </section>`;
  const { run } = details;
  const actions = meta.actions.filter((candidate) => candidate.target === 'run' && details.actions.includes(candidate.name));
  return html`
    <section aria-labelledby="run-title">
      <div class="title-row">
        <h1 id="run-title">Run <span class="mono">${run.workflowId}</span></h1>
        <div class="buttons">
          ${actions
            .filter((candidate) => !WAIT_ACTIONS.has(candidate.name))
            .map(
              (candidate) =>
                html`<button type="button" class="danger" data-action=${candidate.name} onClick=${() => setAction({ info: candidate })}>
                  ${candidate.label}
                </button>`,
            )}
        </div>
      </div>
      <dl class="facts">
        <div>
          <dt>Workflow</dt>
          <dd>${run.workflow}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd data-testid="run-status"><${StatusBadge} status=${run.status} /></dd>
        </div>
        <div>
          <dt>Phase</dt>
          <dd data-testid="run-phase">${run.phase}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>${formatTime(run.startedAt)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>${formatTime(run.updatedAt)}</dd>
        </div>
        ${
          run.completedAt &&
          html`<div>
            <dt>Finished</dt>
            <dd>${formatTime(run.completedAt)}</dd>
          </div>`
        }
        ${
          run.estimatedCompletionAt &&
          html`<div>
            <dt>Expected end</dt>
            <dd>${formatTime(run.estimatedCompletionAt)}</dd>
          </div>`
        }
        <div>
          <dt>Trace id</dt>
          <dd
            class="mono"
            data-testid="trace-id"
            title=${details.traceId ? undefined : 'The run was started without a trace (no OpenTelemetry SDK, no traceparent)'}
          >
            ${details.traceId ?? 'unknown'}
          </dd>
        </div>
      </dl>
      ${run.error && html`<p class="error" role="note"><strong>${run.error.code}</strong> at ${run.error.step}: ${run.error.message}</p>`}
      ${run.compensationError && html`<p class="error" role="note">Compensation failed: <strong>${run.compensationError.code}</strong> ${run.compensationError.message}</p>`}
      <${RunWaits}
        active=${run.active}
        waits=${details.waits}
        actions=${actions.filter((candidate) => WAIT_ACTIONS.has(candidate.name))}
        onAction=${(info: ActionInfo, wait: RunWait) => setAction({ info, wait })}
      />
      <div class="columns">
        <section aria-labelledby="timeline-title" class="panel">
          <h2 id="timeline-title">History</h2>
          <${TimelineView} history=${details.history} />
        </section>
        <div class="stack">
          <section aria-labelledby="diagram-title" class="panel">
            <h2 id="diagram-title">Diagram</h2>
            ${details.diagram ? html`<${Diagram} source=${details.diagram} />` : html`<p class="muted">The workflow is not registered in this process.</p>`}
          </section>
          <section aria-labelledby="state-title" class="panel">
            <h2 id="state-title">State</h2>
            <${JsonTree} value=${run.state} name="state" />
          </section>
        </div>
      </div>
      ${
        action &&
        html`<${ActionDialog}
          meta=${meta}
          action=${action.info}
          targetId=${run.workflowId}
          preset=${action.wait ? { name: action.wait.name } : {}}
          onClose=${(done: boolean) => (setAction(null), done && setVersion((count) => count + 1))}
        />`
      }
    </section>
  `;
}
