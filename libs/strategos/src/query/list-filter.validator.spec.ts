import 'reflect-metadata';
import { Workflow } from '../definition/workflow';
import type { WorkflowStatus } from '../engine/workflow-instance';
import type { WorkflowState } from '../state/workflow-state.interface';
import { Step } from '../step/step.decorator';
import { StepResult } from '../step/step-result';
import type { WorkflowStep } from '../step/workflow-step.interface';
import { encodeListCursor } from './list-cursor';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, validateListFilter } from './list-filter.validator';

@Step()
class OnlyStep implements WorkflowStep<WorkflowState> {
  execute(): StepResult<WorkflowState> {
    return StepResult.ok();
  }
}

describe('validateListFilter', () => {
  it('lists the first 50 of everything by default', () => {
    expect(validateListFilter({})).toEqual({ limit: DEFAULT_LIST_LIMIT });
    expect(DEFAULT_LIST_LIMIT).toBe(50);
    expect(MAX_LIST_LIMIT).toBe(500);
  });

  it('turns every filter into the store query', () => {
    const definition = Workflow.create('list-filter').startWith(OnlyStep).build();
    const position = { startedAt: '2030-01-01T00:00:00.000Z', workflowId: 'w-1' };
    expect(
      validateListFilter({
        workflow: definition,
        status: 'running',
        phase: 'OnlyStep',
        startedAfter: new Date('2030-01-01T00:00:00Z'),
        startedBefore: new Date('2030-01-02T00:00:00Z'),
        limit: 500,
        cursor: encodeListCursor(position),
      }),
    ).toEqual({
      workflowName: 'list-filter',
      statuses: ['running'],
      phase: 'OnlyStep',
      startedAfter: '2030-01-01T00:00:00.000Z',
      startedBefore: '2030-01-02T00:00:00.000Z',
      limit: 500,
      after: position,
    });
    expect(validateListFilter({ workflow: 'by-name', status: ['failed', 'compensated'], limit: 1 })).toEqual({
      workflowName: 'by-name',
      statuses: ['failed', 'compensated'],
      limit: 1,
    });
  });

  it.each([0, -1, 501, 2.5, Number.NaN])('rejects the limit %p, naming limit', (limit) => {
    expect(() => validateListFilter({ limit })).toThrow(expect.objectContaining({ code: 'INVALID_LIST_QUERY', field: 'limit' }));
  });

  it('rejects an unknown status, an invalid date and a foreign cursor, naming the field', () => {
    expect(() => validateListFilter({ status: 'done' as WorkflowStatus })).toThrow(
      expect.objectContaining({ field: 'status', message: expect.stringContaining('"done"') }),
    );
    expect(() => validateListFilter({ startedAfter: new Date('nope') })).toThrow(expect.objectContaining({ field: 'startedAfter' }));
    expect(() => validateListFilter({ cursor: 'abc' })).toThrow(expect.objectContaining({ field: 'cursor' }));
  });
});
