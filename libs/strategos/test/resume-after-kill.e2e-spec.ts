import { scriptedSaga } from './fixtures/scripted-workflow';
import { CommitThenCrash } from './support/commit-then-crash';
import type { TestApp } from './support/strategos-test-app';

const RUNS = 8;

/**
 * The worst case of a crash: the killed worker committed its transitions, but the commands they send were never
 * published (its broker connection stalled). Those step commands have no outbox row: the killed worker never
 * acknowledged the commands it was handling, so the broker redelivers them as soon as its connection is gone, and
 * the worker that gets them finds them applied and publishes what their transitions issued (re-derived from the
 * instance) before acknowledging them.
 */
describe('a worker killed with SIGKILL after committing, before publishing', () => {
  let scenario: CommitThenCrash;
  let api: TestApp;

  beforeAll(async () => {
    scenario = await CommitThenCrash.start(scriptedSaga);
    api = scenario.api;
  });

  afterAll(() => scenario.close());

  it('has every run move on within 2 s of the kill', async () => {
    // Reserve and Charge run in the worker to kill (its broker traffic through the proxy); the rest in another.
    await scenario.startWorkers(
      ['scripted-saga.Reserve', 'scripted-saga.Charge'],
      ['scripted-saga.Ship', 'scripted-saga.Notify', 'scripted-saga.Confirm'],
    );
    const ids = await scenario.startRuns(RUNS, { Charge: { sleepMs: 2_000 } });
    // Charge commits (the database is direct); its Ship command is never published.
    await scenario.stallWhileRunning(ids, 'Charge', ['scripted-saga.Reserve', 'scripted-saga.Charge']);
    const killedAt = await scenario.kill();

    const views = await Promise.all(ids.map((id) => api.query.waitFor(id, { timeoutMs: 30_000 })));
    expect(views.map((view) => view.status)).toEqual(ids.map(() => 'completed'));
    const resumes: { id: string; resumeMs: number }[] = [];
    for (const id of ids) {
      const history = await api.query.history(id);
      const charged = history.find((e) => e.kind === 'StepCompleted' && e.data.step === 'Charge')!;
      expect(charged.timestamp.getTime()).toBeLessThan(killedAt);
      // The run's next transition after the kill (Ship completed): its command was republished on Charge's redelivery.
      const next = history.find((e) => e.timestamp.getTime() > killedAt)!;
      resumes.push({ id, resumeMs: next.timestamp.getTime() - killedAt });
    }
    expect(resumes.filter((resume) => resume.resumeMs >= 2_000)).toEqual([]);
  });
});
