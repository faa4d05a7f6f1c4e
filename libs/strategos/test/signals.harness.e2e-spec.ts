import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { StrategosTestHarness, type HistoryEntry } from '@strategos/nestjs';
import {
  approvalFlow,
  deadlineFlow,
  paymentFlow,
  SIGNAL_STEPS,
  sleepFlow,
  StepLog,
  strictPaymentFlow,
  type SignalState,
} from './fixtures/signal-workflows';

/** Signals, approvals, durable timers and deadlines in the test harness, with its controllable clock. */
describe('signals and timers in the test harness', () => {
  let harness: StrategosTestHarness;

  beforeAll(async () => {
    harness = await StrategosTestHarness.create({
      workflows: [paymentFlow, strictPaymentFlow, approvalFlow, sleepFlow, deadlineFlow],
      providers: SIGNAL_STEPS,
    });
  });
  afterAll(() => harness.close());

  const start = async (definition: typeof paymentFlow, extra: Partial<SignalState> = {}, deadlineMs?: number) => {
    const workflowId = randomUUID();
    await harness.starter.start(definition, { workflowId, ...extra }, deadlineMs !== undefined ? { deadlineMs } : {});
    return workflowId;
  };
  const parkedAt = async (workflowId: string, phase: string) => {
    for (let i = 0; i < 500; i++) {
      const view = await harness.query.get(workflowId);
      if (view?.phase === phase) return view;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${workflowId} never reached ${phase}; it is at ${(await harness.query.get(workflowId))?.phase}`);
  };
  const kinds = (history: readonly HistoryEntry[]) => history.map((entry) => entry.kind);
  const log = () => harness.get(StepLog);

  it('parks at the wait with what it waits for and when it wakes, then a signal resumes it with its patch', async () => {
    const workflowId = await start(paymentFlow);
    const view = await parkedAt(workflowId, 'AwaitSignal(payment-confirmed)');
    expect(view.status).toBe('running');
    expect(view.active).toHaveLength(1);
    expect(view.active[0]).toMatchObject({ path: 'main', step: 'AwaitSignal(payment-confirmed)', waitingFor: 'payment-confirmed' });
    expect(view.active[0].attempt).toBeUndefined();
    expect(view.active[0].wakesAt!.getTime() - view.active[0].since.getTime()).toBe(60_000);
    expect(harness.transport.pending('strategos.payment-flow.Ship')).toBe(0);

    const result = await harness.control.signal(
      workflowId,
      'payment-confirmed',
      { reference: 'tx-1', amount: 42 },
      { signalId: 'webhook-1' },
    );
    expect(result).toEqual({ workflowId, signalId: 'webhook-1', status: 'applied' });
    const done = await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ paymentRef: 'tx-1', amount: 42, ran: ['Reserve', 'Ship', 'Confirm'] });
    const history = await harness.query.history(workflowId);
    expect(kinds(history)).toEqual(expect.arrayContaining(['Waiting', 'SignalReceived']));
    expect(history.find((e) => e.kind === 'Waiting')!.type).toBe('PaymentFlowWaiting');
    expect(history.find((e) => e.kind === 'SignalReceived')!.data).toMatchObject({
      signal: 'payment-confirmed',
      signalId: 'webhook-1',
      stored: false,
    });
  });

  it('refuses a bad payload with the validation errors and keeps waiting; a later good one resumes the run', async () => {
    const workflowId = await start(paymentFlow);
    await parkedAt(workflowId, 'AwaitSignal(payment-confirmed)');
    const refusal = await harness.control.signal(workflowId, 'payment-confirmed', { reference: '', amount: -1 }).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'INVALID_SIGNAL_PAYLOAD' });
    expect((refusal as { errors: string[] }).errors).toEqual(
      expect.arrayContaining([expect.stringContaining('reference'), expect.stringContaining('amount')]),
    );
    expect((await harness.query.get(workflowId))!.phase).toBe('AwaitSignal(payment-confirmed)');
    await harness.control.signal(workflowId, 'payment-confirmed', { reference: 'tx-2', amount: 1 });
    expect((await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 })).state.paymentRef).toBe('tx-2');
  });

  it('refuses an unknown signal name with UNKNOWN_SIGNAL and a signal to a finished run with SIGNAL_NOT_ACCEPTED', async () => {
    const workflowId = await start(paymentFlow);
    await parkedAt(workflowId, 'AwaitSignal(payment-confirmed)');
    await expect(harness.control.signal(workflowId, 'paymnet-confirmed', {})).rejects.toMatchObject({ code: 'UNKNOWN_SIGNAL' });
    await harness.control.signal(workflowId, 'payment-confirmed', { reference: 'tx', amount: 1 });
    await harness.query.waitFor(workflowId, { timeoutMs: 10_000 });
    await expect(harness.control.signal(workflowId, 'payment-confirmed', { reference: 'tx', amount: 1 })).rejects.toMatchObject({
      code: 'SIGNAL_NOT_ACCEPTED',
    });
    await expect(harness.control.signal('no-such-run', 'payment-confirmed', {})).rejects.toMatchObject({ code: 'WORKFLOW_NOT_FOUND' });
  });

  it('applies a repeated signalId once', async () => {
    const workflowId = await start(approvalFlow);
    await parkedAt(workflowId, 'AwaitApproval(manager-approval)');
    const first = await harness.control.reject(workflowId, 'manager-approval', { by: 'ana', signalId: 'decision-1' });
    const again = await harness.control.reject(workflowId, 'manager-approval', { by: 'ana', signalId: 'decision-1' });
    expect([first.status, again.status]).toEqual(['applied', 'duplicate']);
    await parkedAt(workflowId, 'AwaitApproval(manager-approval)');
    expect(log().count(workflowId, 'Revise')).toBe(1);
    expect((await harness.query.history(workflowId)).filter((e) => e.kind === 'SignalReceived')).toHaveLength(1);
    await harness.control.approve(workflowId, 'manager-approval', { by: 'bo' });
    const done = await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ approved: true, approvedBy: 'bo', ran: ['Reserve', 'Revise', 'Confirm'] });
  });

  it('keeps signals that arrive before the wait and consumes them in order of arrival, one per wait', async () => {
    // Reserve throws on its first attempt and retries 2 s later: both decisions arrive while no wait is active.
    const workflowId = await start(approvalFlow, { reserveThrowsUntil: 1 });
    const first = await harness.control.reject(workflowId, 'manager-approval', { by: 'first' });
    const second = await harness.control.approve(workflowId, 'manager-approval', { by: 'second' });
    expect([first.status, second.status]).toEqual(['stored', 'stored']);
    await harness.clock.advance(2_000);
    const done = await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 });
    expect(done.status).toBe('completed');
    // The rejection was consumed by the first pass (Revise ran), the approval by the second.
    expect(done.state).toMatchObject({ approved: true, approvedBy: 'second', ran: ['Reserve', 'Revise', 'Confirm'] });
  });

  it('times a 48-hour approval out in milliseconds with the controllable clock: SIGNAL_TIMEOUT, then compensation', async () => {
    const workflowId = await start(approvalFlow);
    const view = await parkedAt(workflowId, 'AwaitApproval(manager-approval)');
    expect(view.active[0].wakesAt!.getTime() - view.active[0].since.getTime()).toBe(48 * 3_600_000);
    await harness.clock.advance(47 * 3_600_000);
    expect((await harness.query.get(workflowId))!.status).toBe('running');
    await harness.clock.advance(3_600_000);
    const done = await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 });
    expect(done.status).toBe('compensated');
    expect(done.error).toMatchObject({ code: 'SIGNAL_TIMEOUT', step: 'signal:manager-approval' });
    expect(log().count(workflowId, 'Release')).toBe(1);
    expect(kinds(await harness.query.history(workflowId))).toContain('TimerFired');
  });

  it('takes onTimeout when a signal wait times out', async () => {
    const workflowId = await start(paymentFlow);
    await parkedAt(workflowId, 'AwaitSignal(payment-confirmed)');
    await harness.clock.advance(60_000);
    const done = await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 });
    expect(done.status).toBe('completed');
    expect(done.state.ran).toEqual(['Reserve', 'Escalate', 'Ship', 'Confirm']);
  });

  it('fails the run with SIGNAL_TIMEOUT when there is no onTimeout', async () => {
    const workflowId = await start(strictPaymentFlow);
    await parkedAt(workflowId, 'AwaitSignal(payment-confirmed)');
    await harness.clock.advance(60_000);
    const done = await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 });
    expect(done.error?.code).toBe('SIGNAL_TIMEOUT');
    expect(done.status).toBe('compensated');
  });

  it('sleeps durably for a duration and until a date from the state', async () => {
    const workflowId = await start(sleepFlow, { wakeAt: new Date(harness.clock.now().getTime() + 5 * 3_600_000).toISOString() });
    const view = await parkedAt(workflowId, 'Sleep(3600000ms)');
    expect(view.active[0]).toMatchObject({ waitingFor: 'timer' });
    await harness.clock.advance(3_600_000);
    const second = await parkedAt(workflowId, 'SleepUntil(new Date(s.wakeAt ?? 0))');
    expect(second.active[0].wakesAt!.toISOString()).toBe(JSON.parse(JSON.stringify((await harness.query.get(workflowId))!.state)).wakeAt);
    await harness.clock.advance(4 * 3_600_000 + 1_000);
    expect((await harness.query.waitFor(workflowId, { timeoutMs: 10_000 })).status).toBe('completed');
    expect(kinds(await harness.query.history(workflowId)).filter((k) => k === 'TimerFired')).toHaveLength(2);
  });

  it('cancels a parked run at once: compensation runs, nothing waits for a step', async () => {
    const workflowId = await start(paymentFlow);
    await parkedAt(workflowId, 'AwaitSignal(payment-confirmed)');
    await harness.control.cancel(workflowId, 'customer left');
    const done = await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 });
    expect(done.status).toBe('cancelled');
    expect(log().count(workflowId, 'Release')).toBe(1);
    // The wait's timeout later fires into a finished run: nothing changes.
    const version = done.version;
    await harness.clock.advance(60_000);
    expect((await harness.query.get(workflowId))!.version).toBe(version);
  });

  it('cancels a run past its deadline with DEADLINE_EXCEEDED and compensates; a start may override the deadline', async () => {
    const workflowId = await start(deadlineFlow);
    await parkedAt(workflowId, 'AwaitSignal(go)');
    const other = await start(deadlineFlow, {}, 48 * 3_600_000);
    await parkedAt(other, 'AwaitSignal(go)');
    await harness.clock.advance(24 * 3_600_000);
    const done = await harness.query.waitFor<SignalState>(workflowId, { timeoutMs: 10_000 });
    expect(done.status).toBe('cancelled');
    expect(done.cancelReason).toBe('DEADLINE_EXCEEDED');
    expect(done.error?.code).toBe('DEADLINE_EXCEEDED');
    expect(log().count(workflowId, 'Release')).toBe(1);
    expect((await harness.query.get(other))!.status).toBe('running');
    await harness.clock.advance(24 * 3_600_000);
    expect((await harness.query.waitFor(other, { timeoutMs: 10_000 })).cancelReason).toBe('DEADLINE_EXCEEDED');
  });
});
