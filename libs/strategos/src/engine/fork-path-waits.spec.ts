import { Reducers } from '../definition/reducers';
import { Workflow } from '../definition/workflow';
import { toWorkflowView } from '../query/workflow-view';
import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { StepClass, WorkflowStep } from '../step/workflow-step.interface';
import { EngineRun as Run } from '../../test/support/engine-run';
import { stateFor } from './fork-join';
import { APPROVAL_REJECTED, SIGNAL_TIMEOUT } from './wait-codes';

interface LoanState extends WorkflowState {
  readonly checks?: string[];
  readonly approvedBy?: string;
  readonly holdUntil?: string;
  readonly escalated?: boolean;
}

function stepNamed(name: string): StepClass<LoanState> {
  @Step({ name, retry: { maxAttempts: 2, initialDelayMs: 10 } })
  class NamedStep implements WorkflowStep<LoanState> {
    execute(): StepResult<LoanState> {
      return StepResult.ok();
    }
  }
  return NamedStep;
}

const [Score, Fraud, Reserve, Release, Credit, Decide, Letter, Escalate, Hold] = [
  'Score',
  'Fraud',
  'Reserve',
  'Release',
  'Credit',
  'Decide',
  'Letter',
  'Escalate',
  'Hold',
].map(stepNamed);

/** Path 1 checks fraud, then waits for a manager's signal; path 2 reserves funds (compensable) and checks credit. */
const approvalInPath = (options: { timeoutMs?: number; onTimeout?: boolean } = {}) =>
  Workflow.create<LoanState>('loan', { reducers: { checks: Reducers.append } })
    .startWith(Score)
    .fork(
      (p) =>
        p.then(Fraud).awaitSignal<{ by: string }>('manager-approval', {
          apply: (s, d) => ({ approvedBy: d.by }),
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          ...(options.onTimeout ? { onTimeout: (t) => t.then(Escalate) } : {}),
        }),
      (p) => p.then(Reserve, { compensate: Release }).then(Credit),
    )
    .join(Decide)
    .finally(Letter);

describe('waits inside fork paths', () => {
  it('parks the path at its signal while the other path runs, applies the signal to that path and joins once', () => {
    const run = new Run(approvalInPath())
      .start({ checks: ['id'] })
      .ok('Score')
      .ok('Fraud', { checks: ['fraud'] });
    expect(run.last.commands).toEqual([]);
    expect(run.instance.phase).toBe('Fork(AwaitSignal(manager-approval), Reserve)');
    expect(run.events('Waiting')).toEqual([{ node: 'signal:manager-approval', waitingFor: 'manager-approval', path: 'fork#1.1' }]);
    const view = toWorkflowView(run.instance);
    expect(view.active.map((a) => [a.path, a.step, a.waitingFor ?? null])).toEqual([
      ['fork#1.1', 'AwaitSignal(manager-approval)', 'manager-approval'],
      ['fork#1.2', 'Reserve', null],
    ]);

    run.ok('Reserve').ok('Credit', { checks: ['credit'] });
    expect(run.commands().filter((c) => c.startsWith('Decide'))).toEqual([]);
    expect(run.instance.phase).toBe('Fork(AwaitSignal(manager-approval))');

    expect(run.signal('manager-approval', { by: 'ana' })).toBe('applied');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Decide']);
    expect(run.instance.fork).toBeUndefined();
    expect(run.instance.state).toEqual({ workflowId: 'wf-1', checks: ['id', 'fraud', 'credit'], approvedBy: 'ana' });
    run.ok('Decide').ok('Letter');
    expect(run.instance.status).toBe('completed');
    expect(run.commands().filter((c) => c === 'Decide/forward')).toHaveLength(1);
  });

  it('names the fork path that consumed a signal in SignalReceived, and no path for a signal it stored', () => {
    const run = new Run(approvalInPath()).start().ok('Score');
    run.signal('manager-approval', { by: 'early' });
    expect(run.events('SignalReceived')).toEqual([
      { signal: 'manager-approval', signalId: expect.any(String), payload: { by: 'early' }, stored: true },
    ]);
    const parked = new Run(approvalInPath()).start().ok('Score').ok('Fraud');
    parked.signal('manager-approval', { by: 'ana' });
    expect(parked.events('SignalReceived')).toEqual([
      { signal: 'manager-approval', signalId: expect.any(String), payload: { by: 'ana' }, stored: false, path: 'fork#1.1' },
    ]);
  });

  it('keeps a signal sent before the path reaches its wait and applies it when the path gets there', () => {
    const run = new Run(approvalInPath()).start().ok('Score');
    expect(run.signal('manager-approval', { by: 'ana' })).toBe('stored');
    expect(run.instance.control?.pendingSignals).toHaveLength(1);
    run.ok('Fraud');
    expect(run.instance.control?.pendingSignals).toEqual([]);
    expect(run.events('Waiting')).toEqual([]);
    expect(run.events('PhaseChanged').at(-1)).toMatchObject({ from: 'Fraud', to: 'AwaitSignal(manager-approval)', path: 'fork#1.1' });
    expect(run.instance.fork!.paths[0]).toMatchObject({ done: true, cursor: null, patch: { approvedBy: 'ana' } });
    run.ok('Reserve').ok('Credit');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Decide']);
    expect(run.instance.state.approvedBy).toBe('ana');
  });

  it('keeps a signal sent before the fork for the path that waits for it', () => {
    const run = new Run(approvalInPath()).start();
    expect(run.signal('manager-approval', { by: 'bo' })).toBe('stored');
    run.ok('Score').ok('Fraud').ok('Reserve').ok('Credit');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Decide']);
    expect(run.instance.state.approvedBy).toBe('bo');
  });

  it("applies a signal's patch to its path only until the join", () => {
    const run = new Run(approvalInPath()).start().ok('Score').ok('Fraud');
    run.signal('manager-approval', { by: 'ana' });
    expect(run.instance.state.approvedBy).toBeUndefined();
    expect(stateFor(run.instance, run.at('Reserve').commandId).approvedBy).toBeUndefined();
  });

  it('sleeps on a path with a durable timer, shows when it wakes and goes on when it fires', () => {
    const definition = Workflow.create<LoanState>('loan')
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud).sleep(60_000).then(Hold),
        (p) => p.then(Credit),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').ok('Fraud');
    const [timer] = run.last.timers!;
    expect(timer).toMatchObject({ purpose: 'wait', dueAt: '2030-01-01T00:01:00.000Z' });
    const waiting = toWorkflowView(run.instance).active.find((a) => a.path === 'fork#1.1');
    expect(waiting).toMatchObject({ step: 'Sleep(60000ms)', waitingFor: 'timer', wakesAt: new Date('2030-01-01T00:01:00.000Z') });
    run.ok('Credit');
    run.timer(timer.timerId);
    expect(run.events('TimerFired')).toEqual([
      { timerId: timer.timerId, purpose: 'sleep', node: 'sleep#1', dueAt: '2030-01-01T00:01:00.000Z', path: 'fork#1.1' },
    ]);
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Hold']);
    run.ok('Hold');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Decide']);
  });

  it("evaluates a path's sleepUntil on the path's state", () => {
    const definition = Workflow.create<LoanState>('loan')
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud).sleepUntil((s) => new Date(s.holdUntil!)),
        (p) => p.then(Credit),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').ok('Fraud', { holdUntil: '2030-01-02T00:00:00.000Z' });
    expect(run.last.timers).toEqual([expect.objectContaining({ dueAt: '2030-01-02T00:00:00.000Z' })]);
  });

  it('times a path wait out to its onTimeout, which rejoins the path before the join', () => {
    const run = new Run(approvalInPath({ timeoutMs: 1_000, onTimeout: true })).start().ok('Score').ok('Fraud');
    const [timer] = run.last.timers!;
    run.timer(timer.timerId);
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Escalate']);
    expect(run.events('TimerFired').at(-1)).toMatchObject({ purpose: 'timeout', path: 'fork#1.1' });
    run.ok('Escalate', { escalated: true }).ok('Reserve').ok('Credit');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Decide']);
    expect(run.instance.state.escalated).toBe(true);
  });

  it('fails the run with SIGNAL_TIMEOUT on a path wait without onTimeout: the other path stops, then compensation', () => {
    const run = new Run(approvalInPath({ timeoutMs: 1_000 })).start().ok('Score').ok('Fraud').ok('Reserve');
    run.started('Credit');
    run.timer(run.transitions[2].timers![0].timerId);
    expect(run.instance.error).toMatchObject({ code: SIGNAL_TIMEOUT, step: 'signal:manager-approval', path: 'fork#1.1' });
    expect(run.instance.fork!.stopping).toBe(true);
    expect(run.active()).toEqual(['Credit']);
    run.ok('Credit');
    expect(run.last.commands.map((c) => `${c.command.step}/${c.command.role}`)).toEqual(['Release/compensation']);
    run.ok('Release');
    expect(run.instance.status).toBe('compensated');
    expect(run.commands().filter((c) => c.startsWith('Decide'))).toEqual([]);
  });

  it('stops a waiting path at once on cancel and ignores its timer afterwards', () => {
    const run = new Run(approvalInPath({ timeoutMs: 1_000 })).start().ok('Score').ok('Fraud').ok('Reserve');
    const timerId = run.transitions[2].timers![0].timerId;
    run.cancel();
    expect(run.instance.fork).toBeUndefined();
    expect(run.last.commands.map((c) => `${c.command.step}/${c.command.role}`)).toEqual(['Release/compensation']);
    run.timer(timerId);
    expect(run.last.events.map((e) => e.data)).toEqual([expect.objectContaining({ ignored: true })]);
    run.ok('Release');
    expect(run.instance.status).toBe('cancelled');
  });

  it('fails the path on a rejected approval without onRejection', () => {
    const definition = Workflow.create<LoanState>('loan')
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud).awaitApproval('limit'),
        (p) => p.then(Reserve, { compensate: Release }),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').ok('Reserve').ok('Fraud');
    expect(run.signal('limit', { approved: false, by: 'ana' })).toBe('applied');
    expect(run.instance.error).toMatchObject({ code: APPROVAL_REJECTED, path: 'fork#1.1' });
    expect(run.last.commands.map((c) => `${c.command.step}/${c.command.role}`)).toEqual(['Release/compensation']);
  });

  it('skips a path wait whose when does not hold on the path state', () => {
    const definition = Workflow.create<LoanState>('loan')
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud).awaitSignal('manager-approval', { when: (s) => s.escalated === true }),
        (p) => p.then(Credit),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').ok('Fraud').ok('Credit');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Decide']);
  });

  it('cancels a run whose path waits when its deadline passes (DEADLINE_EXCEEDED), then compensates', () => {
    const definition = Workflow.create<LoanState>('loan', { deadlineMs: 60_000 })
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud).awaitSignal('manager-approval'),
        (p) => p.then(Reserve, { compensate: Release }),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').ok('Fraud').ok('Reserve');
    expect(run.active()).toEqual(['AwaitSignal(manager-approval)']);
    run.timer(run.instance.control!.deadline!.timerId);
    expect(run.instance).toMatchObject({ cancelReason: 'DEADLINE_EXCEEDED', error: { code: 'DEADLINE_EXCEEDED' } });
    expect(run.last.commands.map((c) => `${c.command.step}/${c.command.role}`)).toEqual(['Release/compensation']);
    run.ok('Release');
    expect(run.instance.status).toBe('cancelled');
  });

  it('lets exactly one of a path wait signal and its timeout move the path: the loser is ignored or kept', () => {
    const signalFirst = new Run(approvalInPath({ timeoutMs: 1_000, onTimeout: true })).start().ok('Score').ok('Fraud');
    const timerId = signalFirst.last.timers![0].timerId;
    expect(signalFirst.signal('manager-approval', { by: 'ana' })).toBe('applied');
    signalFirst.timer(timerId);
    expect(signalFirst.last.events.map((e) => e.data)).toEqual([expect.objectContaining({ timerId, ignored: true })]);
    expect(signalFirst.commands()).not.toContain('Escalate/forward');

    const timeoutFirst = new Run(approvalInPath({ timeoutMs: 1_000, onTimeout: true })).start().ok('Score').ok('Fraud');
    timeoutFirst.timer(timeoutFirst.last.timers![0].timerId);
    expect(timeoutFirst.signal('manager-approval', { by: 'late' })).toBe('stored');
    timeoutFirst.ok('Escalate').ok('Reserve').ok('Credit');
    expect(timeoutFirst.instance.state.approvedBy).toBeUndefined();
  });
});
