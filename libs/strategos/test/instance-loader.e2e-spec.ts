import { Client } from 'pg';
import { InstanceLoader } from '../src/persistence/instance-loader';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import type { WorkflowStore } from '../src/persistence/workflow-store.interface';
import { postgresUrl, uniqueName } from './support/services';
import { createWrite } from './support/workflow-store.contract';

/**
 * The step runner's loads: one at a time at low load, grouped into one statement while another load is in
 * flight, and a batch PostgreSQL refuses because of one id fails that id's load only.
 */
describe('InstanceLoader on PostgreSQL', () => {
  const schema = uniqueName('loader');
  let admin: Client;
  let store: PostgresWorkflowStore;
  let ids: string[];

  beforeAll(async () => {
    const url = await postgresUrl();
    admin = new Client({ connectionString: url });
    await admin.connect();
    store = new PostgresWorkflowStore({ url, schema, poolSize: 2 });
    await store.migrate();
    const writes = Array.from({ length: 12 }, () => createWrite());
    expect(new Set(await store.commit(writes))).toEqual(new Set(['committed']));
    ids = writes.map((write) => write.transition.instance.workflowId);
  });

  afterAll(async () => {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  afterEach(() => jest.restoreAllMocks());

  const loaderOf = () => new InstanceLoader(store, { maxBatchSize: 64, maxConcurrentFlushes: 1 });

  it('loads one instance with the single-row statement when nothing else waits', async () => {
    const loadMany = jest.spyOn(store, 'loadMany');
    const loaded = await loaderOf().load(ids[0]);

    expect(loaded?.workflowId).toBe(ids[0]);
    expect(loadMany).not.toHaveBeenCalled();
  });

  it('groups the loads asked for while one is in flight into one statement, each caller getting its own instance', async () => {
    const loadMany = jest.spyOn(store, 'loadMany');
    const loader = loaderOf();
    const unknown = 'no-such-instance';
    const loaded = await Promise.all([...ids, unknown].map((id) => loader.load(id)));

    expect(loaded.map((instance) => instance?.workflowId ?? null)).toEqual([...ids, null]);
    // The first went alone; the other twelve waited for it and went together.
    expect(loadMany).toHaveBeenCalledTimes(1);
    expect(loadMany.mock.calls[0][0]).toEqual([...ids.slice(1), unknown]);
  });

  it('fails only the load of an id PostgreSQL refuses when a batch holds it', async () => {
    const loadMany = jest.spyOn(store, 'loadMany');
    const loader = loaderOf();
    const refused = 'bad\u0000id';
    const results = await Promise.allSettled([ids[0], ids[1], refused, ids[2]].map((id) => loader.load(id)));

    expect(loadMany).toHaveBeenCalledTimes(1);
    await expect(loadMany.mock.results[0].value).rejects.toThrow();
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value?.workflowId : null))).toEqual([
      ids[0],
      ids[1],
      null,
      ids[2],
    ]);
    expect(((results[2] as PromiseRejectedResult).reason as { code?: string }).code).toBe('22021');
  });

  it('loads one by one through a store without loadMany (a custom store written before it)', async () => {
    const legacy = Object.create(store, { loadMany: { value: undefined } }) as WorkflowStore;
    const load = jest.spyOn(store, 'load');
    const loader = new InstanceLoader(legacy, { maxBatchSize: 64, maxConcurrentFlushes: 1 });
    const loaded = await Promise.all(ids.slice(0, 5).map((id) => loader.load(id)));

    expect(loaded.map((instance) => instance?.workflowId)).toEqual(ids.slice(0, 5));
    expect(load).toHaveBeenCalledTimes(5);
  });
});
