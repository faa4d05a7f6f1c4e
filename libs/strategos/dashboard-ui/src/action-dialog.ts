import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, post } from './api';
import type { ActionInfo, Meta } from './types';

interface Props {
  readonly meta: Meta;
  readonly action: ActionInfo;
  /** The run id or dead-letter id the action is for. */
  readonly targetId: string;
  readonly onClose: (done: boolean) => void;
}

/** The confirmation of an action (a modal `<dialog>`: focus stays inside, Escape cancels), with its fields. */
export function ActionDialog({ meta, action, targetId, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<Record<string, string>>({});
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
        body[field.name] = field.type === 'json' ? JSON.parse(value) : field.type === 'boolean' ? value === 'true' : value;
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
        ${action.fields.map(
          (field) => html`
            <label class="field">
              <span>${field.label}${field.required ? ' (required)' : ''}</span>
              <input
                name=${field.name}
                required=${field.required}
                value=${values[field.name] ?? ''}
                onInput=${(event: Event) => setValues({ ...values, [field.name]: (event.target as HTMLInputElement).value })}
              />
            </label>
          `,
        )}
        ${error && html`<p role="alert" class="error">${error}</p>`}
        <div class="buttons">
          <button type="button" onClick=${() => (dialog.current?.close(), onClose(false))}>Back</button>
          <button type="submit" class="danger" disabled=${busy} data-confirm=${action.name}>Confirm ${action.label.toLowerCase()}</button>
        </div>
      </form>
    </dialog>
  `;
}
