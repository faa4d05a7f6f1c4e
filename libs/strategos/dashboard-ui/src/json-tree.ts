import { html } from 'htm/preact';

/** A JSON value as nested `<details>` (collapsible with the keyboard: each summary is focusable). */
export function JsonTree({ value, name, open = true }: { value: unknown; name?: string; open?: boolean }) {
  const label = name !== undefined ? html`<span class="json-key">${name}</span>: ` : null;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    const brackets = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
    return html`
      <details class="json" open=${open}>
        <summary>${label}<span class="muted">${brackets}</span></summary>
        <ul>
          ${entries.map(([key, item]) => html`<li key=${key}><${JsonTree} name=${key} value=${item} open=${false} /></li>`)}
        </ul>
      </details>
    `;
  }
  const kind = value === null ? 'null' : typeof value;
  return html`<span class="json-leaf">${label}<span class=${`json-${kind}`}>${JSON.stringify(value)}</span></span>`;
}
