import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from './api';
import { DeadLettersPage } from './dead-letters-page';
import { RunPage } from './run-page';
import { RunsPage } from './runs-page';
import { useRoute } from './router';
import { StatsPage } from './stats-page';
import type { Meta } from './types';

/** The shell: skip link, navigation, and the page of the current route. */
export function App() {
  const route = useRoute();
  const [meta, setMeta] = useState<Meta | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<Meta>('meta')
      .then(setMeta)
      .catch((caught: Error) => setError(caught.message));
  }, []);
  const current = route.page === 'run' ? 'runs' : route.page;
  const link = (page: string, label: string) =>
    html`<a href=${`#/${page}`} aria-current=${current === page ? 'page' : undefined}>${label}</a>`;
  return html`
    <a class="skip" href="#main" onClick=${(event: Event) => (event.preventDefault(), document.getElementById('main')?.focus())}
      >Skip to content</a
    >
    <header class="top">
      <span class="brand">Strategos</span>
      <nav aria-label="Dashboard">${link('runs', 'Runs')} ${link('dead-letters', 'Dead letters')} ${link('stats', 'Stats')}</nav>
      ${meta?.readOnly && html`<span class="badge" title="Actions are disabled">read only</span>`}
    </header>
    <main id="main" tabindex="-1">
      ${error && html`<p role="alert" class="error">${error}</p>`}
      ${
        meta &&
        (route.page === 'run'
          ? html`<${RunPage} meta=${meta} workflowId=${route.workflowId} />`
          : route.page === 'dead-letters'
            ? html`<${DeadLettersPage} meta=${meta} />`
            : route.page === 'stats'
              ? html`<${StatsPage} />`
              : html`<${RunsPage} meta=${meta} query=${route.query} />`)
      }
    </main>
  `;
}
