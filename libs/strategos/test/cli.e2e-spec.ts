import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { controlQueueName, stepQueueName } from '@strategos/nestjs';
import type { CliIo } from '@strategos/nestjs/cli/cli-command.interface';
import { runCli } from '@strategos/nestjs/cli/run-cli';
import { SCRIPTED_PROVIDERS, ScriptSwitches, scriptedSaga, type ScriptedState, type StepScript } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

/** What one `strategos ...` run wrote and returned. */
interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** The operations subcommands of the `strategos` command line, run in-process on the real broker and database. */
describe('the strategos command line', () => {
  let environment: TestEnvironment;
  let app: TestApp;
  let connection: string[];
  let completedId: string;
  let failedId: string;

  async function cli(...argv: string[]): Promise<CliRun> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { cwd: process.cwd(), stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
    const code = await runCli(argv, io);
    return { code, out: out.join(''), err: err.join('') };
  }

  /** Runs a subcommand with this test's connection flags and `--json`, and parses its one document. */
  async function json<T>(...argv: string[]): Promise<T> {
    const run = await cli(...argv, ...connection, '--json');
    expect(run).toMatchObject({ code: 0, err: '' });
    return JSON.parse(run.out) as T;
  }

  async function startAndWait(script: Record<string, StepScript>): Promise<string> {
    const { workflowId } = await app.starter.start(scriptedSaga, { workflowId: randomUUID(), script });
    await app.query.waitFor(workflowId, { timeoutMs: 30_000 });
    return workflowId;
  }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    for (let i = 0; i < 300; i++) {
      const value = await read();
      if (done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the condition never held');
  }

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], { outbox: { relayIntervalMs: 50 } });
    connection = [
      '--database-url',
      environment.databaseUrl,
      '--rabbitmq-url',
      environment.rabbitmqUrl,
      '--schema',
      environment.schema,
      '--namespace',
      environment.namespace,
    ];
    completedId = await startAndWait({});
    app.app.get(ScriptSwitches).byStep.set('Reserve', 'fail');
    failedId = await startAndWait({});
    app.app.get(ScriptSwitches).byStep.clear();
  });

  afterAll(async () => {
    await app.close();
    await environment.cleanup([scriptedSaga]);
  });

  afterEach(() => app.app.get(ScriptSwitches).byStep.clear());

  describe('status', () => {
    it('shows a completed and a failed run as aligned fields', async () => {
      const completed = await cli('status', completedId, ...connection);
      expect(completed).toMatchObject({ code: 0, err: '' });
      expect(completed.out).toMatch(
        new RegExp(
          `^workflowId +${completedId}\nworkflow +scripted-saga\nphase +Completed\nstatus +completed\nstartedAt +\\S+Z\nupdatedAt +\\S+Z\ncompletedAt +\\S+Z\n$`,
        ),
      );

      const failed = await cli('status', failedId, ...connection);
      expect(failed.code).toBe(0);
      expect(failed.out).toMatch(/^status +failed$/m);
      expect(failed.out).toMatch(/^error +SWITCHED_TO_FAIL at Reserve: Reserve failed as scripted$/m);
    });

    it('prints the whole view, state included, with --json', async () => {
      const view = await json<Record<string, unknown>>('status', completedId);
      expect(view).toMatchObject({
        workflowId: completedId,
        workflow: 'scripted-saga',
        status: 'completed',
        phase: 'Completed',
        state: { results: { Reserve: 1, Charge: 1, Ship: 1, Confirm: 1 } },
      });
      expect(new Date(view.completedAt as string).getTime()).toBeGreaterThan(0);
      expect(await json('status', failedId)).toMatchObject({ status: 'failed', error: { code: 'SWITCHED_TO_FAIL', step: 'Reserve' } });
    });
  });

  describe('list', () => {
    it('lists instances as a table, filtered by status, workflow and phase', async () => {
      const failed = await cli('list', '--status', 'failed', '--workflow', 'scripted-saga', ...connection);
      expect(failed.code).toBe(0);
      const lines = failed.out.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^WORKFLOW ID +WORKFLOW +STATUS +PHASE +ERROR +STARTED AT +UPDATED AT$/);
      expect(lines.slice(1).some((line) => line.startsWith(failedId) && /scripted-saga +failed +Failed +SWITCHED_TO_FAIL/.test(line))).toBe(
        true,
      );
      expect(failed.out).not.toContain(completedId);

      const byPhase = await json<{ items: { workflowId: string }[] }>('list', '--phase', 'Completed');
      expect(byPhase.items.map((item) => item.workflowId)).toContain(completedId);
      expect(byPhase.items.map((item) => item.workflowId)).not.toContain(failedId);
      expect((await json<{ items: unknown[] }>('list', '--workflow', 'process-order')).items).toEqual([]);
    });

    it('pages with --limit and the cursor it prints', async () => {
      const all = (await json<{ items: { workflowId: string }[] }>('list', '--limit', '500')).items.map((item) => item.workflowId);
      expect(all.length).toBeGreaterThanOrEqual(2);

      const first = await cli('list', '--limit', '1', ...connection);
      const cursor = /^Next page: --cursor (\S+) \(with the same filters\)$/m.exec(first.out)?.[1];
      expect(cursor).toBeDefined();
      expect(first.out.split('\n')[1]).toContain(all[0]);

      const paged: string[] = [];
      let next: string | undefined;
      do {
        const page = await json<{ items: { workflowId: string }[]; nextCursor?: string }>(
          'list',
          '--limit',
          '1',
          ...(next ? ['--cursor', next] : []),
        );
        paged.push(...page.items.map((item) => item.workflowId));
        next = page.nextCursor;
      } while (next);
      expect(paged).toEqual(all);
    });

    it('refuses a status that does not exist and a cursor it did not issue', async () => {
      expect(await cli('list', '--status', 'exploded', ...connection)).toMatchObject({
        code: 1,
        err: expect.stringContaining('INVALID_LIST_QUERY'),
      });
      expect(await cli('list', '--cursor', 'nonsense', ...connection)).toMatchObject({ code: 1, err: expect.stringContaining('cursor') });
      expect(await cli('list', '--limit', 'ten', ...connection)).toMatchObject({
        code: 2,
        err: expect.stringContaining('--limit must be a whole number'),
      });
    });
  });

  describe('history', () => {
    it('shows the audit trail as a table and, with --json, as events', async () => {
      const run = await cli('history', completedId, ...connection);
      expect(run.code).toBe(0);
      const lines = run.out.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^SEQ +TIMESTAMP +TYPE +DATA$/);
      expect(lines.slice(1).map((line) => line.split(/ +/)[2])).toEqual([
        'ScriptedSagaStarted',
        'ScriptedSagaPhaseChanged',
        'ScriptedSagaStepCompleted',
        'ScriptedSagaPhaseChanged',
        'ScriptedSagaStepCompleted',
        'ScriptedSagaPhaseChanged',
        'ScriptedSagaStepCompleted',
        'ScriptedSagaPhaseChanged',
        'ScriptedSagaStepCompleted',
        'ScriptedSagaCompleted',
      ]);
      // The data's keys in the order the store keeps them (jsonb: shorter keys first).
      expect(lines[2]).toMatch(/^2 +\S+Z +ScriptedSagaPhaseChanged +to=Reserve from=NotStarted$/);

      const { events } = await json<{ workflowId: string; events: { sequence: number; kind: string; data: unknown }[] }>(
        'history',
        failedId,
      );
      const expected = await app.query.history(failedId);
      expect(events).toEqual(expected.map((entry) => ({ ...entry, timestamp: entry.timestamp.toISOString() })));
    });
  });

  describe('errors', () => {
    it('exits 1 with a clear message for an unknown workflow id', async () => {
      for (const command of ['status', 'history', 'cancel', 'retry']) {
        const run = await cli(command, 'no-such-workflow', ...connection);
        expect(run).toMatchObject({ code: 1, out: '' });
        expect(run.err).toBe(
          `strategos ${command}: No workflow instance no-such-workflow; check the id (it is the workflowId given to start) (WORKFLOW_NOT_FOUND)\n`,
        );
      }
    });

    it('exits 1 quickly, naming the server and not its password, when the database is unreachable', async () => {
      const started = Date.now();
      const run = await cli(
        'status',
        completedId,
        '--database-url',
        'postgres://postgres:s3cret@127.0.0.1:1/x',
        '--schema',
        environment.schema,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(
        /^strategos status: Cannot use PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/x: .*ECONNREFUSED.*; check --database-url or DATABASE_URL \(DATABASE_UNAVAILABLE\)\n$/,
      );
      expect(run.err).not.toContain('s3cret');
    });

    it('names a schema without Strategos tables', async () => {
      const run = await cli('list', ...connection, '--schema', 'no_such_schema');
      expect(run).toMatchObject({
        code: 1,
        err: expect.stringMatching(/Schema no_such_schema at .* has no table instances; check --schema .*\(SCHEMA_NOT_FOUND\)\n$/),
      });
    });

    it('exits 1 quickly, without the password, when the broker is unreachable, and sends nothing', async () => {
      const started = Date.now();
      const run = await cli('retry', failedId, ...connection, '--rabbitmq-url', 'amqp://guest:pa55word@127.0.0.1:1');
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(run.code).toBe(1);
      expect(run.err).toMatch(
        /^strategos retry: Cannot use RabbitMQ at amqp:\/\/guest:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED.*\(BROKER_UNAVAILABLE\)\n$/,
      );
      expect(run.err).not.toContain('pa55word');
      expect((await app.query.get(failedId))?.status).toBe('failed');
    });
  });

  describe('cancel and retry', () => {
    it('cancels a running workflow through its control queue, which then ends cancelled', async () => {
      const { workflowId } = await app.starter.start(scriptedSaga, { workflowId: randomUUID(), script: { Charge: { sleepMs: 1_500 } } });
      await app.app.get(ScriptSwitches).whenStarted(workflowId, 'Charge');

      const run = await cli('cancel', workflowId, '--reason', 'ordered twice', ...connection);
      expect(run).toMatchObject({ code: 0, err: '' });
      expect(run.out).toMatch(
        new RegExp(
          `^Cancel applied to ${workflowId} \\(scripted-saga\\): ScriptedSagaCancelRequested #5 at \\S+Z \\(step=Charge reason="ordered twice"\\)\nNow running, phase Charge\\. Step Charge had started: it finishes \\(or times out\\), then compensation runs`,
        ),
      );

      const view = await app.query.waitFor(workflowId, { timeoutMs: 30_000 });
      expect(view).toMatchObject({ status: 'cancelled', phase: 'Cancelled', cancelReason: 'ordered twice' });
      expect(await cli('cancel', workflowId, ...connection)).toMatchObject({
        code: 1,
        err: expect.stringContaining('is cancelled; only a running workflow can be cancelled (WORKFLOW_NOT_RUNNING)'),
      });
    });

    it('retries a failed workflow through its control queue, which then completes', async () => {
      app.app.get(ScriptSwitches).byStep.set('Reserve', 'fail');
      const workflowId = await startAndWait({});
      expect((await app.query.get(workflowId))?.status).toBe('failed');
      app.app.get(ScriptSwitches).byStep.clear();

      const outcome = await json<{ action: string; event: { kind: string; data: unknown } }>('retry', workflowId);
      expect(outcome).toMatchObject({
        action: 'retry',
        workflowId,
        workflow: 'scripted-saga',
        event: { kind: 'Retried', data: { step: 'Reserve', previousError: { code: 'SWITCHED_TO_FAIL' } } },
      });

      const view = await app.query.waitFor<ScriptedState>(workflowId, { timeoutMs: 30_000 });
      expect(view.status).toBe('completed');
      expect(await cli('retry', workflowId, ...connection)).toMatchObject({
        code: 1,
        err: expect.stringContaining('is completed; only a failed workflow can be retried (WORKFLOW_NOT_RETRYABLE)'),
      });
    });

    it('says that no process answered when nothing consumes the control queue', async () => {
      const namespace = `${environment.namespace}-idle`;
      const queue = controlQueueName(namespace, 'scripted-saga');
      const broker = await amqp.connect(environment.rabbitmqUrl);
      try {
        const channel = await broker.createChannel();
        await channel.assertQueue(queue, { durable: false, autoDelete: false });
        const started = Date.now();
        const run = await cli('retry', failedId, ...connection, '--namespace', namespace, '--wait-ms', '500');
        expect(Date.now() - started).toBeLessThan(3_000);
        expect(run.code).toBe(1);
        expect(run.err).toContain(
          `No process serving scripted-saga applied the retry request for ${failedId} within 500 ms: nothing consumes ${queue}. Is a worker or API with the workflow scripted-saga running`,
        );
        expect(run.err).toMatch(/\(NO_CONTROL_RESPONSE\)\n$/);
        const waiting = await channel.get(queue, { noAck: true });
        expect(waiting && JSON.parse(waiting.content.toString())).toMatchObject({ action: 'retry', workflowId: failedId });
      } finally {
        const channel = await broker.createChannel();
        await channel.deleteQueue(queue);
        await broker.close();
      }
    });

    it('says that no process serving the workflow ever ran in a namespace without its control queue', async () => {
      const namespace = `${environment.namespace}-empty`;
      const run = await cli('retry', failedId, ...connection, '--namespace', namespace);
      expect(run).toMatchObject({
        code: 1,
        err: expect.stringContaining(
          `No queue ${controlQueueName(namespace, 'scripted-saga')}: no process serving scripted-saga has run in namespace ${namespace}`,
        ),
      });
      expect(run.err).toMatch(/\(QUEUE_NOT_FOUND\)\n$/);
    });

    it('refuses, before sending anything, a request the instance does not accept', async () => {
      expect(await cli('cancel', failedId, ...connection)).toMatchObject({
        code: 1,
        err: `strategos cancel: Workflow ${failedId} (scripted-saga) is failed; only a running workflow can be cancelled (WORKFLOW_NOT_RUNNING)\n`,
      });
      expect(await cli('retry', completedId, ...connection)).toMatchObject({
        code: 1,
        err: `strategos retry: Workflow ${completedId} (scripted-saga) is completed; only a failed workflow can be retried (WORKFLOW_NOT_RETRYABLE)\n`,
      });
    });
  });

  describe('dead-letters', () => {
    it('lists dead letters, replays one to its queue and discards another', async () => {
      const queue = stepQueueName(environment.namespace, 'scripted-saga', 'Charge');
      const broker = await amqp.connect(environment.rabbitmqUrl);
      const channel = await broker.createConfirmChannel();
      for (const text of ['garbage one', 'garbage two'])
        channel.sendToQueue(queue, Buffer.from(text), { persistent: true, messageId: randomUUID() });
      await channel.waitForConfirms();
      await broker.close();

      type Letters = { items: { id: string; body: string; code: string; originalQueue: string; messageId: string }[] };
      const letters = await until(
        () => json<Letters>('dead-letters'),
        (found) => found.items.length === 2,
      );
      expect(letters.items.map((letter) => [letter.body, letter.code, letter.originalQueue]).sort()).toEqual([
        ['garbage one', 'MALFORMED_JSON', queue],
        ['garbage two', 'MALFORMED_JSON', queue],
      ]);

      const table = await cli('dead-letters', '--code', 'MALFORMED_JSON', '--queue', queue, ...connection);
      expect(table.out.split('\n')[0]).toMatch(/^ID +DEAD-LETTERED AT +CODE +QUEUE +TYPE +REASON$/);
      for (const letter of letters.items)
        expect(table.out).toMatch(new RegExp(`^${letter.id} +\\S+Z +MALFORMED_JSON +${queue.replace(/\./g, '\\.')} +.*not JSON`, 'm'));
      expect((await json<Letters>('dead-letters', '--code', 'UNKNOWN_WORKFLOW')).items).toEqual([]);
      expect((await json<Letters>('dead-letters', '--limit', '1')).items).toHaveLength(1);

      const replayed = letters.items.find((letter) => letter.body === 'garbage one')!;
      const replay = await cli('dead-letters', '--replay', replayed.id, ...connection);
      expect(replay).toMatchObject({
        code: 0,
        out: `Replayed dead letter ${replayed.id} (MALFORMED_JSON) to ${queue} as message ${replayed.messageId}\n`,
      });
      // Replayed onto its queue, the worker dead-letters it again: a new entry for the same message.
      const afterReplay = await until(
        () => json<Letters>('dead-letters'),
        (found) => found.items.some((letter) => letter.body === 'garbage one' && letter.id !== replayed.id),
      );
      expect(afterReplay.items.filter((letter) => letter.body === 'garbage one')).toEqual([
        expect.objectContaining({ messageId: replayed.messageId, originalQueue: queue }),
      ]);

      const discarded = afterReplay.items.find((letter) => letter.body === 'garbage two')!;
      expect(await json('dead-letters', '--discard', discarded.id)).toMatchObject({ discarded: { id: discarded.id, body: 'garbage two' } });
      expect((await json<Letters>('dead-letters')).items.map((letter) => letter.body)).toEqual(['garbage one']);
      const again = await cli('dead-letters', '--discard', discarded.id, ...connection);
      expect(again).toMatchObject({
        code: 1,
        err: `strategos dead-letters: No dead letter ${discarded.id}; list them with \`strategos dead-letters\` (it may have been replayed or discarded already) (DEAD_LETTER_NOT_FOUND)\n`,
      });
      expect(await cli('dead-letters', '--replay', discarded.id, ...connection)).toMatchObject({
        code: 1,
        err: expect.stringContaining('DEAD_LETTER_NOT_FOUND'),
      });
    });
  });
});
