import { Reducers } from '../definition/reducers';
import { Workflow } from '../definition/workflow';
import { toWorkflowView } from '../query/workflow-view';
import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { StepClass, WorkflowStep } from '../step/workflow-step.interface';
import { EngineRun as Run } from '../../test/support/engine-run';
import { REDUCER_FAILED, stateFor } from './fork-join';

interface CaseState extends WorkflowState {
  readonly checks?: string[];
  readonly seen?: string;
  readonly rounds?: number;
  readonly approvedBy?: string;
}

function stepNamed(name: string): StepClass<CaseState> {
  @Step({ name, retry: { maxAttempts: 2, initialDelayMs: 10 } })
  class NamedStep implements WorkflowStep<CaseState> {
    execute(): StepResult<CaseState> {
      return StepResult.ok();
    }
  }
  return NamedStep;
}

const [Open, A, UndoA, A2, B1, UndoB1, B2, C, UndoC, InnerJoin, Join, Close] = [
  'Open',
  'A',
  'UndoA',
  'A2',
  'B1',
  'UndoB1',
  'B2',
  'C',
  'UndoC',
  'InnerJoin',
  'Join',
  'Close',
].map(stepNamed);

/** Path 1 runs A, forks into B1 and B2 (joined by InnerJoin), then A2; path 2 runs C. */
const nested = (reducers: Record<string, (a: never, b: never) => unknown> = { checks: Reducers.append }) =>
  Workflow.create<CaseState>('case', { reducers: reducers as never })
    .startWith(Open)
    .fork(
      (p) =>
        p
          .then(A, { compensate: UndoA })
          .fork(
            (q) => q.then(B1, { compensate: UndoB1 }),
            (q) => q.then(B2),
          )
          .join(InnerJoin)
          .then(A2),
      (p) => p.then(C, { compensate: UndoC }),
    )
    .join(Join)
    .finally(Close);

describe('nested forks in the engine', () => {
  it('forks inside a path, joins the nested paths into that path once, then joins the outer fork once', () => {
    const run = new Run(nested())
      .start({ checks: ['id'] })
      .ok('Open')
      .ok('A', { checks: ['a'], seen: 'by-a' });
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['B1', 'B2']);
    expect(run.instance.phase).toBe('Fork(C, B1, B2)');
    expect(toWorkflowView(run.instance).active.map((a) => [a.path, a.step])).toEqual([
      ['fork#1.2', 'C'],
      ['fork#2.1', 'B1'],
      ['fork#2.2', 'B2'],
    ]);
    // A nested path starts from its parent path's state.
    expect(stateFor(run.instance, run.at('B1').commandId)).toMatchObject({ seen: 'by-a' });
    expect(stateFor(run.instance, run.at('C').commandId).seen).toBeUndefined();

    run.ok('B1', { checks: ['b1'] }).ok('C', { checks: ['c'] });
    expect(run.commands().filter((c) => c.startsWith('InnerJoin') || c.startsWith('Join'))).toEqual([]);
    run.ok('B2', { checks: ['b2'] });
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['InnerJoin']);
    expect(run.at('InnerJoin').path).toBe('fork#1.1');
    expect(run.instance.fork!.paths.map((p) => p.path)).toEqual(['fork#1.1', 'fork#1.2']);
    expect(stateFor(run.instance, run.at('InnerJoin').commandId).checks).toEqual(['a', 'b1', 'b2']);

    run.ok('InnerJoin').ok('A2');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Join']);
    expect(run.instance.state.checks).toEqual(['id', 'a', 'b1', 'b2', 'c']);
    run.ok('Join').ok('Close');
    expect(run.instance.status).toBe('completed');
    for (const step of ['InnerJoin', 'Join']) expect(run.commands().filter((c) => c === `${step}/forward`)).toHaveLength(1);
  });

  it('stops every path of every level when a nested path fails, then compensates them all in reverse order', () => {
    const run = new Run(nested()).start().ok('Open').ok('C').ok('A').ok('B1');
    run.fail('B2', 'B2_REFUSED');
    expect(run.instance.error).toMatchObject({ code: 'B2_REFUSED', step: 'B2', path: 'fork#2.2' });
    expect(run.instance.fork).toBeUndefined();
    expect(run.last.commands.map((c) => `${c.command.step}/${c.command.role}`)).toEqual(['UndoB1/compensation']);
    run.ok('UndoB1').ok('UndoA').ok('UndoC');
    expect(run.instance.status).toBe('compensated');
    expect(run.commands().filter((c) => c.startsWith('InnerJoin') || c.startsWith('Join'))).toEqual([]);
  });

  it('cancels inside a nested fork: a started nested step finishes first, the others stop at once', () => {
    const run = new Run(nested()).start().ok('Open').ok('A').started('B1');
    run.cancel();
    expect(run.active()).toEqual(['B1']);
    run.ok('B1');
    expect(run.last.commands.map((c) => `${c.command.step}/${c.command.role}`)).toEqual(['UndoB1/compensation']);
    run.ok('UndoB1').ok('UndoA');
    expect(run.instance.status).toBe('cancelled');
  });

  it('fails the run with REDUCER_FAILED at the nested join, naming it and the parent path', () => {
    const throwing = {
      checks: () => {
        throw new Error('no merge');
      },
    };
    const run = new Run(nested(throwing))
      .start()
      .ok('Open')
      .ok('C')
      .ok('A')
      .ok('B1', { checks: ['x'] })
      .ok('B2');
    expect(run.instance.error).toMatchObject({ code: REDUCER_FAILED, step: 'join#2', path: 'fork#1.1' });
    expect(run.last.commands.map((c) => `${c.command.step}/${c.command.role}`)).toEqual(['UndoB1/compensation']);
  });

  it('forks again on every pass of a loop inside a path', () => {
    const definition = Workflow.create<CaseState>('case-loop')
      .startWith(Open)
      .fork(
        (p) =>
          p.repeatUntil(
            (s) => (s.rounds ?? 0) >= 2,
            'rounds',
            (l) =>
              l
                .fork(
                  (q) => q.then(B1),
                  (q) => q.then(B2),
                )
                .join(InnerJoin),
            { maxIterations: 3 },
          ),
        (p) => p.then(C),
      )
      .join(Join)
      .finally(Close);
    const run = new Run(definition).start().ok('Open').ok('C');
    run.ok('B1').ok('B2').ok('InnerJoin', { rounds: 1 });
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['B1', 'B2']);
    expect(run.at('B1').iterations).toEqual([{ loop: 'rounds', iteration: 2 }]);
    run.ok('B1').ok('B2').ok('InnerJoin', { rounds: 2 });
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['Join']);
    run.ok('Join').ok('Close');
    expect(run.instance.status).toBe('completed');
  });

  it('parks a nested path at a wait and applies its signal to that path', () => {
    const definition = Workflow.create<CaseState>('case-wait')
      .startWith(Open)
      .fork(
        (p) =>
          p
            .fork(
              (q) => q.then(B1).awaitSignal<{ by: string }>('sign-off', { apply: (s, d) => ({ approvedBy: d.by }) }),
              (q) => q.then(B2),
            )
            .join(InnerJoin),
        (p) => p.then(C),
      )
      .join(Join)
      .finally(Close);
    const run = new Run(definition).start().ok('Open').ok('C').ok('B1').ok('B2');
    expect(toWorkflowView(run.instance).active).toEqual([expect.objectContaining({ path: 'fork#2.1', waitingFor: 'sign-off' })]);
    expect(run.signal('sign-off', { by: 'ana' })).toBe('applied');
    expect(run.last.commands.map((c) => c.command.step)).toEqual(['InnerJoin']);
    run.ok('InnerJoin');
    expect(run.instance.state.approvedBy).toBe('ana');
  });
});
