import { Workflow } from '../definition/workflow';
import type { WorkflowState } from '../state/workflow-state.interface';
import { buildContractsModel } from './build-contracts-model';
import { emitContractsFile } from './emit-contracts-file';
import { renderStateDiagram } from './mermaid-state-diagram';
import { stepNamed } from './testing/sample-workflows';
import { deriveTransitions } from './workflow-transitions';

interface LoanState extends WorkflowState {
  readonly approvedBy?: string;
}

/** A fork whose first path waits for a manager's signal (with a timeout path) and whose second path sleeps. */
const forkWithWaits = Workflow.create<LoanState>('loan-waits')
  .startWith(stepNamed('Score'))
  .fork(
    (p) =>
      p.then(stepNamed('CheckFraud')).awaitSignal<{ by: string }>('manager-approval', {
        apply: (s, d) => ({ approvedBy: d.by }),
        timeoutMs: 60_000,
        onTimeout: (t) => t.then(stepNamed('Escalate')),
      }),
    (p) =>
      p
        .then(stepNamed('ReserveFunds'), { compensate: stepNamed('ReleaseFunds') })
        .sleep(1_000)
        .then(stepNamed('CheckCredit')),
  )
  .join(stepNamed('Decide'))
  .finally(stepNamed('Letter'));

const source = {
  exportName: 'forkWithWaits',
  localName: 'forkWithWaits',
  moduleSpecifier: './loan.workflow',
  fileName: 'loan.workflow.ts',
};

describe('waits inside fork paths in the transitions table, the diagram and the contracts', () => {
  it('lists a path wait between its path step and the join', () => {
    expect(deriveTransitions(forkWithWaits)).toEqual(
      expect.arrayContaining([
        { from: 'CheckFraud', on: 'succeeded', to: 'AwaitSignal(manager-approval)' },
        { from: 'AwaitSignal(manager-approval)', on: 'timeout', to: 'Escalate' },
        { from: 'ReserveFunds', on: 'succeeded', to: 'Sleep(1000ms)' },
        { from: 'Sleep(1000ms)', on: 'timer', to: 'CheckCredit' },
      ]),
    );
  });

  it('draws the path waits inside the fork, from the path step to the join', () => {
    const lines = renderStateDiagram(buildContractsModel(forkWithWaits, source)).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '    fork_1 --> CheckFraud',
        '    CheckFraud --> phase_AwaitSignal_manager_approval: succeeded',
        '    phase_AwaitSignal_manager_approval --> join_1: signal',
        '    phase_AwaitSignal_manager_approval --> Escalate: timeout',
        '    Escalate --> join_1: succeeded',
        '    ReserveFunds --> phase_Sleep_1000ms: succeeded',
        '    phase_Sleep_1000ms --> CheckCredit: timer',
        '    CheckCredit --> join_1: succeeded',
        '    join_1 --> Decide',
      ]),
    );
  });

  it("counts the other paths' compensable steps when a path fails or times out, and retries no path step", () => {
    const rows = deriveTransitions(forkWithWaits);
    // ReserveFunds (the other path) may have completed when the signal wait is cancelled or CheckFraud fails.
    expect(rows).toEqual(
      expect.arrayContaining([
        { from: 'CheckFraud', on: 'failed', to: 'Compensating', when: 'something to undo' },
        { from: 'AwaitSignal(manager-approval)', on: 'cancelled', to: 'Compensating', when: 'something to undo' },
      ]),
    );
    // Every path completed before the join: ReserveFunds is always to undo after it.
    expect(rows).toContainEqual({ from: 'Decide', on: 'failed', to: 'Compensating' });
    const retried = rows.filter((r) => r.on === 'retried').map((r) => r.to);
    expect(retried).toContain('Score');
    for (const step of ['CheckFraud', 'Escalate', 'ReserveFunds', 'CheckCredit', 'Decide']) expect(retried).not.toContain(step);
  });

  it('draws what the engine does when a path fails while another path has a step in flight', () => {
    const rows = deriveTransitions(forkWithWaits);
    // The failing path skips compensation only when no other path's step can still complete...
    expect(rows).toContainEqual({ from: 'CheckFraud', on: 'failed', to: 'Compensating', when: 'something to undo' });
    expect(rows).toContainEqual({
      from: 'CheckFraud',
      on: 'failed',
      to: 'Failed',
      when: 'nothing to undo and no other path step in flight',
    });
    expect(rows).not.toContainEqual({ from: 'CheckFraud', on: 'failed', to: 'Failed', when: 'nothing to undo' });
    // ...for a step in flight finishes, is recorded, and is undone with what the other paths completed.
    expect(rows).toContainEqual({ from: 'ReserveFunds', on: 'succeeded', to: 'Compensating', when: 'another path failed' });
    // CheckCredit runs after ReserveFunds on its path: something is always to undo then.
    expect(rows).toContainEqual({ from: 'CheckCredit', on: 'succeeded', to: 'Compensating', when: 'another path failed' });
    // CheckFraud has no compensation: it is undone with the others only when something completed.
    expect(rows).toContainEqual({ from: 'CheckFraud', on: 'succeeded', to: 'Failed', when: 'another path failed and nothing to undo' });
    // Steps outside the fork keep their rows.
    expect(rows.filter((r) => r.when?.includes('another path failed')).map((r) => r.from)).not.toContain('Decide');
  });

  it("generates the Signal command for a path wait's signal", () => {
    const file = emitContractsFile(buildContractsModel(forkWithWaits, source));
    expect(file).toContain('export class SignalLoanWaitsCommand');
    expect(file).toContain("static readonly signals = ['manager-approval'] as const;");
  });
});

describe('a fork inside a fork path in the diagram', () => {
  const nested = Workflow.create<LoanState>('nested-fork')
    .startWith(stepNamed('Open'))
    .fork(
      (p) =>
        p
          .then(stepNamed('A'))
          .fork(
            (q) => q.then(stepNamed('B1')),
            (q) => q.then(stepNamed('B2')),
          )
          .join(stepNamed('InnerJoin'))
          .then(stepNamed('A2')),
      (p) => p.then(stepNamed('C')),
    )
    .join(stepNamed('Join'))
    .finally(stepNamed('Close'));

  it('draws the nested <<fork>> and <<join>> inside the outer path', () => {
    const lines = renderStateDiagram(buildContractsModel(nested, { ...source, exportName: 'nested', localName: 'nested' })).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '    state fork_2 <<fork>>',
        '    state join_2 <<join>>',
        '    fork_1 --> A',
        '    fork_1 --> C',
        '    A --> fork_2: succeeded',
        '    fork_2 --> B1',
        '    fork_2 --> B2',
        '    B1 --> join_2: succeeded',
        '    B2 --> join_2: succeeded',
        '    join_2 --> InnerJoin',
        '    InnerJoin --> A2: succeeded',
        '    A2 --> join_1: succeeded',
        '    C --> join_1: succeeded',
        '    join_1 --> Join',
      ]),
    );
  });
});
