import { Client } from 'pg';
import { initialOrderState, processOrder } from '@app/orders';
import { inChunks, waitForAll } from './support/history-assertions';
import { startApiAndWorkers, type ApiAndWorkers } from './support/api-and-workers';
import type { TestApp } from './support/strategos-test-app';

describe('1,000 workflows through two worker processes', () => {
  let system: ApiAndWorkers;
  let api: TestApp;

  beforeAll(async () => {
    system = await startApiAndWorkers(2);
    api = system.api;
  });

  afterAll(() => system.stop());

  it('completes all of them with no duplicate transition and an empty outbox', async () => {
    const ids = await inChunks(1000, 100, async () => (await api.starter.start(processOrder, initialOrderState())).workflowId);
    const views = await waitForAll(api.query, ids, 120_000);
    expect(views.filter((view) => view.status !== 'completed')).toEqual([]);

    const client = new Client({ connectionString: system.environment.databaseUrl });
    await client.connect();
    try {
      const schema = `"${system.environment.schema}"`;
      const duplicates = await client.query(
        `SELECT workflow_id, data->>'step' AS step, count(*) FROM ${schema}.events WHERE kind = 'StepCompleted' GROUP BY 1, 2 HAVING count(*) > 1`,
      );
      expect(duplicates.rows).toEqual([]);
      const completed = await client.query(`SELECT count(*)::int AS n FROM ${schema}.events WHERE kind = 'StepCompleted'`);
      expect(completed.rows[0].n).toBe(5000);
      let outbox = -1;
      for (let i = 0; i < 100 && outbox !== 0; i++) {
        outbox = (await client.query(`SELECT count(*)::int AS n FROM ${schema}.outbox`)).rows[0].n;
        if (outbox !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(outbox).toBe(0);
    } finally {
      await client.end();
    }
  });
});
