import { randomUUID } from 'node:crypto';
import { anOrder, initialOrderState, processOrder } from '@app/orders';
import {
  HEADER_USER_GUARD,
  openSession,
  postAction,
  startDashboardApp,
  type DashboardSession,
  type DashboardTestApp,
} from './support/dashboard-app';

interface RunDetails {
  run: { status: string; phase: string; active: { path: string; step: string; waitingFor?: string }[] };
  waits: { name: string; kind: string; path: string }[];
  actions: string[];
}

const APPROVAL = 'manager-approval';
const WAITING = `AwaitApproval(${APPROVAL})`;

/** The signal, approve and reject actions on the order example's approval of an order over 1,000 (real broker and store). */
describe('Dashboard signal, approve and reject actions', () => {
  let app: DashboardTestApp;
  let session: DashboardSession;

  beforeAll(async () => {
    app = await startDashboardApp({ guard: HEADER_USER_GUARD, liveBatchMs: 200 }, 1);
    session = await openSession(app.url);
  });

  afterAll(async () => {
    await app?.stop();
  });

  /** Starts an order over the approval limit and waits until it is parked at the approval. */
  async function waitingOrder(): Promise<string> {
    const order = anOrder({ items: [{ sku: 'DESK-PRO', quantity: 1, price: 1_499 }] });
    const { workflowId } = await app.starter.start(processOrder, initialOrderState(order, `big-${randomUUID()}`));
    for (let i = 0; i < 600 && (await app.query.get(workflowId))?.phase !== WAITING; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await app.query.get(workflowId))?.phase).toBe(WAITING);
    return workflowId;
  }

  async function details(workflowId: string): Promise<RunDetails> {
    return (await (await fetch(`${app.url}/api/runs/${workflowId}`)).json()) as RunDetails;
  }

  const asAna = { 'x-test-user': 'ana' };

  it('offers approve and reject on a run waiting for an approval, with the wait it answers', async () => {
    const workflowId = await waitingOrder();
    const run = await details(workflowId);
    expect(run.waits).toEqual([{ name: APPROVAL, kind: 'approval', path: 'main' }]);
    expect(run.actions).toEqual(['approve', 'reject', 'cancel']);
    expect(run.run.active).toEqual([expect.objectContaining({ path: 'main', step: WAITING, waitingFor: APPROVAL })]);
    const meta = (await (await fetch(`${app.url}/api/meta`)).json()) as { actions: { name: string; fields: { name: string }[] }[] };
    expect(meta.actions.find((action) => action.name === 'signal')?.fields.map((field) => field.name)).toEqual(['name', 'data']);
    expect(meta.actions.find((action) => action.name === 'approve')?.fields.map((field) => field.name)).toEqual(['name', 'comment']);
  });

  it('approves a waiting run: it completes, approved by the operator, recorded in its history', async () => {
    const workflowId = await waitingOrder();
    const response = await postAction(app, session, `runs/${workflowId}/actions/approve`, { name: APPROVAL, comment: 'ok' }, asAna);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ action: 'approve', workflowId, recorded: true, signalStatus: 'applied' });
    const view = await app.query.waitFor(workflowId, { timeoutMs: 60_000 });
    expect(view.status).toBe('completed');
    expect(view.state).toMatchObject({ approvedBy: 'ana' });
    const history = await app.query.history(workflowId);
    expect(history.find((entry) => entry.kind === 'SignalReceived')?.data).toMatchObject({
      signal: APPROVAL,
      payload: { approved: true, by: 'ana', comment: 'ok' },
    });
    expect(history.find((entry) => entry.kind === 'OperatorAction')?.data).toEqual({
      action: 'approve',
      actor: 'ana',
      outcome: 'applied',
      signal: APPROVAL,
      reason: 'ok',
    });
    expect((await details(workflowId)).actions).toEqual([]);
    // A finished run refuses it: 409 with the engine's code, recorded.
    const late = await postAction(app, session, `runs/${workflowId}/actions/approve`, { name: APPROVAL }, { 'x-test-user': 'bob' });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'SIGNAL_NOT_ACCEPTED' });
    expect((await app.query.history(workflowId)).at(-1)).toMatchObject({
      kind: 'OperatorAction',
      data: { action: 'approve', actor: 'bob', outcome: 'refused', code: 'SIGNAL_NOT_ACCEPTED', signal: APPROVAL },
    });
  });

  it('rejects a waiting run (its one approval when no name is given): it fails with APPROVAL_REJECTED, nothing charged, recorded with the comment', async () => {
    const workflowId = await waitingOrder();
    // Without a name: the run's one approval.
    const response = await postAction(app, session, `runs/${workflowId}/actions/reject`, { comment: 'too expensive' }, asAna);
    expect(response.status).toBe(201);
    const view = await app.query.waitFor(workflowId, { timeoutMs: 60_000 });
    expect(view.error?.code).toBe('APPROVAL_REJECTED');
    const history = await app.query.history(workflowId);
    expect(history.some((entry) => entry.kind === 'StepCompleted' && entry.data.step === 'ProcessPayment')).toBe(false);
    expect(history.find((entry) => entry.kind === 'OperatorAction')?.data).toEqual({
      action: 'reject',
      actor: 'ana',
      outcome: 'applied',
      signal: APPROVAL,
      reason: 'too expensive',
    });
  });

  it('sends a signal with JSON data; a payload the wait refuses is 400 INVALID_SIGNAL_PAYLOAD and the run keeps waiting', async () => {
    const workflowId = await waitingOrder();
    const bad = await postAction(app, session, `runs/${workflowId}/actions/signal`, { name: APPROVAL, data: { approved: 'yes' } }, asAna);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_SIGNAL_PAYLOAD', errors: [expect.stringContaining('approved')] });
    expect((await app.query.get(workflowId))?.phase).toBe(WAITING);
    // Without a name: the run waits for no signal (an approval is not one); an unknown run is 404.
    const unnamed = await postAction(app, session, `runs/${workflowId}/actions/signal`, { data: {} }, asAna);
    expect(unnamed.status).toBe(400);
    expect(await unnamed.json()).toMatchObject({ code: 'INVALID_ACTION_BODY', message: expect.stringMatching(/^name is required/) });
    expect((await postAction(app, session, `runs/${randomUUID()}/actions/approve`, {}, asAna)).status).toBe(404);
    const unknown = await postAction(app, session, `runs/${workflowId}/actions/signal`, { name: 'no-such-signal' }, asAna);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'UNKNOWN_SIGNAL' });
    const good = await postAction(
      app,
      session,
      `runs/${workflowId}/actions/signal`,
      { name: APPROVAL, data: { approved: true, by: 'dan' }, signalId: `sig-${workflowId}` },
      asAna,
    );
    expect(good.status).toBe(201);
    expect((await app.query.waitFor(workflowId, { timeoutMs: 60_000 })).state).toMatchObject({ approvedBy: 'dan' });
    const operator = (await app.query.history(workflowId)).filter((entry) => entry.kind === 'OperatorAction').map((entry) => entry.data);
    expect(operator).toEqual([
      { action: 'signal', actor: 'ana', outcome: 'refused', code: 'INVALID_SIGNAL_PAYLOAD', signal: APPROVAL },
      { action: 'signal', actor: 'ana', outcome: 'refused', code: 'UNKNOWN_SIGNAL', signal: 'no-such-signal' },
      { action: 'signal', actor: 'ana', outcome: 'applied', signal: APPROVAL },
    ]);
  });

  it.each([
    ['approve', 'an empty name', { name: '' }, /name should not be empty/],
    ['approve', 'a comment that is not a string', { name: APPROVAL, comment: 7 }, /comment must be a string/],
    ['reject', 'an unknown property', { name: APPROVAL, approved: true }, /property approved should not exist/],
    ['signal', 'data that is not an object', { name: APPROVAL, data: [1] }, /data must be an object/],
  ])('refuses %s with %s: 400 INVALID_ACTION_BODY naming the field', async (action, _case, body, message) => {
    const response = await postAction(app, session, `runs/${randomUUID()}/actions/${action}`, body, asAna);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_ACTION_BODY', message: expect.stringMatching(message) });
  });

  it('refuses an approval without the CSRF token or the guard (403); the run keeps waiting', async () => {
    const workflowId = await waitingOrder();
    const path = `runs/${workflowId}/actions/approve`;
    expect((await postAction(app, session, path, { name: APPROVAL }, { ...asAna, [session.header]: 'forged' })).status).toBe(403);
    expect((await postAction(app, session, path, { name: APPROVAL })).status).toBe(403);
    expect((await app.query.get(workflowId))?.phase).toBe(WAITING);
    expect((await app.query.history(workflowId)).some((entry) => entry.kind === 'OperatorAction')).toBe(false);
  });
});
