import { initialOrderState, anOrder, processOrder } from '@app/orders';
import { freePort } from './support/free-port';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, type TestEnvironment } from './support/strategos-test-app';

/** The order example as separate processes: the HTTP API and two workers, on the real broker and database. */
describe('order-api and order-worker processes', () => {
  let environment: TestEnvironment;
  let api: RunningProcess;
  let workers: RunningProcess[];
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    workers = [
      startProcess('apps/order-worker/src/main.js', environment.env),
      startProcess('apps/order-worker/src/main.js', environment.env),
    ];
    await Promise.all(workers.map((worker) => worker.waitForOutput('worker-ready')));
    api = startProcess('apps/order-api/src/main.js', { ...environment.env, PORT: String(port) });
    await api.waitForOutput('listening');
  });

  afterAll(async () => {
    await Promise.all([api, ...workers].map((p) => p?.stop('SIGTERM')));
    await environment.cleanup([processOrder]);
  });

  async function getView(workflowId: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${baseUrl}/orders/${workflowId}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function waitUntilTerminal(workflowId: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { body } = await getView(workflowId);
      if (body.status !== 'running' || Date.now() > deadline) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('places orders over HTTP (202) and the workers complete them', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await fetch(`${baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(anOrder()),
      });
      expect(response.status).toBe(202);
      const { workflowId } = (await response.json()) as { workflowId: string };
      ids.push(workflowId);
    }
    const views = await Promise.all(ids.map(waitUntilTerminal));
    for (const view of views) {
      expect(view).toMatchObject({
        status: 'completed',
        phase: 'Completed',
        workflow: 'process-order',
        state: { status: 'Completed', isValid: true },
      });
    }
  });

  it('answers 400 naming the fields of a bad body, and starts nothing', async () => {
    const response = await fetch(`${baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: '', customerId: 7, items: [{ sku: 'A', quantity: 0, price: -1 }] }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string[] };
    const text = body.message.join('\n');
    for (const field of ['orderId', 'customerId', 'items.0.quantity', 'items.0.price', 'shippingAddress']) expect(text).toContain(field);
  });

  it('reports readiness on /health: the broker, the database and stalled runs', async () => {
    const response = await fetch(`${baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', started: true, transport: 'connected', database: 'up', stalled: [] });
  });

  it('answers 404 for an unknown workflow id', async () => {
    expect((await getView('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('shows a declined payment as failed with PAYMENT_FAILED at ProcessPayment', async () => {
    const state = initialOrderState(anOrder({ customerId: 'declined-1' }));
    const response = await fetch(`${baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflowId: state.workflowId, ...state.order }),
    });
    expect(response.status).toBe(202);
    const view = await waitUntilTerminal(state.workflowId);
    expect(view).toMatchObject({ error: { code: 'PAYMENT_FAILED', step: 'ProcessPayment' } });
    // The reservation runs in parallel (a fork path): released when it completed, so the run ended compensated.
    expect(['failed', 'compensated']).toContain(view.status);
  });

  it('answers 400 INVALID_INITIAL_STATE naming a field the store cannot keep, while good orders beside it are accepted', async () => {
    const post = (body: unknown) =>
      fetch(`${baseUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const good = Array.from({ length: 30 }, () => post(anOrder()));
    const bad = await post(anOrder({ customerId: 'nul\u0000customer' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'INVALID_INITIAL_STATE', field: 'order.customerId' });
    const responses = await Promise.all(good);
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 202));
    const ids = await Promise.all(responses.map(async (response) => ((await response.json()) as { workflowId: string }).workflowId));
    const views = await Promise.all(ids.map(waitUntilTerminal));
    expect(views.filter((view) => view.status !== 'completed')).toEqual([]);
  });
});
