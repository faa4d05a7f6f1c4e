import { Reducers } from '../definition/reducers';
import { Workflow } from '../definition/workflow';
import { toWorkflowView } from '../query/workflow-view';
import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { StepClass, WorkflowStep } from '../step/workflow-step.interface';
import { REDUCER_FAILED, stateFor } from './fork-join';
import { EngineRun as Run } from '../../test/support/engine-run';

interface LoanState extends WorkflowState {
  readonly checks?: string[];
  readonly scores?: Record<string, number>;
  readonly decision?: string;
  readonly band?: 'low' | 'high';
  readonly total?: number;
  readonly done?: boolean;
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

const [Score, Fraud, Reserve, Release, Credit, Decide, Letter, Notify, Review, Hold, Unhold, Tally] = [
  'Score',
  'Fraud',
  'Reserve',
  'Release',
  'Credit',
  'Decide',
  'Letter',
  'Notify',
  'Review',
  'Hold',
  'Unhold',
  'Tally',
].map(stepNamed);

const loan = () =>
  Workflow.create<LoanState>('loan', { reducers: { checks: Reducers.append, scores: Reducers.merge, total: (a, b) => a + b } })
    .startWith(Score)
    .fork(
      (p) => p.then(Fraud),
      (p) => p.then(Reserve, { compensate: Release }).then(Credit),
    )
    .join(Decide)
    .onFailure(Notify)
    .finally(Letter);

describe('fork and join in the engine', () => {
  it('publishes the first command of every path in one transition and shows each path', () => {
    const run = new Run(loan()).start().ok('Score');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Fraud', 'Reserve']);
    expect(run.instance.phase).toBe('Fork(Fraud, Reserve)');
    expect(run.instance.cursor).toBeNull();
    const view = toWorkflowView(run.instance);
    expect(view.active.map((a) => [a.path, a.step, a.attempt])).toEqual([
      ['fork#1.1', 'Fraud', 1],
      ['fork#1.2', 'Reserve', 1],
    ]);
    expect(run.events('PhaseChanged').slice(-2)).toEqual([
      { from: 'Score', to: 'Fraud', path: 'fork#1.1' },
      { from: 'Score', to: 'Reserve', path: 'fork#1.2' },
    ]);
  });

  it('runs the join once, after the last path, on the patches merged with the reducers', () => {
    const run = new Run(loan()).start({ checks: ['id'], scores: { base: 1 }, total: 10, decision: 'none' }).ok('Score');
    run.ok('Reserve', { checks: ['funds'], total: 5, decision: 'from-path-2' });
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Credit']);
    // Each path sees the state at the fork plus its own patch only.
    expect(stateFor(run.instance, run.at('Credit').commandId)).toMatchObject({ checks: ['funds'], total: 5 });
    expect(stateFor(run.instance, run.at('Fraud').commandId)).toMatchObject({ checks: ['id'], total: 10 });
    expect(run.instance.state).toMatchObject({ checks: ['id'], total: 10 });
    run.ok('Fraud', { checks: ['fraud'], scores: { fraud: 3 }, total: 1, decision: 'from-path-1' });
    expect(run.commands().filter((c) => c.startsWith('Decide'))).toEqual([]);
    expect(run.instance.phase).toBe('Fork(Credit)');
    run.ok('Credit', { scores: { credit: 700 } });
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Decide']);
    expect(run.instance.fork).toBeUndefined();
    expect(run.instance.state).toEqual({
      workflowId: 'wf-1',
      checks: ['id', 'fraud', 'funds'],
      scores: { base: 1, fraud: 3, credit: 700 },
      total: 16,
      decision: 'from-path-2',
    });
    run.ok('Decide').ok('Letter');
    expect(run.instance.status).toBe('completed');
    expect(run.commands().filter((c) => c === 'Decide/forward')).toHaveLength(1);
    expect(run.events('StepCompleted').map((d) => [d.step, d.path ?? 'main'])).toEqual([
      ['Score', 'main'],
      ['Reserve', 'fork#1.2'],
      ['Fraud', 'fork#1.1'],
      ['Credit', 'fork#1.2'],
      ['Decide', 'main'],
      ['Letter', 'main'],
    ]);
  });

  it('ignores a duplicate of a path command that was already applied', () => {
    const run = new Run(loan()).start().ok('Score');
    const fraud = run.at('Fraud');
    run.ok('Fraud');
    expect(run.engine.isCurrent(run.instance, { messageId: fraud.commandId, step: 'Fraud', role: 'forward' })).toBe(false);
    expect(run.active()).toEqual(['Reserve']);
  });

  it('retries a path step on its own path', () => {
    const run = new Run(loan()).start().ok('Score');
    run.outcome('Fraud', { kind: 'errored', message: 'boom', timedOut: false });
    expect(run.at('Fraud').attempt).toBe(2);
    expect(run.at('Fraud').path).toBe('fork#1.1');
    expect(run.events('StepFailed')).toEqual([expect.objectContaining({ step: 'Fraud', willRetry: true, path: 'fork#1.1' })]);
    expect(run.active()).toEqual(['Fraud', 'Reserve']);
  });

  it('fails the run with REDUCER_FAILED when a reducer throws, then compensates', () => {
    const definition = Workflow.create<LoanState>('loan', {
      reducers: {
        total: () => {
          throw new Error('no totals');
        },
      },
    })
      .startWith(Score)
      .fork(
        (p) => p.then(Reserve, { compensate: Release }),
        (p) => p.then(Fraud),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').ok('Reserve', { total: 1 }).ok('Fraud');
    expect(run.instance.error).toMatchObject({ code: REDUCER_FAILED, step: 'join#1', details: { key: 'total' } });
    expect(run.at('Release').role).toBe('compensation');
    run.ok('Release');
    expect(run.instance.status).toBe('compensated');
  });

  it('stops the other paths at their step boundary when a path fails, then compensates every path in reverse order of completion', () => {
    const definition = Workflow.create<LoanState>('loan')
      .startWith(Score)
      .then(Hold, { compensate: Unhold })
      .fork(
        (p) => p.then(Reserve, { compensate: Release }).then(Credit),
        (p) => p.then(Fraud),
        (p) => p.then(Review, { compensate: Tally }).then(Decide),
      )
      .join(stepNamed('Join'))
      .onFailure(Notify)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').ok('Hold');
    run.ok('Reserve'); // path 1 moves on to Credit (not started)
    run.started('Review'); // path 3's step is in flight
    run.fail('Fraud', 'FRAUD');
    expect(run.instance.error).toMatchObject({ code: 'FRAUD', step: 'Fraud', path: 'fork#1.2' });
    // Credit had not started: stopped now; Review is in flight: the run waits for it.
    expect(run.active()).toEqual(['Review']);
    expect(run.last.commands).toEqual([]);
    run.ok('Review');
    // Review completed and is recorded; Decide never starts; compensation in reverse order of completion.
    expect(run.commands()).not.toContain('Decide/forward');
    expect(run.commands().filter((c) => c === 'Credit/forward')).toHaveLength(1);
    expect(run.events('Compensating')).toEqual([expect.objectContaining({ steps: ['Tally', 'Release', 'Unhold'] })]);
    run.ok('Tally').ok('Release').ok('Unhold');
    expect(run.at('Notify').role).toBe('onFailure');
    run.ok('Notify');
    expect(run.instance.status).toBe('compensated');
    expect(run.instance.completedSteps).toEqual(['Score', 'Hold', 'Reserve', 'Review']);
    expect(() =>
      run.engine.retry(definition, run.instance, { now: new Date(), newId: () => 'x', random: () => 0, causationId: 'c' }),
    ).toThrow();
  });

  it('treats a path step that times out on every attempt like a failure: STEP_EXHAUSTED, the other paths stop, compensation', () => {
    const run = new Run(loan()).start().ok('Score').ok('Reserve').started('Fraud');
    run.outcome('Credit', { kind: 'errored', message: 'timed out', timedOut: true });
    run.outcome('Credit', { kind: 'errored', message: 'timed out', timedOut: true });
    expect(run.instance.error).toMatchObject({ code: 'STEP_EXHAUSTED', step: 'Credit', path: 'fork#1.2' });
    expect(run.active()).toEqual(['Fraud']);
    // Fraud was in flight: its failed attempt is recorded and not retried while the fork stops.
    run.outcome('Fraud', { kind: 'errored', message: 'boom', timedOut: false });
    expect(run.events('StepFailed').at(-1)).toMatchObject({ step: 'Fraud', willRetry: false, path: 'fork#1.1' });
    expect(run.at('Release').role).toBe('compensation');
    run.ok('Release').ok('Notify');
    expect(run.instance.status).toBe('compensated');
  });

  it('cancels inside a fork: unstarted paths stop at once, in-flight ones finish, then compensation and cancelled', () => {
    const run = new Run(loan()).start().ok('Score').started('Reserve');
    run.cancel();
    expect(run.active()).toEqual(['Reserve']);
    expect(() => run.cancel()).toThrow(/already/);
    run.ok('Reserve');
    expect(run.at('Release').role).toBe('compensation');
    run.ok('Release');
    expect(run.instance.status).toBe('cancelled');
    expect(run.commands()).not.toContain('Credit/forward');
  });

  it('cancels at once when no path step has started', () => {
    const run = new Run(loan()).start().ok('Score').cancel();
    expect(run.instance.status).toBe('cancelled');
    expect(run.instance.fork).toBeUndefined();
  });

  it('runs a branch inside a path on the path state', () => {
    const definition = Workflow.create<LoanState>('loan')
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud).branch((s) => s.band ?? 'low', { low: (b) => b.then(Credit), high: (b) => b.then(Review) }),
        (p) => p.then(Reserve),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start({ band: 'low' }).ok('Score').ok('Fraud', { band: 'high' });
    expect(run.active()).toEqual(['Review', 'Reserve']);
    run.ok('Reserve').ok('Review').ok('Decide').ok('Letter');
    expect(run.instance.status).toBe('completed');
    expect(run.instance.state.band).toBe('high');
  });

  it('runs a fork inside a branch case and inside a loop, each pass joined once', () => {
    const definition = Workflow.create<LoanState>('loan', { reducers: { total: (a, b) => (a ?? 0) + b } })
      .startWith(Score)
      .branch((s) => s.band ?? 'low', {
        low: (b) => b.then(Review),
        high: (b) =>
          b.repeatUntil(
            (s) => (s.total ?? 0) >= 4,
            'rounds',
            (r) =>
              r
                .fork(
                  (p) => p.then(Fraud),
                  (p) => p.then(Reserve),
                )
                .join(Decide),
            { maxIterations: 5 },
          ),
      })
      .finally(Letter);
    const run = new Run(definition).start({ band: 'high', total: 0 }).ok('Score');
    for (let pass = 1; pass <= 2; pass++) {
      expect(run.at('Fraud').iterations).toEqual([{ loop: 'rounds', iteration: pass }]);
      run.ok('Fraud', { total: 1 }).ok('Reserve', { total: 1 }).ok('Decide');
    }
    expect(run.active()).toEqual(['Letter']);
    expect(run.instance.state.total).toBe(4);
    expect(run.commands().filter((c) => c === 'Decide/forward')).toHaveLength(2);
  });

  it('keeps a signal received inside a fork for a wait after the join', () => {
    const definition = Workflow.create<LoanState>('loan', { reducers: { checks: Reducers.append } })
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud),
        (p) => p.then(Reserve),
      )
      .join(Decide)
      .awaitSignal('go', { apply: () => ({ decision: 'go' }) })
      .finally(Letter);
    const run = new Run(definition).start().ok('Score');
    expect(run.signal('go')).toBe('stored');
    expect(run.instance.fork).toBeDefined();
    expect(run.instance.control?.pendingSignals?.map((signal) => signal.name)).toEqual(['go']);
    run.ok('Fraud').ok('Reserve').ok('Decide');
    expect(run.active()).toEqual(['Letter']);
    expect(run.instance.state.decision).toBe('go');
    expect(run.instance.control?.pendingSignals ?? []).toEqual([]);
  });

  it('cancels a run whose deadline passes inside a fork: in-flight paths finish, then compensation and DEADLINE_EXCEEDED', () => {
    const definition = Workflow.create<LoanState>('loan', { deadlineMs: 60_000 })
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud),
        (p) => p.then(Reserve, { compensate: Release }).then(Credit),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').started('Reserve');
    run.timer(run.instance.control!.deadline!.timerId);
    expect(run.instance.cancelReason).toBe('DEADLINE_EXCEEDED');
    expect(run.active()).toEqual(['Reserve']);
    run.ok('Reserve');
    expect(run.at('Release').role).toBe('compensation');
    run.ok('Release');
    expect(run.instance.status).toBe('cancelled');
    expect(run.instance.error?.code).toBe('DEADLINE_EXCEEDED');
    expect(run.commands()).not.toContain('Credit/forward');
    expect(run.commands()).not.toContain('Decide/forward');
  });

  it('goes on from fork to join to finally', () => {
    const definition = Workflow.create<LoanState>('loan')
      .startWith(Score)
      .fork(
        (p) => p.then(Fraud),
        (p) => p.then(Reserve),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score').ok('Reserve').ok('Fraud').ok('Decide').ok('Letter');
    expect(run.instance.status).toBe('completed');
  });

  it('starts no other path when a path fails as the fork is entered', () => {
    const definition = Workflow.create<LoanState>('loan')
      .startWith(Score, { compensate: Release })
      .fork(
        (p) => p.validateState((s) => s.done === true, 'NOT_DONE', 'done must be true').then(Fraud),
        (p) => p.then(Credit),
      )
      .join(Decide)
      .finally(Letter);
    const run = new Run(definition).start().ok('Score');
    expect(run.instance.error).toMatchObject({ code: 'NOT_DONE', path: 'fork#1.1' });
    expect(run.last.commands.map((c) => `${c.command.step}/${c.command.role}`)).toEqual(['Release/compensation']);
  });
});
