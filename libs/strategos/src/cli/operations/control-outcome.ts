import type { CommandArgs } from '../parse-command-args';
import { statusCommandLine, type ConnectionSettings } from './connection-settings';
import type { ControlOutcome } from './control-request';
import { summariseData } from './data-summary';
import { integerOption } from './option-values';

/** `--wait-ms` of `cancel` and `retry`. */
export const WAIT_OPTION = { 'wait-ms': { type: 'string' } } as const;

/** The synopsis of {@link WAIT_OPTION}. */
export const WAIT_USAGE = '[--wait-ms MS]';

/** How long `cancel` and `retry` wait for a process to apply the request when `--wait-ms` is not given. */
export const DEFAULT_WAIT_MS = 10_000;

/**
 * `--wait-ms`: how long to wait for a process to apply the request, 0 to only send it.
 * @default 10000
 * @throws CliUsageError for anything but a whole number of milliseconds up to an hour.
 */
export function waitMs(values: CommandArgs['values']): number {
  return integerOption(values, 'wait-ms', { min: 0, max: 3_600_000 }, DEFAULT_WAIT_MS);
}

/** What happens next, truthfully for the case at hand. */
function nextText(outcome: ControlOutcome): string {
  if (outcome.action === 'retry') return 'The instance resumes from the step that failed.';
  const step = String(outcome.event?.data.step ?? 'the current step');
  if (outcome.cancelEffect === 'at-once') {
    return outcome.view.status === 'cancelled'
      ? `Step ${step} had not started and will not run; nothing needed compensation.`
      : `Step ${step} had not started and will not run; compensation runs, then the instance ends cancelled.`;
  }
  return `Step ${step} had started: it finishes (or times out), then compensation runs and the instance ends cancelled.`;
}

/** What the request did, for a terminal; the follow-up command carries the `--schema`/`--namespace` that `settings` needed. */
export function controlOutcomeText(outcome: ControlOutcome, settings: Pick<ConnectionSettings, 'schema' | 'namespace'>): string {
  const action = outcome.action === 'cancel' ? 'Cancel' : 'Retry';
  const follow = `Follow it with: ${statusCommandLine(outcome.workflowId, settings)}`;
  if (!outcome.event) {
    return `${action} request ${outcome.requestId} for ${outcome.workflowId} (${outcome.workflow}) sent to ${outcome.queue}; not waiting for it (--wait-ms 0).\n${follow}\n`;
  }
  const { event, view } = outcome;
  return [
    `${action} applied to ${outcome.workflowId} (${outcome.workflow}): ${event.type} #${event.sequence} at ${event.timestamp.toISOString()} (${summariseData(event.data)})`,
    `Now ${view.status}, phase ${view.phase}. ${nextText(outcome)}`,
    follow,
    '',
  ].join('\n');
}
