import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, post } from './api';
import type { ActionField, ActionInfo, Meta } from './types';

interface Props {
  readonly meta: Meta;
  readonly action: ActionInfo;
  /** The run id or dead-letter id the action is for. */
  readonly targetId: string;
  /** Values of the fields filled in by the page (e.g. the wait's name), shown read only. */
  readonly preset?: Readonly<Record<string, string>>;
  readonly onClose: (done: boolean) => void;
}

/** The value of a field as the API takes it; throws a readable error for JSON that is not an object. */
function fieldValue(field: ActionField, value: string): unknown {
  if (field.type === 'boolean') return value === 'true';
  if (field.type !== 'json') return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error(`${field.label}: not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${field.label}: a JSON object is expected`);
  return parsed;
}

/** The confirmation of an action (a modal `<dialog>`: focus stays inside, Escape cancels), with its fields. */
export function ActionDialog({ meta, action, targetId, preset = {}, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<Record<string, string>>({ ...preset });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const collection = action.target === 'run' ? 'runs' : 'dead-letters';
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      for (const field of action.fields) {
        const value = values[field.name];
        if (value === undefined || value === '') continue;
        body[field.name] = fieldValue(field, value);
      }
      await post(`${collection}/${encodeURIComponent(targetId)}/actions/${action.name}`, body, meta);
      dialog.current?.close();
      onClose(true);
    } catch (caught) {
      setError(caught instanceof ApiError ? `${caught.code}: ${caught.message}` : (caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return html`
    <dialog ref=${dialog} class="dialog" aria-labelledby="action-title" onCancel=${() => onClose(false)}>
      <form method="dialog" onSubmit=${submit}>
        <h2 id="action-title">${action.label}</h2>
        <p>${action.confirm}</p>
        <p class="muted mono">${targetId}</p>
        ${action.fields.map((field) => {
          const onInput = (event: Event) => setValues({ ...values, [field.name]: (event.target as HTMLInputElement).value });
          const fixed = preset[field.name] !== undefined;
          return html`
            <label class="field">
              <span>${field.label}${field.required && !fixed ? ' (required)' : ''}</span>
              ${
                field.type === 'json'
                  ? html`<textarea
                      name=${field.name}
                      class="mono"
                      rows="4"
                      placeholder="{}"
                      required=${field.required}
                      value=${values[field.name] ?? ''}
                      onInput=${onInput}
                    ></textarea>`
                  : html`<input
                      name=${field.name}
                      required=${field.required}
                      readonly=${fixed}
                      value=${values[field.name] ?? ''}
                      onInput=${onInput}
                    />`
              }
            </label>
          `;
        })}
        ${error && html`<p role="alert" class="error">${error}</p>`}
        <div class="buttons">
          <button type="button" onClick=${() => (dialog.current?.close(), onClose(false))}>Back</button>
          <button type="submit" class="danger" disabled=${busy} data-confirm=${action.name}>Confirm ${action.label.toLowerCase()}</button>
        </div>
      </form>
    </dialog>
  `;
}
