import { buildContractsModel } from './build-contracts-model';
import type { DefinitionSource } from './contracts-model';
import { renderStateDiagram } from './mermaid-state-diagram';
import { Workflow } from '../definition/workflow';
import { PROCESS_ORDER_SHAPE, sampleWorkflow, stepNamed, type SampleWorkflowShape } from './testing/sample-workflows';

interface KindState {
  readonly workflowId: string;
  readonly kind: 'physical' | 'digital';
  readonly done?: boolean;
}

/** Validate (compensable), then a branch on kind inside a loop, then Confirm. */
function branchingWorkflow() {
  return Workflow.create<KindState>('branching')
    .startWith(stepNamed('Validate'), { compensate: stepNamed('Unvalidate') })
    .repeatUntil(
      (s) => s.done === true,
      'collect',
      (b) =>
        b.branch((s) => s.kind, {
          physical: (c) => c.then(stepNamed('Ship')),
          digital: (c) => c.then(stepNamed('Send')),
        }),
      { maxIterations: 3 },
    )
    .finally(stepNamed('Confirm'));
}

const source: DefinitionSource = {
  exportName: 'definition',
  localName: 'definition',
  moduleSpecifier: './sample.workflow',
  fileName: 'sample.workflow.ts',
};
const diagram = (shape: SampleWorkflowShape): string => renderStateDiagram(buildContractsModel(sampleWorkflow(shape), source));

describe('renderStateDiagram', () => {
  const lines = diagram(PROCESS_ORDER_SHAPE).split('\n');

  it("highlights the phases asked for (the dashboard's current position), and nothing by default", () => {
    const model = buildContractsModel(sampleWorkflow(PROCESS_ORDER_SHAPE), source);
    const highlighted = renderStateDiagram(model, { highlight: ['ProcessPayment', 'NoSuchPhase'] }).split('\n');
    expect(highlighted).toContain('    class ProcessPayment current');
    expect(highlighted.some((line) => line.startsWith('    classDef current '))).toBe(true);
    expect(lines.some((line) => line.includes('current'))).toBe(false);
  });

  it('is a stateDiagram-v2 that starts at the first step and ends in each terminal phase', () => {
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(lines).toContain('    [*] --> ValidateOrder: started');
    for (const terminal of ['Completed', 'CompensatedEnd', 'Failed', 'Cancelled']) expect(lines).toContain(`    ${terminal} --> [*]`);
  });

  it('draws the compensation path in reverse order, then the onFailure step', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        '    FulfillOrder --> Compensating: failed, exhausted, cancelled',
        '    Compensating --> ReleaseInventory: [undo ReserveInventory]',
        '    ReleaseInventory --> RefundPayment: succeeded',
        '    RefundPayment --> Compensated: succeeded',
        '    Compensated --> SendFailureNotification: [no cancel]',
        '    SendFailureNotification --> CompensatedEnd: succeeded [compensated]',
        '    SendFailureNotification --> Failed: succeeded [nothing compensated]',
        '    SendFailureNotification --> Failed: failed, exhausted',
        '    class ReleaseInventory, RefundPayment, Compensating compensation',
      ]),
    );
  });

  it('draws the Compensated phase a run ends in apart from the one it passes through, so the failure path reads without a cycle', () => {
    expect(lines).toContain('    state "Compensated (end)" as CompensatedEnd');
    expect(lines).not.toContain('    Compensated --> [*]');
    expect(lines.filter((line) => line.includes('--> Compensated:'))).toEqual(['    RefundPayment --> Compensated: succeeded']);
  });

  it('draws a branch as a choice node whose edges carry the case values, and a loop check with labelled edges', () => {
    const flow = renderStateDiagram(buildContractsModel(branchingWorkflow(), source)).split('\n');
    expect(flow).toEqual(
      expect.arrayContaining([
        '    state choice_branch_1 <<choice>>',
        '    state choice_repeat_collect <<choice>>',
        '    Validate --> choice_branch_1: succeeded',
        '    choice_branch_1 --> Ship: [s.kind = physical]',
        '    choice_branch_1 --> Send: [s.kind = digital]',
        '    choice_branch_1 --> Compensating: [s.kind no case]',
        '    Ship --> choice_repeat_collect: succeeded',
        '    Send --> choice_repeat_collect: succeeded',
        '    choice_repeat_collect --> Confirm: [until s.done === true]',
        '    choice_repeat_collect --> choice_branch_1: [repeat collect while not s.done === true]',
        '    choice_repeat_collect --> Compensating: [collect over 3 passes]',
      ]),
    );
  });

  it('puts no character in a label that ends a Mermaid label', () => {
    for (const line of lines.filter((candidate) => candidate.includes('-->')))
      expect(line.split(': ').slice(1).join(': ')).not.toMatch(/[:;#]/);
  });

  it('aliases a phase whose name Mermaid would read as a keyword', () => {
    const aliased = diagram({ name: 'keywords', steps: ['DefaultShipping', 'StateCheck', 'Notify'] }).split('\n');
    expect(aliased).toContain('    state "DefaultShipping" as phase_DefaultShipping');
    expect(aliased).toContain('    [*] --> phase_DefaultShipping: started');
    expect(aliased).toContain('    phase_DefaultShipping --> phase_StateCheck: succeeded');
    expect(aliased).toContain('    phase_StateCheck --> Notify: succeeded');
  });

  it('leaves out the failure-path phases of a workflow that has nothing to compensate', () => {
    const simple = diagram({ name: 'simple', steps: ['A', 'B'] });
    expect(simple).not.toMatch(/Compensat/);
    expect(simple).toContain('    A --> Failed: failed, exhausted');
  });
});

describe('renderStateDiagram of a fork', () => {
  const forked = Workflow.create<KindState>('forked')
    .startWith(stepNamed('Validate'))
    .fork(
      (p) => p.then(stepNamed('CheckFraud')),
      (p) => p.then(stepNamed('ReserveFunds'), { compensate: stepNamed('ReleaseFunds') }).then(stepNamed('CheckCredit')),
    )
    .join(stepNamed('Decide'))
    .finally(stepNamed('Confirm'));
  const model = buildContractsModel(forked, source);
  const lines = renderStateDiagram(model).split('\n');

  it('draws <<fork>> to every path and <<join>> from every path to the join step', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        '    state fork_1 <<fork>>',
        '    state join_1 <<join>>',
        '    Validate --> fork_1: succeeded',
        '    fork_1 --> CheckFraud',
        '    fork_1 --> ReserveFunds',
        '    CheckFraud --> join_1: succeeded',
        '    ReserveFunds --> CheckCredit: succeeded',
        '    CheckCredit --> join_1: succeeded',
        '    join_1 --> Decide',
        '    Decide --> Confirm: succeeded',
      ]),
    );
  });

  it('emits the commands of the path steps and the join step', () => {
    expect(model.steps.map((step) => step.name)).toEqual(
      expect.arrayContaining(['CheckFraud', 'ReserveFunds', 'CheckCredit', 'Decide', 'ReleaseFunds']),
    );
  });
});
