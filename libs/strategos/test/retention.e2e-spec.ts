import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { SCRIPTED_PROVIDERS, scriptedSaga } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const WAVES = 8;
const PER_WAVE = 50;
const WAVE_INTERVAL_MS = 1_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface TableSizes {
  readonly instances: number;
  readonly events: number;
  readonly inbox: number;
  readonly outbox: number;
}

/** Runs keep coming; with a short retention the tables stay bounded by what the retention window holds. */
describe('retention under a steady stream of runs', () => {
  let environment: TestEnvironment;
  let app: TestApp;
  let database: Client;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], {
      retention: { inboxMs: 1_000, finishedRunsMs: 1_000, intervalMs: 200, batchSize: 40 },
    });
    database = new Client({ connectionString: environment.databaseUrl });
    await database.connect();
  });

  afterAll(async () => {
    await database.end();
    await app.close();
    await environment.cleanup([scriptedSaga]);
  });

  async function sizes(): Promise<TableSizes> {
    const s = `"${environment.schema}"`;
    const { rows } = await database.query<TableSizes>(
      `SELECT (SELECT count(*)::int FROM ${s}.instances) AS instances, (SELECT count(*)::int FROM ${s}.events) AS events,
              (SELECT count(*)::int FROM ${s}.inbox) AS inbox, (SELECT count(*)::int FROM ${s}.outbox) AS outbox`,
    );
    return rows[0];
  }

  it('keeps the tables bounded, and empties them of finished runs once the stream stops', async () => {
    const largest: Record<keyof TableSizes, number> = { instances: 0, events: 0, inbox: 0, outbox: 0 };
    const sample = async () => {
      const now = await sizes();
      for (const key of Object.keys(largest) as (keyof TableSizes)[]) largest[key] = Math.max(largest[key], now[key]);
    };
    const ids: string[] = [];
    for (let wave = 0; wave < WAVES; wave++) {
      const started = await Promise.all(
        Array.from({ length: PER_WAVE }, () => app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {} })),
      );
      ids.push(...started.map((run) => run.workflowId));
      await sleep(WAVE_INTERVAL_MS);
      await sample();
    }
    const total = WAVES * PER_WAVE;
    // Each run writes 1 instance and ~10 events; without retention the tables would hold them all. It writes no
    // inbox entry: neither its start nor its step commands need one (only fired timers do; pruning them is in
    // postgres-workflow-store.e2e-spec.ts), even with many commits grouped into one transaction under this load.
    expect(largest.instances).toBeLessThan(total / 2);
    expect(largest.inbox).toBe(0);

    let now = await sizes();
    for (let i = 0; i < 100 && (now.instances > 0 || now.events > 0 || now.inbox > 0); i++) {
      await sleep(200);
      now = await sizes();
    }
    expect(now).toEqual({ instances: 0, events: 0, inbox: 0, outbox: 0 });
    // They were finished, not lost: a pruned run is unknown to queries.
    expect(await app.query.get(ids[0])).toBeNull();
  });
});
