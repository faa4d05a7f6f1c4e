import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import {
  anOrder,
  initialOrderState,
  ORDER_SERVICES,
  ORDER_STEPS,
  processOrder,
  SignalProcessOrderCommand,
  type OrderState,
} from '@app/orders';

import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

const APPROVAL = 'AwaitApproval(manager-approval)';

/** The order example's approval of orders over the limit, on RabbitMQ and PostgreSQL. */
describe('process-order: a manager approves orders over the limit', () => {
  let environment: TestEnvironment;
  let app: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    app = await startTestApp(environment, [processOrder], [...ORDER_STEPS, ...ORDER_SERVICES]);
  });
  afterAll(async () => {
    await app?.close();
    await environment?.cleanup([processOrder]);
  });

  const large = () =>
    initialOrderState(anOrder({ orderId: `big-${randomUUID()}`, items: [{ sku: 'DESK-PRO', quantity: 1, price: 1_499 }] }));
  const parked = async (workflowId: string) => {
    for (let i = 0; i < 600; i++) {
      const view = await app.query.get<OrderState>(workflowId);
      if (view?.phase === APPROVAL) return view;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${workflowId} never waited for approval`);
  };

  it('charges a small order without asking anyone', async () => {
    const { workflowId } = await app.starter.start(processOrder, initialOrderState(anOrder()));
    const done = await app.query.waitFor<OrderState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect((await app.query.history(workflowId)).some((e) => e.kind === 'Waiting')).toBe(false);
  });

  it('waits for the approval before the charge, then completes with who approved', async () => {
    const { workflowId } = await app.starter.start(processOrder, large());
    const view = await parked(workflowId);
    expect(view.state.payment).toBeUndefined();
    expect(view.active[0]).toMatchObject({ waitingFor: 'manager-approval' });
    expect(view.active[0].wakesAt!.getTime() - view.active[0].since.getTime()).toBe(48 * 3_600_000);
    await app.control.approve(workflowId, 'manager-approval', { by: 'ana', comment: 'ok' });
    const done = await app.query.waitFor<OrderState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('completed');
    expect(done.state).toMatchObject({ approvedBy: 'ana', payment: { success: true } });
  });

  it('fails a rejected order before anything is charged, and tells the customer', async () => {
    const { workflowId } = await app.starter.start(processOrder, large());
    await parked(workflowId);
    await app.control.reject(workflowId, 'manager-approval', { by: 'bo' });
    const done = await app.query.waitFor<OrderState>(workflowId, { timeoutMs: 30_000 });
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ code: 'APPROVAL_REJECTED', step: 'signal:manager-approval' });
    expect(done.state).toMatchObject({ failureNotified: true });
    expect(done.state.payment).toBeUndefined();
  });

  it('approves by the generated SignalProcessOrderCommand on the control queue, from a service without the definition', async () => {
    const { workflowId } = await app.starter.start(processOrder, large());
    await parked(workflowId);
    const connection = await amqp.connect(environment.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      const command = SignalProcessOrderCommand.create(workflowId, 'manager-approval', { approved: true, by: 'service' }, randomUUID());
      channel.sendToQueue(SignalProcessOrderCommand.queue(environment.namespace), Buffer.from(JSON.stringify(command)), {
        persistent: true,
      });
      await channel.waitForConfirms();
    } finally {
      await connection.close();
    }
    const done = await app.query.waitFor<OrderState>(workflowId, { timeoutMs: 30_000 });
    expect(done.state.approvedBy).toBe('service');
  });
});
