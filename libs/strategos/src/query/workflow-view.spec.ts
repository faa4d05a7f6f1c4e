import type { WorkflowInstance } from '../engine/workflow-instance';
import { toWorkflowView } from './workflow-view';

const base: WorkflowInstance = {
  workflowId: 'wf-1',
  workflowName: 'collect',
  state: { workflowId: 'wf-1' },
  phase: 'RequestDocument',
  status: 'running',
  version: 7,
  sequence: 12,
  cursor: {
    step: 'RequestDocument',
    role: 'forward',
    attempt: 2,
    commandId: 'm-9',
    node: 'RequestDocument',
    path: 'main',
    iterations: [
      { loop: 'outer', iteration: 2 },
      { loop: 'collect-documents', iteration: 3 },
    ],
    since: '2030-01-01T00:00:05.000Z',
  },
  completedSteps: [],
  error: null,
  compensationError: null,
  cancelReason: null,
  startedAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:09.000Z',
  completedAt: null,
};

describe('toWorkflowView', () => {
  it('keeps the step name as the phase and lists the active position with the innermost loop pass', () => {
    const view = toWorkflowView(base);

    expect(view.phase).toBe('RequestDocument');
    expect(view.active).toEqual([
      {
        path: 'main',
        step: 'RequestDocument',
        since: new Date('2030-01-01T00:00:05.000Z'),
        attempt: 2,
        loop: 'collect-documents',
        iteration: 3,
      },
    ]);
  });

  it('shows a position stored before the graph (no path, loops or since) on the main path since the last update', () => {
    const view = toWorkflowView({ ...base, cursor: { step: 'RequestDocument', role: 'forward', attempt: 1, commandId: 'm-1' } });

    expect(view.active).toEqual([{ path: 'main', step: 'RequestDocument', since: new Date('2030-01-01T00:00:09.000Z'), attempt: 1 }]);
  });

  it('has no active position once the run ended', () => {
    expect(toWorkflowView({ ...base, status: 'completed', phase: 'Completed', cursor: null }).active).toEqual([]);
  });
});
