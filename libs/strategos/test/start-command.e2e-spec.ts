import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { initialOrderState, ORDER_SERVICES, ORDER_STEPS, processOrder, StartProcessOrderCommand } from '@app/orders';
import { DeadLetters, startQueueName } from '@strategos/nestjs';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('Start<Workflow>Command on the start queue', () => {
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

  it('starts the workflow once from a service that only publishes the typed start command, and dead-letters a bad one', async () => {
    const state = initialOrderState();
    // What a service without the step classes does: the generated command class, published as JSON.
    const command = StartProcessOrderCommand.create(state, randomUUID());
    const queue = StartProcessOrderCommand.queue(environment.namespace);
    expect(queue).toBe(startQueueName(environment.namespace, 'process-order'));
    const connection = await amqp.connect(environment.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    // Sent twice: one instance.
    for (let i = 0; i < 2; i++)
      channel.sendToQueue(queue, Buffer.from(JSON.stringify(command)), { persistent: true, messageId: command.messageId });
    channel.sendToQueue(queue, Buffer.from(JSON.stringify({ ...command, messageId: randomUUID(), state: { order: state.order } })), {
      persistent: true,
    });
    await channel.waitForConfirms();
    await connection.close();

    let view = await worker.query.get(state.workflowId);
    for (let i = 0; i < 200 && !view; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      view = await worker.query.get(state.workflowId);
    }
    expect(await worker.query.waitFor(state.workflowId, { timeoutMs: 30_000 })).toMatchObject({ status: 'completed' });
    expect((await worker.query.history(state.workflowId)).filter((e) => e.kind === 'Started')).toHaveLength(1);

    const deadLetters = worker.app.get(DeadLetters);
    let letters = await deadLetters.list();
    for (let i = 0; i < 200 && letters.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      letters = await deadLetters.list();
    }
    expect(letters).toEqual([expect.objectContaining({ code: 'INVALID_INITIAL_STATE', originalQueue: queue })]);
  });
});
