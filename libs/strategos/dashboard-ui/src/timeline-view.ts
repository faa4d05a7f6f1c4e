import { html } from 'htm/preact';
import { formatDuration, formatTime } from './format';
import { buildTimeline, groupTimeline, type TimelineItem } from './timeline';
import type { HistoryEntry } from './types';

function Item({ item }: { item: TimelineItem }) {
  return html`
    <li class=${`tone-${item.tone}`} data-kind=${item.kind} data-path=${item.path}>
      <div class="timeline-head">
        <strong>${item.title}</strong>
        ${item.durationMs !== undefined && html`<span class="muted">${formatDuration(item.durationMs)}</span>`}
      </div>
      ${item.detail && html`<div class="timeline-detail">${item.detail}</div>`}
      <time class="muted" datetime=${item.at}>#${item.sequence} · ${formatTime(item.at)}</time>
    </li>
  `;
}

/** A run's history as a timeline; a fork's events in one lane per path, side by side (stacked when narrow). */
export function TimelineView({ history }: { history: readonly HistoryEntry[] }) {
  const blocks = groupTimeline(buildTimeline(history));
  return html`
    <ol class="timeline" data-testid="timeline">
      ${blocks.map((block) =>
        block.kind === 'item'
          ? html`<${Item} key=${block.item.sequence} item=${block.item} />`
          : html`
              <li key=${`fork-${block.first}`} class="fork-block" data-testid="fork-block">
                <div class="timeline-head">
                  <strong>Parallel paths (${block.lanes.filter((lane) => lane.path !== 'main').length})</strong>
                </div>
                <div class="lanes">
                  ${block.lanes.map(
                    (lane) => html`
                      <section class="lane" data-lane=${lane.path} aria-label=${`Path ${lane.path}`}>
                        <h3 class="mono">${lane.path}</h3>
                        <ol class="timeline">
                          ${lane.items.map((item) => html`<${Item} key=${item.sequence} item=${item} />`)}
                        </ol>
                      </section>
                    `,
                  )}
                </div>
              </li>
            `,
      )}
    </ol>
  `;
}
