import { buildContractsModel } from './build-contracts-model';
import type { DefinitionSource } from './contracts-model';
import { renderStateDiagram } from './mermaid-state-diagram';
import { PROCESS_ORDER_SHAPE, sampleWorkflow, type SampleWorkflowShape } from './testing/sample-workflows';

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
    for (const terminal of ['Completed', 'Compensated', 'Failed', 'Cancelled']) expect(lines).toContain(`    ${terminal} --> [*]`);
  });

  it('draws the compensation path in reverse order, then the onFailure step', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        '    FulfillOrder --> Compensating: failed, exhausted, cancelled',
        '    Compensating --> ReleaseInventory: [undo ReserveInventory]',
        '    ReleaseInventory --> RefundPayment: succeeded',
        '    RefundPayment --> Compensated: succeeded',
        '    Compensated --> SendFailureNotification: [no cancel]',
        '    SendFailureNotification --> Compensated: succeeded, failed, exhausted [compensated]',
        '    class ReleaseInventory, RefundPayment compensation',
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
