import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { Client } from 'pg';
import { topologyNames, type WorkflowEvent } from '@strategos/nestjs';
import { SCRIPTED_PROVIDERS, scriptedSaga } from './fixtures/scripted-workflow';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import { eventually } from './support/transport.contract';

const WORKER = 'libs/strategos/test/fixtures/test-worker.main.js';
const RUNS = 20;

/**
 * Events are published from the event log by one process per namespace. When that process is killed with SIGKILL
 * in the middle of runs, its database session ends, another process takes the lead and publishes from the durable
 * cursor: every event of every run reaches a subscriber, per workflow in sequence order (a duplicate may come).
 */
describe('the event publisher killed with SIGKILL', () => {
  let environment: TestEnvironment;
  let admin: Client;
  let leader: RunningProcess | undefined;
  let app: TestApp | undefined;
  let connection: ChannelModel | undefined;
  let channel: Channel;
  const received: WorkflowEvent[] = [];

  /** The backend pids holding this namespace's publication lock (sessions named after the namespace). */
  async function lockHolders(): Promise<number[]> {
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1`,
      [`strategos-${environment.namespace}`],
    );
    return rows.map((row) => row.pid);
  }

  beforeAll(async () => {
    environment = await createTestEnvironment();
    admin = new Client({ connectionString: environment.databaseUrl });
    await admin.connect();
  });

  afterAll(async () => {
    await leader?.stop();
    await app?.close();
    await connection?.close();
    await admin?.end();
    await environment?.cleanup([scriptedSaga]);
  });

  it('has another process publish every event, per workflow in sequence order', async () => {
    // The first process to start leads the publication; it also runs steps.
    leader = startProcess(WORKER, environment.env);
    await leader.waitForOutput('worker-ready');
    await eventually(async () => (await lockHolders()).length === 1, 20_000, 'the worker to lead');
    const [leaderPid] = await lockHolders();

    connection = await connect(environment.rabbitmqUrl);
    channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, topologyNames(environment.namespace).eventsExchange, 'scripted-saga.#');
    await channel.consume(queue, (message) => {
      if (!message) return;
      received.push((JSON.parse(message.content.toString('utf8')) as { data: WorkflowEvent }).data);
      channel.ack(message);
    });

    // A second process, standing by for the publication, starts the runs and runs steps too.
    app = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS]);
    const ids: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { workflowId } = await app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: { Charge: { sleepMs: 400 } } });
      ids.push(workflowId);
    }
    await eventually(() => received.length >= RUNS, 20_000, 'the first events from the leader');
    await leader.stop('SIGKILL');

    const views = await Promise.all(ids.map((id) => app!.query.waitFor(id, { timeoutMs: 60_000 })));
    expect(views.map((view) => view.status)).toEqual(ids.map(() => 'completed'));
    const histories = new Map<string, number[]>();
    for (const id of ids)
      histories.set(
        id,
        (await app.query.history(id)).map((event) => event.sequence),
      );
    const expected = [...histories.values()].reduce((sum, sequences) => sum + sequences.length, 0);
    const distinct = () => new Set(received.map((event) => event.eventId)).size;
    await eventually(() => distinct() >= expected, 30_000, `${expected} distinct events`);

    // Per workflow, the first arrival of each event is in sequence order and none is missing.
    const seen = new Set<string>();
    const arrived = new Map<string, number[]>();
    for (const event of received) {
      if (seen.has(event.eventId)) continue;
      seen.add(event.eventId);
      arrived.set(event.workflowId, [...(arrived.get(event.workflowId) ?? []), event.sequence]);
    }
    for (const [id, sequences] of histories) expect(arrived.get(id)).toEqual(sequences);
    // The surviving process leads now.
    const holders = await lockHolders();
    expect(holders).toHaveLength(1);
    expect(holders[0]).not.toBe(leaderPid);
  });
});
