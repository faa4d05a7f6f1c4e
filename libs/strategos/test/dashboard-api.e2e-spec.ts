import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as amqp from 'amqplib';
import { aDigitalOrder, anOrder, initialOrderState, processOrder } from '@app/orders';
import { StrategosHeader, stepQueueName, type DeadLetter } from '@strategos/nestjs';
import {
  HEADER_USER_GUARD,
  openSession,
  postAction,
  startDashboardApp,
  type DashboardSession,
  type DashboardTestApp,
} from './support/dashboard-app';

interface RunPage {
  items: { workflowId: string; status: string; phase: string; workflow: string; startedAt: string }[];
  nextCursor?: string;
}
interface DeadLetterPage {
  items: DeadLetter[];
  nextCursor?: string;
}
interface HistoryEntry {
  kind: string;
  data: Record<string, unknown>;
}

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe('Dashboard API (real RabbitMQ and PostgreSQL, API-only app with workers)', () => {
  let app: DashboardTestApp;
  let session: DashboardSession;
  const completed: string[] = [];
  let failed: string;
  let compensated: string;

  beforeAll(async () => {
    app = await startDashboardApp({ guard: HEADER_USER_GUARD, liveBatchMs: 200 }, 1);
    session = await openSession(app.url);
    for (let i = 0; i < 4; i++)
      completed.push((await app.starter.start(processOrder, initialOrderState(anOrder(), `ok-${i}-${randomUUID()}`))).workflowId);
    // A quantity of 0 fails validation: nothing to compensate, so the run ends `failed` (retryable).
    failed = (
      await app.starter.start(
        processOrder,
        initialOrderState(anOrder({ items: [{ sku: 'X', quantity: 0, price: 1 }] }), `bad-${randomUUID()}`),
      )
    ).workflowId;
    // Undeliverable after the charge and the reservation (the fork's two paths): both are undone, the run ends `compensated`.
    compensated = (
      await app.starter.start(
        processOrder,
        initialOrderState(
          anOrder({ shippingAddress: { street: 'Nowhere 1', city: 'Atlantis', postalCode: '0', country: 'XX' } }),
          `undeliverable-${randomUUID()}`,
        ),
      )
    ).workflowId;
    await Promise.all([...completed, failed, compensated].map((id) => app.query.waitFor(id, { timeoutMs: 60_000 })));
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('serves the built page under its path, with a CSRF cookie and a content security policy', async () => {
    const redirect = await fetch(app.url, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/strategos/');
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('set-cookie')).toMatch(/strategos_dashboard_csrf=.+; Path=\/strategos; HttpOnly; SameSite=Strict/);
    const html = await page.text();
    const script = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${app.url}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${app.url}/assets/..%2F.vite%2Fmanifest.json`)).status).toBe(404);
    expect((await fetch(`${app.url}/assets/nothing.js`)).status).toBe(404);
  });

  it('lists runs newest first with each filter and cursor paging', async () => {
    const all = await json<RunPage>(await fetch(`${app.url}/api/runs?limit=200`));
    expect(all.items.map((run) => run.workflowId)).toEqual(expect.arrayContaining([...completed, failed, compensated]));
    const started = all.items.map((run) => run.startedAt);
    expect([...started].sort().reverse()).toEqual(started);

    const byStatus = await json<RunPage>(await fetch(`${app.url}/api/runs?status=failed`));
    expect(byStatus.items.map((run) => run.workflowId)).toEqual([failed]);
    const byTwoStatuses = await json<RunPage>(await fetch(`${app.url}/api/runs?status=failed,compensated`));
    expect(byTwoStatuses.items.map((run) => run.workflowId).sort()).toEqual([failed, compensated].sort());
    const byPhase = await json<RunPage>(await fetch(`${app.url}/api/runs?phase=Compensated&workflow=process-order`));
    expect(byPhase.items.map((run) => run.workflowId)).toEqual([compensated]);
    const byId = await json<RunPage>(await fetch(`${app.url}/api/runs?id=${encodeURIComponent(failed.slice(0, 12))}`));
    expect(byId.items.map((run) => run.workflowId)).toEqual([failed]);
    const literalPercent = await json<RunPage>(await fetch(`${app.url}/api/runs?id=${encodeURIComponent('%')}`));
    expect(literalPercent.items).toEqual([]);
    const otherWorkflow = await json<RunPage>(await fetch(`${app.url}/api/runs?workflow=nope`));
    expect(otherWorkflow.items).toEqual([]);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await json<RunPage>(await fetch(`${app.url}/api/runs?from=${future}`))).items).toEqual([]);
    expect((await json<RunPage>(await fetch(`${app.url}/api/runs?to=${future}`))).items).toHaveLength(6);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await json<RunPage>(await fetch(`${app.url}/api/runs?limit=4${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.items.map((run) => run.workflowId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((run) => run.workflowId));
  });

  it.each([
    ['status=done', /status must be a comma-separated list/],
    ['limit=0', /limit must not be less than 1/],
    ['limit=abc', /limit must be an integer/],
    ['from=yesterday', /from must be a valid ISO 8601/],
    ['cursor=bm90LWEtY3Vyc29y', /cursor is not a page's nextCursor/],
    ['colour=blue', /property colour should not exist/],
  ])('refuses a bad list query (%s) with 400 and a message', async (query, message) => {
    const response = await fetch(`${app.url}/api/runs?${query}`);
    expect(response.status).toBe(400);
    const body = await json<{ message: string | string[] }>(response);
    expect([body.message].flat().join('; ')).toMatch(message);
  });

  it("shows a run's state, history, diagram with its position, and actions", async () => {
    const details = await json<{
      run: { status: string; phase: string; state: { order: unknown } };
      history: HistoryEntry[];
      diagram: string;
      actions: string[];
    }>(await fetch(`${app.url}/api/runs/${failed}`));
    expect(details.run.status).toBe('failed');
    expect(details.run.state.order).toBeDefined();
    expect(details.history.map((entry) => entry.kind)).toEqual(expect.arrayContaining(['Started', 'StepFailed', 'Failed']));
    expect(details.diagram).toContain('stateDiagram-v2');
    expect(details.diagram).toContain('class Failed current');
    expect(details.actions).toEqual(['retry']);
    expect((await fetch(`${app.url}/api/runs/${randomUUID()}`)).status).toBe(404);
  });

  it('shows the trace id of a run started with a trace, read from its history (not only from what the bus showed)', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { workflowId } = await app.starter.start(processOrder, initialOrderState(anOrder(), `traced-${randomUUID()}`), { traceparent });
    await app.query.waitFor(workflowId, { timeoutMs: 60_000 });
    const started = (await app.query.history(workflowId)).find((entry) => entry.kind === 'Started');
    const traceId = String(started?.data.traceparent).split('-')[1];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    // A dashboard started after the run (or another process's) has seen none of its events on the bus.
    const other = await startDashboardApp({}, 0, {}, { environment: app.environment });
    try {
      const details = await json<{ traceId: string | null }>(await fetch(`${other.url}/api/runs/${workflowId}`));
      expect(details.traceId).toBe(traceId);
    } finally {
      await other.stop();
    }
  });

  it('retries a failed run and records who did it in its history', async () => {
    const response = await postAction(app, session, `runs/${failed}/actions/retry`, {}, { 'x-test-user': 'ana' });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ action: 'retry', workflowId: failed, recorded: true });
    const history = await app.query.history(failed);
    const operator = history.find((entry) => entry.kind === 'OperatorAction');
    expect(operator?.data).toEqual({ action: 'retry', actor: 'ana', outcome: 'applied' });
    expect(history.some((entry) => entry.kind === 'Retried')).toBe(true);
    // The sequence stays gap-free and in order with the engine's own events.
    expect(history.map((entry) => entry.sequence)).toEqual(history.map((_, index) => index + 1));
    await app.query.waitFor(failed, { timeoutMs: 60_000 });
  });

  it('refuses an action the run cannot take with 409 and the code, and records the refusal', async () => {
    const response = await postAction(app, session, `runs/${completed[0]}/actions/retry`, {}, { 'x-test-user': 'bob' });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'WORKFLOW_NOT_RETRYABLE' });
    const history = await app.query.history(completed[0]);
    expect(history.at(-1)).toMatchObject({
      kind: 'OperatorAction',
      data: { action: 'retry', actor: 'bob', outcome: 'refused', code: 'WORKFLOW_NOT_RETRYABLE' },
    });
  });

  it.each([
    ['an unknown property', { colour: 'blue' }, /property colour should not exist/],
    ['a reason that is not a string', { reason: 42 }, /reason must be a string/],
    ['a body that is not an object', '[1]', /must be a JSON object/],
  ])('refuses a cancel with %s with 400', async (_case, body, message) => {
    const response = await postAction(app, session, `runs/${completed[1]}/actions/cancel`, body, { 'x-test-user': 'ana' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'INVALID_ACTION_BODY', message: expect.stringMatching(message) });
  });

  it('refuses actions without the CSRF token, from another origin, or that the guard refuses (403)', async () => {
    const path = `runs/${completed[1]}/actions/cancel`;
    const noToken = await fetch(`${app.url}/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.origin, cookie: session.cookie, 'x-test-user': 'ana' },
      body: '{}',
    });
    expect(noToken.status).toBe(403);
    expect(await noToken.json()).toMatchObject({ code: 'CSRF_REJECTED' });
    const wrongToken = await postAction(app, session, path, {}, { 'x-test-user': 'ana', [session.header]: 'forged' });
    expect(wrongToken.status).toBe(403);
    const crossOrigin = await postAction(app, session, path, {}, { 'x-test-user': 'ana', origin: 'http://evil.example' });
    expect(crossOrigin.status).toBe(403);
    expect(await crossOrigin.json()).toMatchObject({ code: 'CSRF_REJECTED' });
    const noUser = await postAction(app, session, path, {});
    expect(noUser.status).toBe(403);
    const viaGet = await fetch(`${app.url}/api/${path}`, {
      headers: { cookie: session.cookie, [session.header]: session.token, 'x-test-user': 'ana' },
    });
    expect(viaGet.status).toBe(404);
    expect((await app.query.history(completed[1])).some((entry) => entry.kind === 'OperatorAction')).toBe(false);
  });

  it('sends live changes from the bus as batches over server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${app.url}/api/live`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const workflowId = `live-${randomUUID()}`;
    // Subscribed: give the server a moment to count this listener before the run starts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await app.starter.start(processOrder, initialOrderState(anOrder(), workflowId));
    let text = '';
    const deadline = Date.now() + 60_000;
    while (
      !/"status":"completed"/.test(
        text
          .split('\n')
          .filter((line) => line.includes(workflowId))
          .join('\n'),
      ) &&
      Date.now() < deadline
    ) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    const batches = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { runs: { workflowId: string; status: string }[]; overflow: boolean });
    expect(text).toContain('event: runs');
    const mine = batches.flatMap((batch) => batch.runs).filter((run) => run.workflowId === workflowId);
    expect(mine.at(-1)?.status).toBe('completed');
    // Batched: far fewer messages than the run's events (Started, 5 phase changes, 5 step completions, Completed).
    expect(batches.length).toBeLessThan(12);
  });

  it('reports per-workflow stats: throughput, failure rate, step latency percentiles and consumers', async () => {
    const [stats] = await json<
      {
        workflow: string;
        completed: number;
        failed: number;
        failureRate: number;
        throughputPerMinute: number;
        stepLatencies: { step: string; samples: number; p50Ms: number; p99Ms: number }[];
        queues: { step: string; consumers: number | null; stalled: boolean }[];
      }[]
    >(await fetch(`${app.url}/api/stats?workflow=process-order&windowMinutes=60`));
    expect(stats.workflow).toBe('process-order');
    expect(stats.completed).toBeGreaterThanOrEqual(4);
    expect(stats.failed).toBeGreaterThanOrEqual(2);
    expect(stats.failureRate).toBeCloseTo(stats.failed / (stats.completed + stats.failed), 3);
    expect(stats.throughputPerMinute).toBeGreaterThan(0);
    const payment = stats.stepLatencies.find((latency) => latency.step === 'ProcessPayment');
    expect(payment?.samples).toBeGreaterThanOrEqual(4);
    expect(payment!.p99Ms).toBeGreaterThanOrEqual(payment!.p50Ms);
    // The fork's other path, which enters its step in the same transition: timed from its own phase change.
    expect(stats.stepLatencies.find((latency) => latency.step === 'ReserveInventory')?.samples).toBeGreaterThanOrEqual(4);
    expect(stats.queues.find((queue) => queue.step === 'ValidateOrder')).toMatchObject({ consumers: 1, stalled: false });
    expect((await fetch(`${app.url}/api/stats?workflow=nope`)).status).toBe(404);
    expect((await fetch(`${app.url}/api/stats?windowMinutes=0`)).status).toBe(400);
  });

  it('lists dead letters with code and reason, pages them by cursor, replays one (recorded on its run) and discards one', async () => {
    const queue = stepQueueName(app.environment.namespace, 'process-order', 'ValidateOrder');
    const connection = await amqp.connect(app.environment.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    for (const body of ['{"not":"a command"}', 'not json'])
      channel.sendToQueue(queue, Buffer.from(body), {
        messageId: randomUUID(),
        headers: { [StrategosHeader.WorkflowId]: completed[2], [StrategosHeader.Workflow]: 'process-order' },
      });
    await channel.waitForConfirms();
    await connection.close();
    let letters: DeadLetter[] = [];
    for (let i = 0; i < 300 && letters.length < 2; i++) {
      letters = (await json<DeadLetterPage>(await fetch(`${app.url}/api/dead-letters`))).items;
      if (letters.length < 2) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(letters.map((letter) => letter.code).sort()).toEqual(['INVALID_COMMAND', 'MALFORMED_JSON']);
    expect(letters.every((letter) => letter.reason.length > 0 && letter.originalQueue === queue)).toBe(true);
    const filtered = await json<DeadLetterPage>(await fetch(`${app.url}/api/dead-letters?code=MALFORMED_JSON`));
    expect(filtered.items.map((letter) => letter.code)).toEqual(['MALFORMED_JSON']);
    // Cursor paging, oldest first: one letter per page.
    const first = await json<DeadLetterPage>(await fetch(`${app.url}/api/dead-letters?limit=1`));
    expect(first.items.map((letter) => letter.id)).toEqual([letters[0].id]);
    const second = await json<DeadLetterPage>(
      await fetch(`${app.url}/api/dead-letters?limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`),
    );
    expect(second.items.map((letter) => letter.id)).toEqual([letters[1].id]);
    expect(second.nextCursor).toBeUndefined();
    const badCursor = await fetch(`${app.url}/api/dead-letters?cursor=junk`);
    expect(badCursor.status).toBe(400);
    expect(await badCursor.json()).toMatchObject({ code: 'INVALID_CURSOR' });

    const replayed = letters.find((letter) => letter.code === 'INVALID_COMMAND')!;
    const replay = await postAction(app, session, `dead-letters/${replayed.id}/actions/replay`, {}, { 'x-test-user': 'ana' });
    expect(replay.status).toBe(201);
    const discarded = letters.find((letter) => letter.code === 'MALFORMED_JSON')!;
    const discard = await postAction(app, session, `dead-letters/${discarded.id}/actions/discard`, {}, { 'x-test-user': 'ana' });
    expect(discard.status).toBe(201);
    expect((await postAction(app, session, `dead-letters/${discarded.id}/actions/discard`, {}, { 'x-test-user': 'ana' })).status).toBe(404);

    const actions = (await app.query.history(completed[2])).filter((entry) => entry.kind === 'OperatorAction').map((entry) => entry.data);
    expect(actions).toEqual([
      { action: 'replay', actor: 'ana', outcome: 'applied', deadLetterId: replayed.id },
      { action: 'discard', actor: 'ana', outcome: 'applied', deadLetterId: discarded.id },
    ]);
  });
});

describe('Dashboard API in read-only mode', () => {
  let app: DashboardTestApp;

  beforeAll(async () => {
    app = await startDashboardApp({ readOnly: true, path: '/ops/saga' }, 0);
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('offers no action and refuses every action with 403 DASHBOARD_READ_ONLY', async () => {
    const session = await openSession(app.url);
    const meta = await json<{ readOnly: boolean; actions: unknown[] }>(await fetch(`${app.url}/api/meta`));
    expect(meta).toMatchObject({ readOnly: true, actions: [] });
    const { workflowId } = await app.starter.start(processOrder, initialOrderState());
    for (const path of [
      `runs/${workflowId}/actions/cancel`,
      `runs/${workflowId}/actions/retry`,
      `runs/${workflowId}/actions/signal`,
      `runs/${workflowId}/actions/approve`,
      `runs/${workflowId}/actions/reject`,
      `dead-letters/x/actions/replay`,
    ]) {
      const response = await postAction(app, session, path, { name: 'manager-approval' });
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'DASHBOARD_READ_ONLY' });
    }
    const details = await json<{ actions: string[] }>(await fetch(`${app.url}/api/runs/${workflowId}`));
    expect(details.actions).toEqual([]);
    expect((await app.query.get(workflowId))?.status).toBe('running');
  });
});

describe('Dashboard cancel action', () => {
  let app: DashboardTestApp;

  beforeAll(async () => {
    // Payments hang: a run stays at ProcessPayment until it is cancelled.
    app = await startDashboardApp({ actor: (request) => String(request.headers['x-operator'] ?? '') || null }, 1, { BLOCK_PAYMENT: '1' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('cancels a running run with the reason given, recorded with the actor option', async () => {
    const { workflowId } = await app.starter.start(processOrder, initialOrderState());
    await app.workers[0].waitForOutput(`payment-started ${workflowId}`, 60_000);
    const session = await openSession(app.url);
    const details = await json<{ actions: string[] }>(await fetch(`${app.url}/api/runs/${workflowId}`));
    expect(details.actions).toEqual(['cancel']);
    const response = await postAction(
      app,
      session,
      `runs/${workflowId}/actions/cancel`,
      { reason: 'customer called' },
      { 'x-operator': 'carol' },
    );
    expect(response.status).toBe(201);
    const history = await app.query.history(workflowId);
    expect(history.find((entry) => entry.kind === 'CancelRequested')?.data).toMatchObject({ reason: 'customer called' });
    expect(history.at(-1)).toMatchObject({
      kind: 'OperatorAction',
      data: { action: 'cancel', actor: 'carol', outcome: 'applied', reason: 'customer called' },
    });
    const again = await postAction(app, session, `runs/${workflowId}/actions/cancel`, {}, { 'x-operator': 'carol' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'WORKFLOW_ALREADY_CANCELLING' });
  });
});

describe('Dashboard stalled steps', () => {
  let app: DashboardTestApp;

  beforeAll(async () => {
    // The only worker runs ValidateOrder: nothing consumes ProcessDigitalPayment, nor the fork's ProcessPayment and
    // ReserveInventory.
    app = await startDashboardApp({}, 1, { STRATEGOS_STEPS: 'ValidateOrder' });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('flags a step with work waiting and no consumer as stalled', async () => {
    const { workflowId } = await app.starter.start(processOrder, initialOrderState(aDigitalOrder()));
    let stats: { queues: { step: string; consumers: number | null; messages: number | null; runsWaiting: number; stalled: boolean }[] }[] =
      [];
    // Until both the run and its command are there: the run reaches ProcessDigitalPayment when its transition commits, the
    // command lands when it is published (later on a loaded machine), and one reading of the stats counts the runs
    // before it looks at the queue.
    for (let i = 0; i < 600; i++) {
      stats = await json<typeof stats>(await fetch(`${app.url}/api/stats?workflow=process-order`));
      const payment = stats[0].queues.find((queue) => queue.step === 'ProcessDigitalPayment');
      if (payment?.stalled && payment.messages === 1 && payment.runsWaiting === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stats[0].queues.find((queue) => queue.step === 'ProcessDigitalPayment')).toMatchObject({
      consumers: 0,
      messages: 1,
      runsWaiting: 1,
      stalled: true,
    });
    expect(stats[0].queues.find((queue) => queue.step === 'ValidateOrder')).toMatchObject({ consumers: 1, stalled: false });
    expect((await app.query.get(workflowId))?.phase).toBe('ProcessDigitalPayment');
  });

  it("counts a run at each step its fork's paths wait at", async () => {
    const { workflowId } = await app.starter.start(processOrder, initialOrderState(anOrder()));
    type Queue = { step: string; consumers: number | null; messages: number | null; runsWaiting: number; stalled: boolean };
    const forkSteps = ['ProcessPayment', 'ReserveInventory'];
    let queues: Queue[] = [];
    // Until the run is in the fork and both paths' commands are on their queues (see above).
    for (let i = 0; i < 600; i++) {
      const stats = await json<{ queues: Queue[] }[]>(await fetch(`${app.url}/api/stats?workflow=process-order`));
      queues = stats[0].queues.filter((queue) => forkSteps.includes(queue.step));
      if (queues.every((queue) => queue.stalled && queue.messages === 1 && queue.runsWaiting === 1)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(queues).toEqual(
      forkSteps.map((step) => expect.objectContaining({ step, consumers: 0, messages: 1, runsWaiting: 1, stalled: true })),
    );
    expect((await app.query.get(workflowId))?.phase).toBe('Fork(ProcessPayment, ReserveInventory)');
  });
});

describe('Dashboard front-end bundle', () => {
  const built = join(__dirname, '..', '..', '..', 'dist', 'libs', 'strategos', 'dashboard-ui');

  it('stays within its size budget: 50 KB gzipped for the first load, 4 MB for every asset (mermaid loaded lazily)', () => {
    const html = readFileSync(join(built, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(initial.length).toBeGreaterThanOrEqual(2);
    const initialGzip = initial.reduce((sum, file) => sum + gzipSync(readFileSync(join(built, file)), { level: 9 }).length, 0);
    expect(initialGzip).toBeLessThan(50 * 1024);
    const assets = readdirSync(join(built, 'assets'));
    const total = assets.reduce((sum, file) => sum + statSync(join(built, 'assets', file)).size, 0);
    expect(total).toBeLessThan(4 * 1024 * 1024);
    // No reference to a CDN or any other host: everything is served by the app.
    for (const file of initial) expect(readFileSync(join(built, file), 'utf8')).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/);
  });
});
