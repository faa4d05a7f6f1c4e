import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { HistoryEntry, WorkflowDefinition, WorkflowView } from '@strategos/nestjs';
import {
  FORK_WAIT_STEPS,
  FORK_WAIT_WORKFLOWS,
  ForkStepLog,
  forkSignalFlow,
  forkSleepFlow,
  forkStrictTimeoutFlow,
  forkTimeoutFlow,
  nestedForkFlow,
  type ForkWaitState,
} from './fixtures/fork-wait-workflows';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const WAIT = 'AwaitSignal(manager-approval)';

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The history as `→Phase` (with the path), `Step✓` and event kinds. */
function trail(history: readonly HistoryEntry[]): string[] {
  return history.map((e) =>
    e.kind === 'PhaseChanged' ? `→${String(e.data.to)}` : e.kind === 'StepCompleted' ? `${String(e.data.step)}✓` : e.kind,
  );
}

const count = (items: readonly string[], item: string) => items.filter((candidate) => candidate === item).length;

/** Waits and nested forks inside fork paths on RabbitMQ and PostgreSQL: a path parks durably while the other runs. */
describe('waits and forks inside fork paths on the real servers', () => {
  let environment: TestEnvironment;
  let app: TestApp;
  let db: Client;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(environment, FORK_WAIT_WORKFLOWS, FORK_WAIT_STEPS);
    db = new Client({ connectionString: environment.databaseUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await environment?.cleanup(FORK_WAIT_WORKFLOWS);
  }, 60_000);

  const start = async (definition: WorkflowDefinition, extra: Partial<ForkWaitState> = {}) => {
    const workflowId = randomUUID();
    await app.starter.start(definition, { workflowId, ...extra });
    return workflowId;
  };
  const viewWhere = (workflowId: string, what: string, holds: (view: WorkflowView) => boolean) =>
    until(`${workflowId}: ${what}`, async () => {
      const view = await app.query.get(workflowId);
      return view && holds(view) ? view : undefined;
    });
  const log = () => app.app.get(ForkStepLog);

  /** The join ran once: one phase change to it, one completion, one execution. */
  const expectJoinedOnce = (workflowId: string, steps: readonly string[]) => {
    expect(count(steps, '→Decide')).toBe(1);
    expect(count(steps, 'Decide✓')).toBe(1);
    expect(log().count(workflowId, 'Decide')).toBe(1);
  };

  it('parks a path at its signal while the other path runs to the join; the signal then joins the run once', async () => {
    const workflowId = await start(forkSignalFlow);
    // The waiting path is visible with its timer; the other path finishes and reaches the join meanwhile.
    const view = await viewWhere(workflowId, 'only the waiting path left', (v) => v.phase === `Fork(${WAIT})`);
    expect(view.active).toEqual([
      expect.objectContaining({ path: 'fork#1.1', step: WAIT, waitingFor: 'manager-approval', wakesAt: expect.any(Date) }),
    ]);
    // The wait's timeout is an outbox row due at wakesAt; nothing else is in flight.
    const { rows } = await db.query<{ available_at: Date }>(
      `SELECT available_at FROM "${environment.schema}".outbox WHERE type = 'FireTimer' AND body->>'workflowId' = $1`,
      [workflowId],
    );
    expect(rows.map((row) => row.available_at.getTime())).toEqual([view.active[0].wakesAt!.getTime()]);
    expect(log().count(workflowId, 'CheckCredit')).toBe(1);
    expect(log().count(workflowId, 'Decide')).toBe(0);
    // Listed among the waiting runs: one of its paths is parked.
    const waiting = await app.query.list({ workflow: forkSignalFlow, status: 'waiting', limit: 500 });
    expect(waiting.items.map((item) => item.workflowId)).toContain(workflowId);

    const reply = await app.control.signal(workflowId, 'manager-approval', { by: 'ana' });
    expect(reply.status).toBe('applied');
    const done = await app.query.waitFor<ForkWaitState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ approvedBy: 'ana', done: { Prepare: 1, CheckFraud: 1, Reserve: 1, CheckCredit: 1, Decide: 1 } });
    const history = await app.query.history(workflowId);
    expect(history.find((e) => e.kind === 'Waiting')?.data).toMatchObject({ path: 'fork#1.1', waitingFor: 'manager-approval' });
    expectJoinedOnce(workflowId, trail(history));
  }, 60_000);

  it('keeps a signal sent while the path still runs its step and applies it when the path reaches the wait', async () => {
    const workflowId = await start(forkSignalFlow, { delays: { CheckFraud: 2_000 } });
    await viewWhere(workflowId, 'the fork', (v) => v.phase.startsWith('Fork(') && v.active.some((a) => a.step === 'CheckFraud'));
    const reply = await app.control.signal(workflowId, 'manager-approval', { by: 'early-bo' });
    expect(reply.status).toBe('stored');
    const done = await app.query.waitFor<ForkWaitState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect(done.state.approvedBy).toBe('early-bo');
    const history = await app.query.history(workflowId);
    // Consumed on arrival: the path never parked.
    expect(history.filter((e) => e.kind === 'Waiting')).toEqual([]);
    expect(history.find((e) => e.kind === 'PhaseChanged' && e.data.to === WAIT)?.data).toMatchObject({ path: 'fork#1.1' });
    expectJoinedOnce(workflowId, trail(history));
  }, 60_000);

  it('sleeps on a path with a durable timer that fires for that path', async () => {
    const workflowId = await start(forkSleepFlow);
    const view = await viewWhere(workflowId, 'the sleeping path', (v) => v.active.some((a) => a.waitingFor === 'timer'));
    expect(view.active.find((a) => a.waitingFor === 'timer')).toMatchObject({ path: 'fork#1.1', step: 'Sleep(2000ms)' });
    const done = await app.query.waitFor<ForkWaitState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect(done.state.done).toMatchObject({ CheckFraud: 1, Hold: 1, CheckCredit: 1, Decide: 1 });
    const history = await app.query.history(workflowId);
    expect(history.filter((e) => e.kind === 'TimerFired').map((e) => e.data)).toEqual([
      expect.objectContaining({ purpose: 'sleep', node: 'sleep#1', path: 'fork#1.1' }),
    ]);
    const steps = trail(history);
    expect(steps.indexOf('TimerFired')).toBeLessThan(steps.indexOf('→Hold'));
    expectJoinedOnce(workflowId, steps);
  }, 60_000);

  it("takes a path wait's onTimeout when no signal comes, then joins once", async () => {
    const workflowId = await start(forkTimeoutFlow);
    const done = await app.query.waitFor<ForkWaitState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect(done.state.done).toMatchObject({ CheckFraud: 1, Escalate: 1, Reserve: 1, CheckCredit: 1, Decide: 1 });
    const history = await app.query.history(workflowId);
    expect(history.filter((e) => e.kind === 'TimerFired').map((e) => e.data)).toEqual([
      expect.objectContaining({ purpose: 'timeout', path: 'fork#1.1' }),
    ]);
    expectJoinedOnce(workflowId, trail(history));
  }, 60_000);

  it('fails the run with SIGNAL_TIMEOUT on a path wait without onTimeout: the other path finishes its step, then compensation', async () => {
    // CheckCredit is still running when the 2-second timeout fires.
    const workflowId = await start(forkStrictTimeoutFlow, { delays: { CheckCredit: 4_000 } });
    const done = await app.query.waitFor<ForkWaitState>(workflowId, { timeoutMs: 30_000 });
    expect(done).toMatchObject({
      status: 'compensated',
      error: { code: 'SIGNAL_TIMEOUT', step: 'signal:manager-approval', path: 'fork#1.1' },
    });
    const steps = trail(await app.query.history(workflowId));
    expect(steps.indexOf('TimerFired')).toBeLessThan(steps.indexOf('CheckCredit✓'));
    expect(steps.slice(steps.indexOf('CheckCredit✓'))).toEqual([
      'CheckCredit✓',
      'Compensating',
      '→Release',
      'Release✓',
      '→Unprepare',
      'Unprepare✓',
      'Compensated',
      'Failed',
    ]);
    expect(steps).not.toContain('→Decide');
    expect(log().count(workflowId, 'Decide')).toBe(0);
  }, 60_000);

  it('cancels a run whose path waits: the waiting path stops at once, the completed steps are compensated', async () => {
    const workflowId = await start(forkSignalFlow);
    await viewWhere(workflowId, 'only the waiting path left', (v) => v.phase === `Fork(${WAIT})`);
    await app.control.cancel(workflowId, 'customer withdrew');
    const done = await app.query.waitFor(workflowId, { timeoutMs: 30_000 });
    expect(done).toMatchObject({ status: 'cancelled', cancelReason: 'customer withdrew' });
    expect(log().count(workflowId, 'Release')).toBe(1);
    expect(log().count(workflowId, 'Unprepare')).toBe(1);
    expect(log().count(workflowId, 'Decide')).toBe(0);
    await expect(app.control.signal(workflowId, 'manager-approval', { by: 'late' })).rejects.toMatchObject({
      code: 'SIGNAL_NOT_ACCEPTED',
    });
  }, 60_000);

  it('runs a fork inside a fork path: the nested path waits, the nested join and the outer join run once each', async () => {
    const workflowId = await start(nestedForkFlow);
    const view = await viewWhere(workflowId, 'the nested path waiting alone', (v) => v.phase === `Fork(${WAIT})`);
    expect(view.active).toEqual([expect.objectContaining({ path: 'fork#2.2', waitingFor: 'manager-approval' })]);
    expect(log().count(workflowId, 'InnerJoin')).toBe(0);
    await app.control.signal(workflowId, 'manager-approval', { by: 'ana' });
    const done = await app.query.waitFor<ForkWaitState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({
      approvedBy: 'ana',
      done: { Prepare: 1, CheckFraud: 1, Reserve: 1, Hold: 1, InnerJoin: 1, CheckCredit: 1, Decide: 1 },
    });
    const history = await app.query.history(workflowId);
    expect(history.find((e) => e.kind === 'PhaseChanged' && e.data.to === 'InnerJoin')?.data).toMatchObject({
      from: 'join#2',
      path: 'fork#1.1',
    });
    const steps = trail(history);
    expect(count(steps, 'InnerJoin✓')).toBe(1);
    expect(log().count(workflowId, 'InnerJoin')).toBe(1);
    expectJoinedOnce(workflowId, steps);
  }, 60_000);
});
