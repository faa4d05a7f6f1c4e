import { html } from 'htm/preact';
import type { Status } from './types';

/** A run's status as a labelled badge (text, not colour alone). */
export function StatusBadge({ status }: { status: Status }) {
  return html`<span class=${`badge badge-${status}`}>${status}</span>`;
}
