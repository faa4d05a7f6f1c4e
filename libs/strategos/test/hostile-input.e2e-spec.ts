import { randomUUID } from 'node:crypto';
import { anOrder, initialOrderState, ORDER_SERVICES, ORDER_STEPS, processOrder } from '@app/orders';
import { controlQueueName, startQueueName, stepQueueName, topologyNames } from '@strategos/nestjs';
import { freePort } from './support/free-port';
import { cpuShare, junkFor, nested, sendJunk, waitForDeadLetters, type Junk } from './support/hostile-messages';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const VALID_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

/** A step command of process-order for a run that does not exist: whatever part of it is junk, it ends as a dead letter. */
function stepCommandTemplate(): Record<string, unknown> {
  const messageId = randomUUID();
  return {
    messageId,
    type: 'ExecuteValidateOrderCommand',
    workflowId: `unknown-${randomUUID()}`,
    workflowName: 'process-order',
    step: 'ValidateOrder',
    role: 'forward',
    attempt: 1,
    idempotencyKey: `${messageId}:1`,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    createdAt: new Date().toISOString(),
    traceparent: VALID_TRACEPARENT,
  };
}

/** Every message a Strategos process consumes, as a hostile producer would send it (issue 10, "What to deliver"). */
describe('hostile input on every consumed queue and on the HTTP API, while good traffic runs', () => {
  let environment: TestEnvironment;
  let worker: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    worker = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS]);
  });

  afterAll(async () => {
    await worker.close();
    await environment.cleanup([processOrder]);
  });

  async function runGood(count: number): Promise<number> {
    const started = Date.now();
    const ids = await Promise.all(
      Array.from({ length: count }, async () => (await worker.starter.start(processOrder, initialOrderState())).workflowId),
    );
    const views = await Promise.all(ids.map((id) => worker.query.waitFor(id, { timeoutMs: 120_000 })));
    expect(views.filter((view) => view.status !== 'completed')).toEqual([]);
    return Date.now() - started;
  }

  it('dead-letters every bad message with a code within seconds; good workflows neither fail nor slow down; CPU falls back to idle', async () => {
    const { namespace } = environment;
    const stepQueue = stepQueueName(namespace, 'process-order', 'ValidateOrder');
    const startQueue = startQueueName(namespace, 'process-order');
    const controlQueue = controlQueueName(namespace, 'process-order');
    const deadLetterQueue = topologyNames(namespace).deadLetterQueue;
    const startTemplate = {
      messageId: randomUUID(),
      type: 'StartProcessOrderCommand',
      workflowName: 'process-order',
      state: initialOrderState(),
      traceparent: VALID_TRACEPARENT,
    };
    const junk: Junk[] = [
      ...junkFor(
        stepQueue,
        stepCommandTemplate(),
        { attempt: 'one', workflowId: 42, role: ['forward'] },
        { workflowName: 'no-such-workflow', step: 'NoSuchStep', type: 'ExecuteNoSuchStepCommand' },
        // A NUL in workflowId reaches the store: see hostile-input-store.e2e-spec.ts.
        ['workflowId'],
      ),
      ...junkFor(
        startQueue,
        startTemplate,
        { state: 'not-an-object', workflowName: 7 },
        { workflowName: 'no-such-workflow', type: 'StartNoSuchWorkflowCommand' },
        // Neither is a reason to refuse a start (the messageId is not used, a bad traceparent is dropped).
        ['messageId', 'traceparent'],
      ),
      ...junkFor(
        controlQueue,
        { messageId: randomUUID(), action: 'cancel', workflowId: `unknown-${randomUUID()}`, reason: 'hostile' },
        { action: 5, workflowId: ['x'] },
        { action: 'explode' },
        // These reach the store or the refusal path: see hostile-input-store.e2e-spec.ts.
        ['messageId', 'workflowId', 'reason'],
      ),
      ...deadLetterQueueJunk(deadLetterQueue),
    ];

    const baselineMs = await runGood(30);
    const underAttack = runGood(30);
    const sentAt = Date.now();
    await sendJunk(environment.rabbitmqUrl, junk);
    const codes = await waitForDeadLetters(environment.databaseUrl, environment.schema, junk, 60_000);
    const deadLetteredMs = Date.now() - sentAt;
    const attackMs = await underAttack;

    for (const item of junk)
      expect({ junk: item.label, code: codes.get(item.messageId) }).toEqual({ junk: item.label, code: expect.stringMatching(/^\S+$/) });
    const byLabel = (suffix: string) => junk.filter((item) => item.label.endsWith(suffix)).map((item) => codes.get(item.messageId));
    expect(byLabel(': 10 MB').filter((code, index) => index < 3)).toEqual(['MESSAGE_TOO_LARGE', 'MESSAGE_TOO_LARGE', 'MESSAGE_TOO_LARGE']);
    expect(byLabel(': nested 5,000 levels').slice(0, 3)).toEqual(['MALFORMED_JSON', 'MALFORMED_JSON', 'MALFORMED_JSON']);
    expect(byLabel(': a 20 KB header').slice(0, 3)).toEqual(['HEADERS_TOO_LARGE', 'HEADERS_TOO_LARGE', 'HEADERS_TOO_LARGE']);
    expect(deadLetteredMs).toBeLessThan(60_000);
    // Generous: the machine is shared, but a poisoned system took minutes.
    expect(attackMs).toBeLessThan(Math.max(baselineMs * 5, baselineMs + 20_000));

    // Only junk left (all of it dead-lettered): nothing spins.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idleShare = await cpuShare(5_000);
    expect(idleShare).toBeLessThan(0.2);

    // And the system still works.
    await runGood(10);
  });

  describe('the example HTTP API (apps/order-api)', () => {
    let api: RunningProcess;
    let baseUrl: string;

    beforeAll(async () => {
      const port = await freePort();
      baseUrl = `http://127.0.0.1:${port}`;
      api = startProcess('apps/order-api/src/main.js', { ...environment.env, PORT: String(port) });
      await api.waitForOutput('listening');
    });

    afterAll(async () => {
      await api?.stop('SIGTERM');
    });

    async function post(body: string | Buffer, headers: Record<string, string> = {}): Promise<number> {
      const response = await fetch(`${baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      await response.arrayBuffer();
      return response.status;
    }

    it('answers 4xx, never 5xx, to junk bodies, ids and headers; a malformed traceparent only loses the trace', async () => {
      const order = anOrder();
      const statuses: Record<string, number> = {
        'not JSON': await post('this is not { json'),
        empty: await post(''),
        '10 MB': await post(JSON.stringify({ ...order, padding: 'x'.repeat(10 * 1024 * 1024) })),
        'nested 5,000 levels': await post(`{"orderId":${nested(5_000)}}`),
        'wrong types': await post(JSON.stringify({ ...order, items: 'none', customerId: 7 })),
        'unknown fields': await post(JSON.stringify({ ...order, isAdmin: true })),
        'a 200 KB traceparent header': await post(JSON.stringify(order), { traceparent: `${VALID_TRACEPARENT}${'0'.repeat(200_000)}` }),
      };
      for (const field of ['orderId', 'customerId'] as const)
        statuses[`NUL in ${field}`] = await post(JSON.stringify({ ...order, [field]: `${order[field]}\u0000` }));
      for (const field of ['street', 'city', 'postalCode'] as const)
        statuses[`NUL in shippingAddress.${field}`] = await post(
          JSON.stringify({ ...order, shippingAddress: { ...order.shippingAddress, [field]: `a\u0000` } }),
        );
      statuses['NUL in items.0.sku'] = await post(JSON.stringify({ ...order, items: [{ ...order.items[0], sku: 'A\u0000' }] }));
      for (const [label, status] of Object.entries(statuses)) expect({ label, status }).toEqual({ label, status: expect.any(Number) });
      for (const [label, status] of Object.entries(statuses))
        expect({ label, clientError: status >= 400 && status < 500 }).toEqual({ label, clientError: true });

      for (const path of ['/orders/%00', '/orders/%00/status', `/orders/${'x'.repeat(300)}`, '/orders/a%00b', '/orders/%ff%fe']) {
        const response = await fetch(`${baseUrl}${path}`);
        await response.arrayBuffer();
        expect({ path, status: response.status }).toEqual({ path, status: path === '/orders/%ff%fe' ? expect.any(Number) : 404 });
        expect(response.status).toBeLessThan(500);
      }

      // Invalid UTF-8 in a field is decoded to U+FFFD: a valid order, accepted.
      const invalidUtf8 = Buffer.concat([
        Buffer.from(JSON.stringify({ ...order, orderId: 'A' }).replace('"A"', '"')),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"'),
      ]);
      const accepted = await post(invalidUtf8);
      expect(accepted).toBeLessThan(500);

      // A malformed traceparent: the order is placed and completes, with a fresh trace.
      const response = await fetch(`${baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: 'not-a-traceparent' },
        body: JSON.stringify(anOrder()),
      });
      expect(response.status).toBe(202);
      const { workflowId } = (await response.json()) as { workflowId: string };
      await expect(worker.query.waitFor(workflowId, { timeoutMs: 60_000 })).resolves.toMatchObject({ status: 'completed' });
      expect(api.output.filter((line) => /ExceptionsHandler/.test(line))).toEqual([]);
    });
  });
});

/** What lands on the dead-letter queue itself: the archiver keeps any body and any header. */
function deadLetterQueueJunk(queue: string): Junk[] {
  const items: Omit<Junk, 'queue' | 'messageId'>[] = [
    { label: 'not JSON', content: Buffer.from('this is not { json') },
    { label: 'empty', content: Buffer.alloc(0) },
    { label: '10 MB', content: Buffer.alloc(10 * 1024 * 1024, 0x61) },
    { label: 'nested 5,000 levels', content: Buffer.from(nested(5_000)) },
    { label: 'a NUL body', content: Buffer.from('\u0000\u0000{"a":"\u0000"}') },
    { label: 'invalid UTF-8 body', content: Buffer.from([0xff, 0xfe, 0x00, 0x41]) },
    { label: 'a non-date dead-lettered-at header', content: Buffer.from('{}'), headers: { 'x-strategos-dead-lettered-at': 'not a date' } },
    {
      label: 'NUL in header names and values',
      content: Buffer.from('{}'),
      headers: { 'x-strategos-dead-letter-code': 'A\u0000B', 'x-strategos-original-queue': '\u0000', 'x-\u0000': 'v\u0000' },
    },
    { label: 'a 20 KB header', content: Buffer.from('{}'), headers: { 'x-junk': 'j'.repeat(20_000) } },
    {
      label: 'headers of every AMQP type',
      content: Buffer.from('{}'),
      headers: { table: { nested: { deep: true } }, array: [1, 'two', null], flag: false, big: 2 ** 60, when: new Date(0) },
    },
  ];
  return items.map((item) => ({ ...item, label: `${queue}: ${item.label}`, queue, messageId: `junk-${randomUUID()}` }));
}
