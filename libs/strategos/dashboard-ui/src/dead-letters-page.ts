import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { ActionDialog } from './action-dialog';
import { get } from './api';
import { formatTime } from './format';
import { runHref } from './router';
import type { ActionInfo, DeadLetter, Meta } from './types';

const WORKFLOW_ID_HEADER = 'x-strategos-workflow-id';

/** Dead letters with their codes and reasons; replay or discard each, after confirming. */
export function DeadLettersPage({ meta }: { meta: Meta }) {
  const [letters, setLetters] = useState<DeadLetter[] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [pending, setPending] = useState<{ action: ActionInfo; id: string } | null>(null);
  useEffect(() => {
    get<DeadLetter[]>('dead-letters', { code: code || undefined, limit: '200' })
      .then((result) => (setLetters(result), setError(null)))
      .catch((caught: Error) => setError(caught.message));
  }, [code, version]);
  const actions = meta.actions.filter((action) => action.target === 'dead-letter');
  return html`
    <section aria-labelledby="dl-title">
      <div class="title-row">
        <h1 id="dl-title">Dead letters</h1>
        <label class="field inline"
          ><span>Code</span>
          <input type="search" value=${code} onChange=${(event: Event) => setCode((event.target as HTMLInputElement).value)} />
        </label>
      </div>
      ${error && html`<p role="alert" class="error">${error}</p>`}
      ${letters && letters.length === 0 && html`<p class="muted">No dead letters.</p>`}
      <ul class="cards" aria-label="Dead letters">
        ${letters?.map((letter) => {
          const workflowId = letter.headers[WORKFLOW_ID_HEADER];
          return html`
            <li key=${letter.id} class="card" data-dead-letter=${letter.id}>
              <div class="title-row">
                <strong class="code">${letter.code}</strong>
                <div class="buttons">
                  ${actions.map(
                    (action) =>
                      html`<button
                        type="button"
                        class="danger"
                        data-action=${action.name}
                        aria-label=${`${action.label} dead letter ${letter.id}`}
                        onClick=${() => setPending({ action, id: letter.id })}
                      >
                        ${action.label}
                      </button>`,
                  )}
                </div>
              </div>
              <p>${letter.reason}</p>
              <dl class="facts small">
                <div>
                  <dt>Queue</dt>
                  <dd class="mono">${letter.originalQueue}</dd>
                </div>
                <div>
                  <dt>Type</dt>
                  <dd>${letter.type ?? '—'}</dd>
                </div>
                <div>
                  <dt>At</dt>
                  <dd>${formatTime(letter.deadLetteredAt)}</dd>
                </div>
                ${
                  typeof workflowId === 'string' &&
                  html`<div>
                    <dt>Run</dt>
                    <dd class="mono"><a href=${runHref(workflowId)}>${workflowId}</a></dd>
                  </div>`
                }
              </dl>
              <details>
                <summary>Message body</summary>
                <pre class="mono">${letter.body}</pre>
              </details>
            </li>
          `;
        })}
      </ul>
      ${
        pending &&
        html`<${ActionDialog}
          meta=${meta}
          action=${pending.action}
          targetId=${pending.id}
          onClose=${(done: boolean) => (setPending(null), done && setVersion((count) => count + 1))}
        />`
      }
    </section>
  `;
}
