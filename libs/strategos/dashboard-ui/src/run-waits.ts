import { html } from 'htm/preact';
import { formatTime } from './format';
import type { ActionInfo, ActivePosition, RunWait } from './types';

interface Props {
  readonly active: readonly ActivePosition[];
  readonly waits: readonly RunWait[];
  /** The run's offered actions that act on a wait (signal, approve, reject). */
  readonly actions: readonly ActionInfo[];
  readonly onAction: (action: ActionInfo, wait: RunWait) => void;
}

const KIND_ACTIONS: Record<RunWait['kind'], readonly string[]> = { approval: ['approve', 'reject'], signal: ['signal'] };

/** Where the run is (every active position, one per fork path) and, at a signal or approval, its actions. */
export function RunWaits({ active, waits, actions, onAction }: Props) {
  if (active.length === 0) return null;
  return html`
    <section aria-labelledby="active-title" class="panel" data-testid="active">
      <h2 id="active-title">Where it is</h2>
      <ul class="positions">
        ${active.map((position) => {
          const wait = waits.find((candidate) => candidate.path === position.path && candidate.name === position.waitingFor);
          const offered = wait ? actions.filter((action) => KIND_ACTIONS[wait.kind].includes(action.name)) : [];
          return html`
            <li data-path=${position.path} data-step=${position.step}>
              <span class="mono">${position.path}</span>
              <strong>${position.step}</strong>
              <span class="muted">
                ${position.attempt !== undefined ? `attempt ${position.attempt}, ` : ''}since ${formatTime(position.since)}
                ${position.wakesAt ? `, until ${formatTime(position.wakesAt)}` : ''}
                ${position.loop ? `, ${position.loop} pass ${position.iteration}` : ''}
              </span>
              ${
                wait &&
                offered.length > 0 &&
                html`<span class="buttons">
                  ${offered.map(
                    (action) =>
                      html`<button type="button" data-action=${action.name} data-wait=${wait.name} onClick=${() => onAction(action, wait)}>
                        ${action.label}
                      </button>`,
                  )}
                </span>`
              }
            </li>
          `;
        })}
      </ul>
    </section>
  `;
}
