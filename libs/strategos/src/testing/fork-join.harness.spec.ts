import { Injectable } from '@nestjs/common';
import { Reducers } from '../definition/reducers';
import { Workflow } from '../definition/workflow';
import type { WorkflowState } from '../state/workflow-state.interface';
import { StepResult } from '../step/step-result';
import { Step } from '../step/step.decorator';
import type { WorkflowStep } from '../step/workflow-step.interface';
import { StrategosTestHarness } from './strategos-test-harness';

interface CheckState extends WorkflowState {
  readonly checks?: string[];
  readonly scores?: Record<string, number>;
  readonly decided?: string;
}

/** A step that adds its name to `checks` and a score, after a short pause (so the paths overlap). */
function check(name: string) {
  @Injectable()
  @Step({ name })
  class Check implements WorkflowStep<CheckState> {
    async execute(): Promise<StepResult<CheckState>> {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return StepResult.ok({ checks: [name], scores: { [name]: name.length } });
    }
  }
  return Check;
}

@Injectable()
@Step({ name: 'Decide' })
class Decide implements WorkflowStep<CheckState> {
  execute(state: Readonly<CheckState>): StepResult<CheckState> {
    return StepResult.ok({ decided: [...(state.checks ?? [])].sort().join(',') });
  }
}

@Injectable()
@Step({ name: 'Letter' })
class Letter implements WorkflowStep<CheckState> {
  execute(): StepResult<CheckState> {
    return StepResult.ok();
  }
}

const fourChecks = Workflow.create<CheckState>('four-checks', { reducers: { checks: Reducers.append, scores: Reducers.merge } })
  .startWith(check('Intake'))
  .fork(
    (p) => p.then(check('Fraud')),
    (p) => p.then(check('Credit')),
    (p) => p.then(check('Identity')),
    (p) => p.then(check('Sanctions')),
  )
  .join(Decide)
  .finally(Letter);

/** One path waits two days (a durable timer), the other for a manager's approval. */
const waitingPaths = Workflow.create<CheckState>('waiting-paths', { reducers: { checks: Reducers.append, scores: Reducers.merge } })
  .startWith(check('Open'))
  .fork(
    (p) => p.then(check('Cool')).sleep(2 * 24 * 3_600_000),
    (p) => p.awaitApproval('manager').then(check('Approved')),
  )
  .join(Decide)
  .finally(Letter);

describe('fork/join through the runtime (in-memory transport and store)', () => {
  let harness: StrategosTestHarness;

  beforeAll(async () => {
    harness = await StrategosTestHarness.create({ workflows: [fourChecks, waitingPaths] });
  });

  afterAll(async () => {
    await harness.close();
  });

  it('runs four paths at once and joins each run once, on the merged state', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => (await harness.starter.start(fourChecks, { workflowId: `run-${i}` })).workflowId),
    );
    for (const id of ids) {
      const view = await harness.query.waitFor(id, { timeoutMs: 20_000 });
      expect(view.status).toBe('completed');
      const state = view.state as CheckState;
      expect(state.decided).toBe('Credit,Fraud,Identity,Intake,Sanctions');
      expect(state.scores).toEqual({ Intake: 6, Fraud: 5, Credit: 6, Identity: 8, Sanctions: 9 });
      const history = await harness.query.history(id);
      expect(history.filter((e) => e.kind === 'StepCompleted' && e.data.step === 'Decide')).toHaveLength(1);
      expect(history.filter((e) => e.kind === 'StepCompleted' && e.data.path !== undefined)).toHaveLength(4);
    }
  });

  it('parks paths at a durable timer and an approval; the clock and the approval move each path, then the join runs once', async () => {
    const { workflowId } = await harness.starter.start(waitingPaths, { workflowId: 'waiting-1' });
    const until = async (holds: () => Promise<boolean>) => {
      for (let i = 0; i < 400 && !(await holds()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await until(
      async () =>
        (await harness.query.get(workflowId))?.active.length === 2 &&
        (await harness.query.get(workflowId))!.active.every((a) => a.waitingFor),
    );
    expect((await harness.query.get(workflowId))!.active.map((a) => [a.path, a.waitingFor])).toEqual([
      ['fork#1.1', 'timer'],
      ['fork#1.2', 'manager'],
    ]);
    expect((await harness.query.list({ status: 'waiting' })).items.map((item) => item.workflowId)).toEqual([workflowId]);
    await harness.control.approve(workflowId, 'manager', { by: 'ana' });
    await until(async () => (await harness.query.get(workflowId))!.phase === 'Fork(Sleep(172800000ms))');
    expect((await harness.query.get(workflowId))!.status).toBe('running');
    await harness.clock.advance(2 * 24 * 3_600_000);
    const view = await harness.query.waitFor(workflowId, { timeoutMs: 20_000 });
    expect(view.status).toBe('completed');
    expect((view.state as CheckState).decided).toBe('Approved,Cool,Open');
    const history = await harness.query.history(workflowId);
    expect(history.filter((e) => e.kind === 'StepCompleted' && e.data.step === 'Decide')).toHaveLength(1);
  });
});
