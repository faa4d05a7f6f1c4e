import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { MIGRATIONS } from '../src/persistence/postgres/migrations';
import { notificationChannel } from '../src/persistence/postgres/notification-channel';
import { PostgresWorkflowStore } from '../src/persistence/postgres/postgres-workflow-store';
import { TransitionNotifier } from '../src/persistence/transition-notifier';
import type { TransitionWrite } from '../src/persistence/workflow-store.interface';
import { WorkflowQuery } from '../src/query/workflow-query';
import { postgresUrl, uniqueName } from './support/services';
import { advanceWrite, createWrite, describeWorkflowStoreContract, outboxMessage } from './support/workflow-store.contract';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `operation`; if it rejects (a connection that died under it), runs it once more. */
async function retryOnce<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch {
    await sleep(100);
    return operation();
  }
}

describe('PostgresWorkflowStore', () => {
  const schema = uniqueName('t');
  const schemas = [schema];
  let url: string;
  let admin: Client;

  beforeAll(async () => {
    url = await postgresUrl();
    admin = new Client({ connectionString: url });
    await admin.connect();
  });

  afterAll(async () => {
    for (const name of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
    await admin.end();
  });

  describeWorkflowStoreContract('PostgresWorkflowStore', async () => new PostgresWorkflowStore({ url, schema, poolSize: 4 }));

  describe('migrate', () => {
    it('migrates one fresh schema from five processes at once, applying each migration once', async () => {
      const fresh = uniqueName('m');
      schemas.push(fresh);
      const stores = Array.from({ length: 5 }, () => new PostgresWorkflowStore({ url, schema: fresh, poolSize: 1 }));

      await Promise.all(stores.map((store) => store.migrate()));
      await stores[0].migrate();

      const { rows } = await admin.query<{ version: number; applied_at: Date }>(
        `SELECT version, applied_at FROM "${fresh}".schema_migrations ORDER BY version`,
      );
      expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
      expect(rows[0].applied_at).toBeInstanceOf(Date);
      const tables = await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [fresh],
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'event_publication',
        'events',
        'inbox',
        'instances',
        'outbox',
        'schema_migrations',
      ]);
      await Promise.all(stores.map((store) => store.close()));
    });
  });

  describe('commit', () => {
    let store: PostgresWorkflowStore;

    beforeAll(async () => {
      store = new PostgresWorkflowStore({ url, schema, poolSize: 4 });
      await store.migrate();
    });

    afterAll(() => store.close());

    it('rolls back the whole batch when one of its rows cannot be stored', async () => {
      const first = createWrite();
      const clash = createWrite();
      const sharedRowId = first.outbox[0].id;

      await expect(store.commit([first, { ...clash, outbox: [outboxMessage({ id: sharedRowId })] }])).rejects.toMatchObject({
        code: '23505',
      });

      expect(await store.load(first.transition.instance.workflowId)).toBeNull();
      expect(await store.load(clash.transition.instance.workflowId)).toBeNull();
      expect(await store.history(first.transition.instance.workflowId)).toEqual([]);
      expect(await store.commit([first])).toEqual(['committed']);
    });

    it('commits a batch of 256 creates, then 256 updates, in one statement each', async () => {
      const creates = Array.from({ length: 256 }, () => createWrite(randomUUID(), randomUUID()));
      expect(await store.commit(creates)).toEqual(creates.map(() => 'committed'));

      const updates = creates.map((write) => advanceWrite(write.transition.instance));
      expect(await store.commit(updates)).toEqual(updates.map(() => 'committed'));

      const sample = updates[137].transition.instance;
      expect(await store.load(sample.workflowId)).toEqual(sample);
      const { rows } = await admin.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM "${schema}".events WHERE workflow_id = ANY($1::text[])`,
        [creates.map((w) => w.transition.instance.workflowId)],
      );
      expect(rows[0].count).toBe(
        creates.reduce((sum, w) => sum + w.transition.events.length, 0) + updates.reduce((sum, w) => sum + w.transition.events.length, 0),
      );
    });

    it('hands a row leased by a writer whose session ended to the relay at once, not after the lease', async () => {
      const writer = new PostgresWorkflowStore({ url, schema, poolSize: 1 });
      const relay = new PostgresWorkflowStore({ url, schema, poolSize: 1 });
      const now = Date.now();
      const leased = outboxMessage({ availableAt: new Date(now).toISOString(), leaseUntil: new Date(now + 600_000).toISOString() });
      try {
        await writer.commit([{ ...createWrite(), outbox: [leased] }]);
        expect((await relay.claimDueOutbox(10_000, 60_000)).map((row) => row.id)).not.toContain(leased.id);

        // The writer's process dies: its connections close and PostgreSQL ends their backends.
        await writer.close();
        const start = Date.now();
        let claimed: string[] = [];
        while (Date.now() - start < 2_000 && !claimed.includes(leased.id)) {
          claimed = (await relay.claimDueOutbox(10_000, 60_000)).map((row) => row.id);
          if (!claimed.includes(leased.id)) await sleep(50);
        }
        expect(claimed).toContain(leased.id);
        // The relay's own lease is tied to its live session: no other relay takes the row meanwhile.
        const other = new PostgresWorkflowStore({ url, schema, poolSize: 1 });
        expect((await other.claimDueOutbox(10_000, 60_000)).map((row) => row.id)).not.toContain(leased.id);
        await other.close();
        await relay.deleteOutbox([leased.id]);
      } finally {
        await writer.close();
        await relay.close();
      }
    });

    it('counts outbox rows and prunes inbox rows older than the retention', async () => {
      const row = outboxMessage({ availableAt: new Date(Date.now() + 3_600_000).toISOString() });
      const before = await store.countOutbox();
      const messageId = randomUUID();
      await store.commit([{ ...createWrite(randomUUID(), messageId), outbox: [row] }]);
      expect(await store.countOutbox()).toBe(before + 1);
      await store.deleteOutbox([row.id]);
      expect(await store.countOutbox()).toBe(before);

      const second = randomUUID();
      await store.commit([createWrite(randomUUID(), second)]);
      await admin.query(`UPDATE "${schema}".inbox SET processed_at = now() - interval '20 years' WHERE message_id = ANY($1)`, [
        [messageId, second],
      ]);
      // A batch at a time; only entries older than the retention.
      expect(await store.pruneInbox(10 * 365 * 86_400_000, 1)).toBe(1);
      expect(await store.pruneInbox(10 * 365 * 86_400_000, 10)).toBe(1);
      expect(await store.pruneInbox(10 * 365 * 86_400_000, 10)).toBe(0);
      const left = await admin.query(`SELECT 1 FROM "${schema}".inbox WHERE message_id = ANY($1)`, [[messageId, second]]);
      expect(left.rowCount).toBe(0);
    });
  });

  describe('notifications', () => {
    it('notifies the schema channel, inside the commit, with the id of each workflow that ended', async () => {
      const store = new PostgresWorkflowStore({ url, schema, poolSize: 2 });
      const listener = new Client({ connectionString: url });
      await listener.connect();
      const notices: { channel: string; payload?: string }[] = [];
      listener.on('notification', (notice) => notices.push({ channel: notice.channel, payload: notice.payload }));
      await listener.query(`LISTEN "${notificationChannel(schema)}"`);

      const running = createWrite();
      await store.commit([running]);
      const finished = await runToCompletion(store);
      const started = createWrite();
      await store.commit([started]);
      // Notices of one session arrive in commit order: a marker committed last bounds what came before.
      const marker = await runToCompletion(store);
      await eventually(() => notices.some((notice) => notice.payload === marker.transition.instance.workflowId));

      const ours = new Set([running, finished, started, marker].map((write) => write.transition.instance.workflowId));
      expect(notices.filter((notice) => ours.has(notice.payload ?? ''))).toEqual([
        { channel: notificationChannel(schema), payload: finished.transition.instance.workflowId },
        { channel: notificationChannel(schema), payload: marker.transition.instance.workflowId },
      ]);
      await listener.end();
      await store.close();
    });

    it('commits the end of a workflow whose id is too long for a notice, without notifying it', async () => {
      const store = new PostgresWorkflowStore({ url, schema, poolSize: 2 });
      const last = await runToCompletion(store, createWrite(`long-${'x'.repeat(9_000)}`));
      expect(await store.load(last.transition.instance.workflowId)).toEqual(last.transition.instance);
      await store.close();
    });

    it('sends and listens for nothing with notifications off', async () => {
      const quiet = new PostgresWorkflowStore({ url, schema, poolSize: 2, notifications: false });
      const loud = new PostgresWorkflowStore({ url, schema, poolSize: 2 });
      const raw = new Client({ connectionString: url });
      await raw.connect();
      const payloads: string[] = [];
      raw.on('notification', (notice) => payloads.push(notice.payload ?? ''));
      await raw.query(`LISTEN "${notificationChannel(schema)}"`);
      const silent = createWrite();
      let calls = 0;
      const unsubscribe = await quiet.subscribeTerminal(silent.transition.instance.workflowId, () => calls++);

      await runToCompletion(quiet, silent);
      const marker = await runToCompletion(loud);
      await eventually(() => payloads.includes(marker.transition.instance.workflowId));

      expect(payloads).not.toContain(silent.transition.instance.workflowId);
      expect(calls).toBe(0);
      unsubscribe();
      await raw.end();
      await Promise.all([quiet.close(), loud.close()]);
    });

    it('listens again after its connection is terminated, waking every subscriber once it is back', async () => {
      const applicationName = uniqueName('strategos_listen');
      const store = new PostgresWorkflowStore({ url, schema, poolSize: 2, applicationName });
      const first = createWrite();
      const second = createWrite();
      let calls = 0;
      const unsubscribe = await store.subscribeTerminal(first.transition.instance.workflowId, () => calls++);
      const listening = "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'";
      const before = await admin.query<{ pid: number }>(listening, [applicationName]);
      expect(before.rowCount).toBe(1);

      await admin.query('SELECT pg_terminate_backend($1)', [before.rows[0].pid]);

      // Notices sent while it was gone are lost: on reconnection every subscriber is told to check again.
      await eventually(() => calls === 1);
      await eventually(async () => (await admin.query(listening, [applicationName])).rowCount === 1);
      let secondCalls = 0;
      const unsubscribeSecond = await store.subscribeTerminal(second.transition.instance.workflowId, () => secondCalls++);
      await runToCompletion(store, second);
      await eventually(() => secondCalls === 1);
      expect(calls).toBe(1);
      await runToCompletion(store, first);
      await eventually(() => calls === 2);
      unsubscribe();
      unsubscribeSecond();
      await store.close();
      expect((await admin.query(listening, [applicationName])).rowCount).toBe(0);
    });

    it('wakes waitFor in another process at once when the workflow ends there', async () => {
      const writer = new PostgresWorkflowStore({ url, schema, poolSize: 2 });
      const reader = new PostgresWorkflowStore({ url, schema, poolSize: 2 });
      // A notifier of its own: no in-process notice can reach it, only the database's.
      const query = new WorkflowQuery(reader, new TransitionNotifier());
      const created = createWrite();
      await writer.commit([created]);
      const started = Date.now();
      const done = query.waitFor(created.transition.instance.workflowId, { timeoutMs: 20_000, pollIntervalMs: 60_000 });
      await sleep(100);

      let instance = created.transition.instance;
      for (let step = 0; step < 3; step++) {
        const write = advanceWrite(instance);
        await writer.commit([write]);
        instance = write.transition.instance;
      }

      // Only a notice ends the wait early: the next read would come at the deadline.
      await expect(done).resolves.toMatchObject({ workflowId: instance.workflowId, status: 'completed' });
      expect(Date.now() - started).toBeLessThan(10_000);
      await Promise.all([writer.close(), reader.close()]);
    });
  });

  describe('connections', () => {
    it('keeps working after the server terminates all its connections', async () => {
      const applicationName = uniqueName('strategos_kill');
      const store = new PostgresWorkflowStore({ url, schema, poolSize: 4, applicationName });
      await store.migrate();
      const created = createWrite();
      await Promise.all([store.commit([created]), store.load(randomUUID()), store.load(randomUUID()), store.history(randomUUID())]);

      // Only this store's backends: other test files share the database and run in parallel.
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()',
        [applicationName],
      );
      expect(killed.rowCount).toBeGreaterThanOrEqual(1);

      const next = advanceWrite(created.transition.instance);
      expect(await retryOnce(() => store.commit([next]))).toEqual(['committed']);
      expect(await retryOnce(() => store.load(created.transition.instance.workflowId))).toEqual(next.transition.instance);
      expect(await retryOnce(() => store.claimDueOutbox(10, 60_000))).toEqual(expect.any(Array));
      await store.close();
    });

    it('rejects a commit whose connection dies mid-transaction and applies none of it', async () => {
      const applicationName = uniqueName('strategos_kill');
      const store = new PostgresWorkflowStore({ url, schema, poolSize: 2, applicationName });
      const existing = createWrite();
      await store.commit([existing]);
      const locker = new Client({ connectionString: url });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query(`SELECT 1 FROM "${schema}".instances WHERE workflow_id = $1 FOR UPDATE`, [
        existing.transition.instance.workflowId,
      ]);

      const fresh = createWrite();
      const update = advanceWrite(existing.transition.instance);
      const pending = store.commit([fresh, update]);
      pending.catch(() => undefined);
      await waitForLockWait(admin, applicationName);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [applicationName]);

      await expect(pending).rejects.toThrow();
      await locker.query('ROLLBACK');
      await locker.end();
      expect(await retryOnce(() => store.load(fresh.transition.instance.workflowId))).toBeNull();
      expect(await store.load(existing.transition.instance.workflowId)).toEqual(existing.transition.instance);
      expect(await store.history(existing.transition.instance.workflowId)).toEqual(existing.transition.events);
      expect(await store.commit([fresh, update])).toEqual(['committed', 'committed']);
      await store.close();
    });

    it('leaves a pool it was given open when closed', async () => {
      const pool = new Pool({ connectionString: url, max: 1 });
      const store = new PostgresWorkflowStore({ pool, schema });
      expect(await store.load(randomUUID())).toBeNull();
      await store.close();
      await store.close();
      const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
      expect(rows[0].one).toBe(1);
      await pool.end();
    });
  });
});

/** Commits `write` and the remaining steps of its counter workflow; returns the last write (the one completing it). */
async function runToCompletion(store: PostgresWorkflowStore, write: TransitionWrite = createWrite()): Promise<TransitionWrite> {
  let last = write;
  expect(await store.commit([write])).toEqual(['committed']);
  for (let step = 0; step < 3; step++) {
    last = advanceWrite(last.transition.instance);
    expect(await store.commit([last])).toEqual(['committed']);
  }
  expect(last.transition.instance.status).toBe('completed');
  return last;
}

/** Resolves once `condition` holds, polling; rejects after `timeoutMs`. */
async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}

/** Waits until a backend of `applicationName` is blocked on a lock. */
async function waitForLockWait(admin: Client, applicationName: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { rowCount } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [
      applicationName,
    ]);
    if (rowCount) return;
    await sleep(20);
  }
  throw new Error(`no backend of ${applicationName} waited on a lock`);
}
