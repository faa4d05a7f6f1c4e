import 'reflect-metadata';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RpcException } from '@nestjs/microservices';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  OrderStatusEventsController,
  OrderStatusReadModelModule,
  OrderStatusRepository,
  anOrder,
  initialOrderState,
  orderStatusReadModelQueue,
  processOrder,
  type Order,
} from '@app/orders';
import type { JsonObject, WorkflowEvent, WorkflowEventKind } from '@strategos/nestjs';
import { freePort } from './support/free-port';
import { startProcess, type RunningProcess } from './support/processes';
import { createTestEnvironment, type TestEnvironment } from './support/strategos-test-app';

/** The body of `GET /orders/:id/status`. */
interface StatusBody {
  readonly workflowId: string;
  readonly orderId: string | null;
  readonly phase: string;
  readonly status: string;
  readonly estimatedCompletionAt?: string;
}

/** The order status read model in the real order-api process (a hybrid app), fed by a real worker's runs. */
describe('order status read model (order-api and order-worker processes)', () => {
  let environment: TestEnvironment;
  let api: RunningProcess;
  let worker: RunningProcess;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    worker = startProcess('apps/order-worker/src/main.js', environment.env);
    await worker.waitForOutput('worker-ready');
    api = startProcess('apps/order-api/src/main.js', { ...environment.env, PORT: String(port) });
    await api.waitForOutput('listening');
  });

  afterAll(async () => {
    await Promise.all([api, worker].map((child) => child?.stop('SIGTERM')));
    const connection = await connect(environment.rabbitmqUrl);
    try {
      const channel = await connection.createChannel();
      await channel.deleteQueue(orderStatusReadModelQueue(environment.namespace));
    } finally {
      await connection.close();
    }
    await environment.cleanup([processOrder]);
  });

  async function place(order: Order): Promise<string> {
    const { workflowId } = initialOrderState(order);
    const response = await fetch(`${baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflowId, ...order }),
    });
    expect(response.status).toBe(202);
    return workflowId;
  }

  async function getStatus(workflowId: string): Promise<{ status: number; body: StatusBody }> {
    const response = await fetch(`${baseUrl}/orders/${workflowId}/status`);
    return { status: response.status, body: (await response.json()) as StatusBody };
  }

  /** Polls the read model until the run's row shows a terminal status. */
  async function eventualStatus(workflowId: string): Promise<StatusBody> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { status, body } = await getStatus(workflowId);
      if ((status === 200 && body.status !== 'running') || Date.now() > deadline) return body;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('shows placed orders as completed once their events reached the read model', async () => {
    const orders = [anOrder(), anOrder(), anOrder()];
    const ids = await Promise.all(orders.map(place));
    const statuses = await Promise.all(ids.map(eventualStatus));
    statuses.forEach((status, index) =>
      expect(status).toMatchObject({ workflowId: ids[index], orderId: orders[index].orderId, phase: 'Completed', status: 'completed' }),
    );
  });

  it('shows a declined payment as failed and an out-of-stock order as compensated', async () => {
    const declined = anOrder({ customerId: 'declined-1' });
    const outOfStock = anOrder({ items: [{ sku: 'OOS-1', quantity: 1, price: 9 }] });
    const [declinedId, outOfStockId] = await Promise.all([place(declined), place(outOfStock)]);
    // Payment and reservation are fork paths: the other path's step is undone when it completed (then the run ends
    // compensated), and never runs when the failure came first (failed).
    const ended = [
      { phase: 'Failed', status: 'failed' },
      { phase: 'Compensated', status: 'compensated' },
    ];
    for (const [id, order] of [
      [declinedId, declined],
      [outOfStockId, outOfStock],
    ] as const) {
      const status = await eventualStatus(id);
      expect(status).toMatchObject({ orderId: order.orderId });
      expect(ended).toContainEqual({ phase: status.phase, status: status.status });
    }
  });

  it('answers 404 for a run the read model has no event of', async () => {
    expect((await getStatus(randomUUID())).status).toBe(404);
  });
});

/** The projection's handler and table on the real PostgreSQL: idempotent, and safe against out-of-order delivery. */
describe('order status projection', () => {
  let environment: TestEnvironment;
  let app: INestApplicationContext;
  let handler: OrderStatusEventsController;
  let repository: OrderStatusRepository;
  let client: Client;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    @Module({ imports: [OrderStatusReadModelModule.forRoot({ databaseUrl: environment.databaseUrl, schema: environment.schema })] })
    class ProjectionTestModule {}
    app = await NestFactory.createApplicationContext(ProjectionTestModule, { logger: ['error', 'warn'] });
    handler = app.get(OrderStatusEventsController);
    repository = app.get(OrderStatusRepository);
    client = new Client({ connectionString: environment.databaseUrl });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await app?.close();
    await environment?.cleanup();
  });

  /** A `process-order` event as published on the bus. */
  function event(workflowId: string, sequence: number, kind: WorkflowEventKind, data: JsonObject = {}): WorkflowEvent {
    return {
      eventId: randomUUID(),
      type: `ProcessOrder${kind}`,
      kind,
      workflowId,
      workflowName: 'process-order',
      sequence,
      timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
      data,
    };
  }

  /** The events of a completed run, in sequence order. */
  function completedRun(workflowId: string, orderId: string): WorkflowEvent[] {
    const state = { workflowId, order: { orderId }, status: 'Pending' };
    const steps = ['ValidateOrder', 'ProcessPayment', 'ReserveInventory', 'FulfillOrder', 'SendConfirmation'];
    const events: WorkflowEvent[] = [event(workflowId, 1, 'Started', { state })];
    let from = 'NotStarted';
    for (const step of steps) {
      events.push(event(workflowId, events.length + 1, 'PhaseChanged', { from, to: step }));
      events.push(event(workflowId, events.length + 1, 'StepCompleted', { step, attempt: 1, patch: {} }));
      from = step;
    }
    events.push(event(workflowId, events.length + 1, 'Completed', { state: { ...state, status: 'Completed' } }));
    return events;
  }

  /** The row's system column xmin: it changes with every write, so an unchanged xmin proves nothing was written. */
  async function rowVersion(workflowId: string): Promise<string> {
    const { rows } = await client.query<{ xmin: string }>(
      `SELECT xmin::text AS xmin FROM "${environment.schema}".order_status WHERE workflow_id = $1`,
      [workflowId],
    );
    return rows[0].xmin;
  }

  it('applies a redelivered event once', async () => {
    const workflowId = randomUUID();
    const phaseChanged = event(workflowId, 2, 'PhaseChanged', { from: 'NotStarted', to: 'ValidateOrder' });
    await expect(
      handler.onWorkflowEvent(event(workflowId, 1, 'Started', { state: { workflowId, order: { orderId: 'ord-1' }, status: 'Pending' } })),
    ).resolves.toBe(true);
    await expect(handler.onWorkflowEvent(phaseChanged)).resolves.toBe(true);
    const written = await rowVersion(workflowId);

    await expect(handler.onWorkflowEvent(phaseChanged)).resolves.toBe(false);
    await expect(handler.onWorkflowEvent(JSON.parse(JSON.stringify(phaseChanged)))).resolves.toBe(false);

    expect(await rowVersion(workflowId)).toBe(written);
    expect(await repository.find(workflowId)).toEqual({
      workflowId,
      orderId: 'ord-1',
      phase: 'ValidateOrder',
      status: 'running',
      lastSequence: 2,
      updatedAt: new Date(phaseChanged.timestamp),
    });
  });

  it('keeps the newer phase when an older event arrives after it', async () => {
    const workflowId = randomUUID();
    await handler.onWorkflowEvent(
      event(workflowId, 1, 'Started', { state: { workflowId, order: { orderId: 'ord-2' }, status: 'Pending' } }),
    );
    await expect(
      handler.onWorkflowEvent(event(workflowId, 6, 'PhaseChanged', { from: 'ProcessPayment', to: 'ReserveInventory' })),
    ).resolves.toBe(true);
    const written = await rowVersion(workflowId);

    await expect(
      handler.onWorkflowEvent(event(workflowId, 4, 'PhaseChanged', { from: 'ValidateOrder', to: 'ProcessPayment' })),
    ).resolves.toBe(false);

    expect(await rowVersion(workflowId)).toBe(written);
    expect(await repository.find(workflowId)).toMatchObject({
      orderId: 'ord-2',
      phase: 'ReserveInventory',
      status: 'running',
      lastSequence: 6,
    });
  });

  it('keeps a terminal status against a late PhaseChanged, and takes the order id from a late Started', async () => {
    const workflowId = randomUUID();
    await expect(
      handler.onWorkflowEvent(
        event(workflowId, 14, 'Failed', {
          status: 'compensated',
          error: { code: 'OUT_OF_STOCK', message: 'Out of stock: OOS-1', step: 'ReserveInventory' },
        }),
      ),
    ).resolves.toBe(true);
    expect(await repository.find(workflowId)).toMatchObject({
      orderId: null,
      phase: 'Compensated',
      status: 'compensated',
      lastSequence: 14,
    });

    await expect(
      handler.onWorkflowEvent(event(workflowId, 12, 'PhaseChanged', { from: 'Compensated', to: 'SendFailureNotification' })),
    ).resolves.toBe(false);
    await expect(
      handler.onWorkflowEvent(event(workflowId, 1, 'Started', { state: { workflowId, order: { orderId: 'ord-3' }, status: 'Pending' } })),
    ).resolves.toBe(true);
    await expect(
      handler.onWorkflowEvent(event(workflowId, 1, 'Started', { state: { workflowId, order: { orderId: 'ord-3' }, status: 'Pending' } })),
    ).resolves.toBe(false);

    expect(await repository.find(workflowId)).toMatchObject({
      orderId: 'ord-3',
      phase: 'Compensated',
      status: 'compensated',
      lastSequence: 14,
      updatedAt: new Date(event(workflowId, 14, 'Failed').timestamp),
    });
  });

  it('ends at the last event whatever the order and number of deliveries', async () => {
    const workflowId = randomUUID();
    const run = completedRun(workflowId, 'ord-4');
    // Every event twice, newest first: the worst order a queue could deliver.
    for (const delivered of [...run, ...run].reverse()) await handler.onWorkflowEvent(delivered);
    expect(await repository.find(workflowId)).toEqual({
      workflowId,
      orderId: 'ord-4',
      phase: 'Completed',
      status: 'completed',
      lastSequence: run.length,
      updatedAt: new Date(run[run.length - 1].timestamp),
    });
  });

  it('changes nothing for the kinds that move neither phase nor status', async () => {
    const workflowId = randomUUID();
    await expect(
      handler.onWorkflowEvent(event(workflowId, 3, 'StepCompleted', { step: 'ValidateOrder', attempt: 1, patch: {} })),
    ).resolves.toBe(false);
    expect(await repository.find(workflowId)).toBeNull();
  });

  it('rejects a payload that is not a workflow event', async () => {
    await expect(handler.onWorkflowEvent({ pattern: 'process-order.PhaseChanged', sequence: 'one' })).rejects.toBeInstanceOf(RpcException);
  });
});
