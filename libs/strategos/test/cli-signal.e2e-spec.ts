import { randomUUID } from 'node:crypto';
import type { CliIo } from '@strategos/nestjs/cli/cli-command.interface';
import { runCli } from '@strategos/nestjs/cli/run-cli';
import { quickPaymentFlow, SIGNAL_STEPS, type SignalState } from './fixtures/signal-workflows';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

/** `strategos signal` and `strategos list --status waiting` on the real broker and database. */
describe('the strategos command line with signals', () => {
  let environment: TestEnvironment;
  let app: TestApp;
  let connection: string[];

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { cwd: process.cwd(), stdout: (text) => out.push(text), stderr: (text) => err.push(text) };
    const code = await runCli([...argv, ...connection], io);
    return { code, out: out.join(''), err: err.join('') };
  }

  const parked = async (workflowId: string) => {
    for (let i = 0; i < 600; i++) {
      if ((await app.query.get(workflowId))?.phase === 'AwaitSignal(payment-confirmed)') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${workflowId} never parked`);
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // Archiving on: the CLI reads a refusal's code back from the dead-letter store.
    app = await startTestApp(environment, [quickPaymentFlow], SIGNAL_STEPS);
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
  });
  afterAll(async () => {
    await app.close();
    await environment.cleanup([quickPaymentFlow]);
  });

  it('lists the parked runs with --status waiting and signals one with --data', async () => {
    const waitingId = randomUUID();
    const runningId = randomUUID();
    await app.starter.start(quickPaymentFlow, { workflowId: waitingId });
    // Reserve retries 2 s later: running, not waiting.
    await app.starter.start(quickPaymentFlow, { workflowId: runningId, reserveThrowsUntil: 1 });
    await parked(waitingId);
    const listed = await cli('list', '--status', 'waiting', '--json');
    expect(listed.code).toBe(0);
    const ids = (JSON.parse(listed.out) as { items: { workflowId: string }[] }).items.map((item) => item.workflowId);
    expect(ids).toContain(waitingId);
    expect(ids).not.toContain(runningId);

    const sent = await cli('signal', waitingId, 'payment-confirmed', '--data', '{"reference":"cli-1","amount":5}');
    expect(sent).toMatchObject({ code: 0, err: '' });
    expect(sent.out).toContain('received and applied');
    const done = await app.query.waitFor<SignalState>(waitingId, { timeoutMs: 30_000 });
    expect(done.state.paymentRef).toBe('cli-1');
    await app.query.waitFor(runningId, { timeoutMs: 30_000 });
  });

  it('reports the runtime refusal with its code: a bad payload, an unknown signal, a finished run', async () => {
    const workflowId = randomUUID();
    await app.starter.start(quickPaymentFlow, { workflowId });
    await parked(workflowId);
    const bad = await cli('signal', workflowId, 'payment-confirmed', '--data', '{"reference":""}');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('INVALID_SIGNAL_PAYLOAD');
    const unknown = await cli('signal', workflowId, 'nope', '--data', '{}');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('UNKNOWN_SIGNAL');
    const notJson = await cli('signal', workflowId, 'payment-confirmed', '--data', '{oops');
    expect(notJson.code).toBe(2);
    await app.control.cancel(workflowId);
    await app.query.waitFor(workflowId, { timeoutMs: 30_000 });
    const late = await cli('signal', workflowId, 'payment-confirmed', '--data', '{"reference":"x","amount":1}');
    expect(late.code).toBe(1);
    expect(late.err).toContain('SIGNAL_NOT_ACCEPTED');
  });
});
