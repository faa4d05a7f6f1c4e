import { randomUUID } from 'node:crypto';
import { Workflow } from '@strategos/nestjs';
import { Charge, Confirm, Reserve, SCRIPTED_PROVIDERS, type ScriptedState } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestEnvironment } from './support/strategos-test-app';

const v1 = Workflow.create<ScriptedState>('evolving').startWith(Reserve).then(Charge).finally(Confirm);
// Charge was removed: instances waiting for it cannot go on.
const v2 = Workflow.create<ScriptedState>('evolving').startWith(Reserve).finally(Confirm);

describe('a definition that changed while instances were in flight', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    await environment.cleanup([v1]);
  });

  it('fails the affected instances with STEP_NOT_IN_DEFINITION, and they complete after a fix and a retry', async () => {
    const workflowId = randomUUID();
    // v1 runs Reserve; Charge's command waits in its queue (nobody runs Charge yet).
    const first = await startTestApp(environment, [v1], [...SCRIPTED_PROVIDERS], { steps: ['Reserve'] });
    await first.starter.start(v1, { workflowId, script: {} });
    for (let i = 0; i < 200 && (await first.query.get(workflowId))?.phase !== 'Charge'; i++)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect((await first.query.get(workflowId))?.phase).toBe('Charge');
    await first.close();

    const second = await startTestApp(environment, [v2], [...SCRIPTED_PROVIDERS]);
    const failed = await second.query.get(workflowId);
    await second.close();
    expect(failed).toMatchObject({ status: 'failed', phase: 'Failed', error: { code: 'STEP_NOT_IN_DEFINITION', step: 'Charge' } });
    expect(failed?.state).toEqual({ workflowId, script: {}, results: { Reserve: 1 } });

    const fixed = await startTestApp(environment, [v1], [...SCRIPTED_PROVIDERS]);
    try {
      await fixed.control.retry(workflowId);
      const view = await fixed.query.waitFor<ScriptedState>(workflowId, { timeoutMs: 30_000 });
      expect(view.status).toBe('completed');
      expect(view.state.results).toEqual({ Reserve: 1, Charge: 1, Confirm: 1 });
    } finally {
      await fixed.close();
    }
  });
});
