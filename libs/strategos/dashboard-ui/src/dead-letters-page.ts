import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ActionDialog } from './action-dialog';
import { get } from './api';
import { formatTime } from './format';
import { runHref } from './router';
import type { ActionInfo, DeadLetterPage, Meta } from './types';
import { useVisibleInterval } from './use-visible-interval';

const WORKFLOW_ID_HEADER = 'x-strategos-workflow-id';
const PAGE_SIZE = 50;
/**
 * How often the page reads its dead letters again while visible. Dead letters are stored by the archiver (in a
 * worker, often another process) and never announced on the events exchange, so the live stream cannot tell.
 */
export const DEAD_LETTERS_REFRESH_MS = 5_000;

/**
 * Dead letters with their codes and reasons, oldest first, cursor paging; replay or discard each, after confirming.
 * The page shown is read again every {@link DEAD_LETTERS_REFRESH_MS} while the tab is visible, and on **Refresh**:
 * the same cursor again, its answer replacing the letters shown, so a new letter appears, a replayed or discarded one
 * goes, and none is shown twice.
 */
export function DeadLettersPage({ meta }: { meta: Meta }) {
  const [page, setPage] = useState<DeadLetterPage | null>(null);
  const [code, setCode] = useState('');
  // The cursors of the pages before this one (empty on the first page).
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [pending, setPending] = useState<{ action: ActionInfo; id: string } | null>(null);
  // A read is under way: a periodic refresh waits for it rather than pile up behind a slow store.
  const reading = useRef(false);
  const refresh = () => setVersion((count) => count + 1);
  useVisibleInterval(() => reading.current || refresh(), DEAD_LETTERS_REFRESH_MS);
  useEffect(() => setCursors([]), [code]);
  useEffect(() => {
    // Superseded (another page, another code, a newer read): its answer must not replace a newer one.
    let superseded = false;
    reading.current = true;
    get<DeadLetterPage>('dead-letters', { code: code || undefined, cursor, limit: String(PAGE_SIZE) })
      .then((result) => {
        if (superseded) return;
        setPage(result);
        setError(null);
      })
      .catch((caught: Error) => {
        if (!superseded) setError(caught.message);
      })
      .finally(() => {
        if (!superseded) reading.current = false;
      });
    return () => {
      superseded = true;
    };
  }, [code, cursor, version]);
  const letters = page?.items;
  const actions = meta.actions.filter((action) => action.target === 'dead-letter');
  return html`
    <section aria-labelledby="dl-title">
      <div class="title-row">
        <h1 id="dl-title">Dead letters</h1>
        <label class="field inline"
          ><span>Code</span>
          <input type="search" value=${code} onChange=${(event: Event) => setCode((event.target as HTMLInputElement).value)} />
        </label>
        <div class="buttons">
          <span class="muted refresh-hint" data-testid="dead-letters-refresh-hint">Updates every ${DEAD_LETTERS_REFRESH_MS / 1000} s</span>
          <button type="button" data-testid="dead-letters-refresh" onClick=${refresh}>Refresh</button>
        </div>
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
        page &&
        (cursors.length > 0 || page.nextCursor) &&
        html`<nav class="pager" aria-label="Dead-letter pages">
          <button type="button" disabled=${cursors.length === 0} onClick=${() => setCursors(cursors.slice(0, -1))}>Previous</button>
          <span class="muted">Page ${cursors.length + 1}</span>
          <button type="button" disabled=${!page.nextCursor} onClick=${() => page.nextCursor && setCursors([...cursors, page.nextCursor])}>
            Next
          </button>
        </nav>`
      }
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
