import { StrategosHeader } from '../messages/outbox-message';
import { CancelActionDto, NoInputActionDto } from './action-bodies.dto';
import type { DashboardAction } from './dashboard-action.interface';

const cancel: DashboardAction<CancelActionDto> = {
  name: 'cancel',
  label: 'Cancel',
  target: 'run',
  confirm: 'Cancel this run? The step in flight finishes, then compensation runs.',
  body: CancelActionDto,
  fields: [{ name: 'reason', label: 'Reason', type: 'text', required: false }],
  offeredFor: (run) => run.status === 'running' && run.cancelReason === null,
  async execute({ control }, workflowId, body) {
    await control.cancel(workflowId, body.reason ?? 'cancelled from the dashboard');
    return { workflowId };
  },
};

const retry: DashboardAction<NoInputActionDto> = {
  name: 'retry',
  label: 'Retry',
  target: 'run',
  confirm: 'Retry this run from the step that failed?',
  body: NoInputActionDto,
  fields: [],
  offeredFor: (run) => run.status === 'failed',
  async execute({ control }, workflowId) {
    await control.retry(workflowId);
    return { workflowId };
  },
};

const replay: DashboardAction<NoInputActionDto> = {
  name: 'replay',
  label: 'Replay',
  target: 'dead-letter',
  confirm: 'Publish this message again to its original queue?',
  body: NoInputActionDto,
  fields: [],
  async execute({ deadLetters }, id) {
    return { workflowId: workflowOf(await deadLetters.replay(id)) };
  },
};

const discard: DashboardAction<NoInputActionDto> = {
  name: 'discard',
  label: 'Discard',
  target: 'dead-letter',
  confirm: 'Discard this dead letter for good?',
  body: NoInputActionDto,
  fields: [],
  async execute({ deadLetters }, id) {
    return { workflowId: workflowOf(await deadLetters.discard(id)) };
  },
};

function workflowOf(letter: { readonly headers: Readonly<Record<string, string | number>> }): string | null {
  const id = letter.headers[StrategosHeader.WorkflowId];
  return typeof id === 'string' ? id : null;
}

/**
 * The dashboard's actions. Sending a signal / approving / rejecting joins this list once `WorkflowControl`
 * has a `signal` method (issue 12).
 */
export const DASHBOARD_ACTIONS: readonly DashboardAction[] = [cancel, retry, replay, discard] as readonly DashboardAction[];
