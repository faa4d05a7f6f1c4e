import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from './api';
import { formatDuration, formatPercent } from './format';
import type { WorkflowStats } from './types';

const WINDOWS = [15, 60, 360, 1440];

/** Per workflow: throughput, failure rate, step latency percentiles, and steps stalled for want of a consumer. */
export function StatsPage() {
  const [windowMinutes, setWindowMinutes] = useState(60);
  const [stats, setStats] = useState<WorkflowStats[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<WorkflowStats[]>('stats', { windowMinutes: String(windowMinutes) })
      .then((result) => (setStats(result), setError(null)))
      .catch((caught: Error) => setError(caught.message));
  }, [windowMinutes]);
  return html`
    <section aria-labelledby="stats-title">
      <div class="title-row">
        <h1 id="stats-title">Stats</h1>
        <label class="field inline"
          ><span>Window</span>
          <select
            value=${String(windowMinutes)}
            onChange=${(event: Event) => setWindowMinutes(Number((event.target as HTMLSelectElement).value))}
          >
            ${WINDOWS.map((minutes) => html`<option value=${String(minutes)}>${minutes < 60 ? `${minutes} min` : `${minutes / 60} h`}</option>`)}
          </select>
        </label>
      </div>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      ${stats?.map(
        (item) =>
          html` <section class="panel" key=${item.workflow} aria-labelledby=${`stats-${item.workflow}`} data-workflow=${item.workflow}>
            <h2 id=${`stats-${item.workflow}`}>${item.workflow}</h2>
            <dl class="facts">
              <div>
                <dt>Throughput</dt>
                <dd>${item.throughputPerMinute} / min</dd>
              </div>
              <div>
                <dt>Failure rate</dt>
                <dd data-testid="failure-rate">${formatPercent(item.failureRate)}</dd>
              </div>
              <div>
                <dt>Started</dt>
                <dd>${item.started}</dd>
              </div>
              <div>
                <dt>Completed</dt>
                <dd>${item.completed}</dd>
              </div>
              <div>
                <dt>Failed</dt>
                <dd>${item.failed}</dd>
              </div>
              <div>
                <dt>Cancelled</dt>
                <dd>${item.cancelled}</dd>
              </div>
              <div>
                <dt>Running</dt>
                <dd>${item.running}</dd>
              </div>
            </dl>
            <div class="table-wrap">
              <table aria-label=${`Steps of ${item.workflow}`}>
                <thead>
                  <tr>
                    <th scope="col">Step</th>
                    <th scope="col">p50</th>
                    <th scope="col">p95</th>
                    <th scope="col">p99</th>
                    <th scope="col">Samples</th>
                    <th scope="col">Consumers</th>
                    <th scope="col">Queued</th>
                    <th scope="col">Runs at step</th>
                  </tr>
                </thead>
                <tbody>
                  ${item.queues.map((queue) => {
                    const latency = item.stepLatencies.find((candidate) => candidate.step === queue.step);
                    return html` <tr key=${queue.step} class=${queue.stalled ? 'stalled' : ''} data-step=${queue.step}>
                      <th scope="row">
                        ${queue.step}${queue.stalled && html` <span class="badge badge-failed">stalled: no consumer</span>`}
                      </th>
                      <td>${latency ? formatDuration(latency.p50Ms) : '—'}</td>
                      <td>${latency ? formatDuration(latency.p95Ms) : '—'}</td>
                      <td>${latency ? formatDuration(latency.p99Ms) : '—'}</td>
                      <td>${latency?.samples ?? 0}</td>
                      <td>${queue.consumers ?? '?'}</td>
                      <td>${queue.messages ?? '?'}</td>
                      <td>${queue.runsWaiting}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>
          </section>`,
      )}
    </section>
  `;
}
