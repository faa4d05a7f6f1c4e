import { Workflow } from '../definition/workflow';
import type { WorkflowState } from '../state/workflow-state.interface';
import { buildContractsModel } from './build-contracts-model';
import { emitContractsFile } from './emit-contracts-file';
import { renderStateDiagram } from './mermaid-state-diagram';
import { stepNamed } from './testing/sample-workflows';
import { deriveTransitions } from './workflow-transitions';

interface WaitState extends WorkflowState {
  readonly big?: boolean;
}

const Reserve = stepNamed('Reserve');
const Release = stepNamed('Release');
const Escalate = stepNamed('Escalate');
const Revise = stepNamed('Revise');
const Confirm = stepNamed('Confirm');

/** A workflow with every kind of wait: a signal with a timeout path, an approval with a condition and a rejection path, a sleep. */
const waits = Workflow.create<WaitState>('wait-diagram')
  .startWith(Reserve, { compensate: Release })
  .awaitSignal('payment-confirmed', { timeoutMs: 60_000, onTimeout: (b) => b.then(Escalate) })
  .awaitApproval('manager-approval', { when: (s) => s.big === true, onRejection: (r) => r.then(Revise) })
  .sleep(1_000)
  .finally(Confirm);

const source = {
  exportName: 'waits',
  localName: 'waits',
  moduleSpecifier: './wait-diagram.workflow',
  fileName: 'wait-diagram.workflow.ts',
};

describe('waits in the transitions table, the diagram and the contracts', () => {
  const rows = deriveTransitions(waits);

  it('lists the waits as phases with their signal, approval, timeout, timer and cancel outcomes', () => {
    expect(rows).toEqual(
      expect.arrayContaining([
        { from: 'Reserve', on: 'succeeded', to: 'AwaitSignal(payment-confirmed)' },
        { from: 'AwaitSignal(payment-confirmed)', on: 'signal', to: 'AwaitApproval(manager-approval)', when: 's.big === true' },
        { from: 'AwaitSignal(payment-confirmed)', on: 'signal', to: 'Sleep(1000ms)', when: 'not s.big === true' },
        { from: 'AwaitSignal(payment-confirmed)', on: 'timeout', to: 'Escalate' },
        { from: 'AwaitApproval(manager-approval)', on: 'approved', to: 'Sleep(1000ms)' },
        { from: 'AwaitApproval(manager-approval)', on: 'rejected', to: 'Revise' },
        { from: 'Sleep(1000ms)', on: 'timer', to: 'Confirm' },
        { from: 'AwaitSignal(payment-confirmed)', on: 'cancelled', to: 'Compensating' },
      ]),
    );
  });

  it('fails the run on a timeout without onTimeout, through compensation when a step completed', () => {
    const strict = Workflow.create<WaitState>('strict-wait')
      .startWith(Reserve, { compensate: Release })
      .awaitSignal('go', { timeoutMs: 5 })
      .finally(Confirm);
    expect(deriveTransitions(strict)).toContainEqual({
      from: 'AwaitSignal(go)',
      on: 'timeout',
      to: 'Compensating',
      when: 'SIGNAL_TIMEOUT',
    });
  });

  it('draws the waits in the Mermaid diagram under aliases, with their timeout paths', () => {
    const model = buildContractsModel(waits, source);
    const diagram = renderStateDiagram(model);
    expect(diagram).toContain('state "AwaitSignal(payment-confirmed)" as phase_AwaitSignal_payment_confirmed');
    expect(diagram).toContain('phase_AwaitSignal_payment_confirmed --> Escalate: timeout');
    expect(diagram).toContain('phase_AwaitApproval_manager_approval --> Revise: rejected');
    expect(diagram).toContain('phase_Sleep_1000ms --> Confirm: timer');
  });

  it('generates a Signal<Workflow>Command for the signal names only when the workflow has waits', () => {
    const file = emitContractsFile(buildContractsModel(waits, source));
    expect(file).toContain('export class SignalWaitDiagramCommand');
    expect(file).toContain("static readonly signals = ['payment-confirmed', 'manager-approval'] as const;");
    const plain = Workflow.create<WaitState>('no-waits').startWith(Reserve).finally(Confirm);
    expect(emitContractsFile(buildContractsModel(plain, source))).not.toContain('SignalNoWaitsCommand');
  });
});
