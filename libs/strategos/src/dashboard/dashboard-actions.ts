import { BadRequestException } from '@nestjs/common';
import { StrategosHeader } from '../messages/outbox-message';
import { ApprovalActionDto, CancelActionDto, NoInputActionDto, SignalActionDto } from './action-bodies.dto';
import type { DashboardAction, DashboardActionServices } from './dashboard-action.interface';
import type { RunWait } from './run-wait';

const cancel: DashboardAction<CancelActionDto> = {
  name: 'cancel',
  label: 'Cancel',
  target: 'run',
  confirm: 'Cancel this run? The step in flight finishes, then compensation runs.',
  body: CancelActionDto,
  fields: [{ name: 'reason', label: 'Reason', type: 'text', required: false }],
  offeredFor: (run) => run.status === 'running' && run.cancelReason === null,
  reasonOf: (body) => body.reason,
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

const signal: DashboardAction<SignalActionDto> = {
  name: 'signal',
  label: 'Send signal',
  target: 'run',
  confirm: 'Send this signal to the run? Its payload is validated by the wait; the run goes on at once.',
  body: SignalActionDto,
  fields: [
    { name: 'name', label: 'Signal', type: 'text', required: true, fromWait: 'name' },
    { name: 'data', label: 'Data (JSON object)', type: 'json', required: false },
  ],
  offeredFor: (run, waits) => run.status === 'running' && waits.some((wait) => wait.kind === 'signal'),
  async execute({ control, waitsOf }, workflowId, body) {
    const name = body.name ?? (await theWait(waitsOf, workflowId, 'signal'));
    const result = await control.signal(workflowId, name, body.data ?? {}, body.signalId ? { signalId: body.signalId } : {});
    return { workflowId, signal: name, signalStatus: result.status };
  },
};

const approvalFields = [
  { name: 'name', label: 'Approval', type: 'text', required: true, fromWait: 'name' },
  { name: 'comment', label: 'Comment', type: 'text', required: false },
] as const;

const approve: DashboardAction<ApprovalActionDto> = {
  name: 'approve',
  label: 'Approve',
  target: 'run',
  confirm: 'Approve? The run goes on past its approval, with you as the approver.',
  body: ApprovalActionDto,
  fields: approvalFields,
  offeredFor: (run, waits) => run.status === 'running' && waits.some((wait) => wait.kind === 'approval'),
  reasonOf: (body) => body.comment,
  async execute({ control, actor, waitsOf }, workflowId, body) {
    const name = body.name ?? (await theWait(waitsOf, workflowId, 'approval'));
    const result = await control.approve(workflowId, name, approvalOptions(actor, body));
    return { workflowId, signal: name, signalStatus: result.status };
  },
};

const reject: DashboardAction<ApprovalActionDto> = {
  name: 'reject',
  label: 'Reject',
  target: 'run',
  confirm: 'Reject? The run takes its rejection path, or fails with APPROVAL_REJECTED.',
  body: ApprovalActionDto,
  fields: approvalFields,
  offeredFor: (run, waits) => run.status === 'running' && waits.some((wait) => wait.kind === 'approval'),
  reasonOf: (body) => body.comment,
  async execute({ control, actor, waitsOf }, workflowId, body) {
    const name = body.name ?? (await theWait(waitsOf, workflowId, 'approval'));
    const result = await control.reject(workflowId, name, approvalOptions(actor, body));
    return { workflowId, signal: name, signalStatus: result.status };
  },
};

/**
 * The name of the one wait of `kind` the run is parked at, for a body without `name`.
 * @throws BadRequestException (400, `INVALID_ACTION_BODY` naming `name`) when there is none or several.
 */
async function theWait(waitsOf: DashboardActionServices['waitsOf'], workflowId: string, kind: RunWait['kind']): Promise<string> {
  const names = [...new Set((await waitsOf(workflowId)).filter((wait) => wait.kind === kind).map((wait) => wait.name))];
  if (names.length === 1) return names[0];
  throw new BadRequestException({
    code: 'INVALID_ACTION_BODY',
    message: `name is required: the run waits for ${names.length === 0 ? `no ${kind}` : `several: ${names.join(', ')}`}`,
    fields: ['name'],
  });
}

function approvalOptions(actor: string | null, body: ApprovalActionDto): { by?: string; comment?: string } {
  return { ...(actor ? { by: actor } : {}), ...(body.comment !== undefined ? { comment: body.comment } : {}) };
}

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

/** The dashboard's actions, in the order the page shows them. */
export const DASHBOARD_ACTIONS: readonly DashboardAction[] = [
  approve,
  reject,
  signal,
  cancel,
  retry,
  replay,
  discard,
] as readonly DashboardAction[];
