import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { initialOrderState, ORDER_SERVICES, ORDER_STEPS, processOrder, processOrderContracts } from '@app/orders';
import { DeadLetters, type DeadLetter } from '@strategos/nestjs';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('received commands validated with the generated contracts', () => {
  let environment: TestEnvironment;
  let worker: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    worker = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS], {}, [processOrderContracts]);
  });

  afterAll(async () => {
    await worker.close();
    await environment.cleanup([processOrder]);
  });

  it('dead-letters a command the generated class rejects, with its messages, and keeps serving', async () => {
    const workflowId = randomUUID();
    // Valid for the generic envelope (any Execute…Command type), wrong for ExecuteValidateOrderCommand.
    const body = {
      messageId: randomUUID(),
      type: 'ExecuteFulfillOrderCommand',
      workflowId,
      workflowName: 'process-order',
      step: 'ValidateOrder',
      role: 'compensation',
      attempt: 1,
      idempotencyKey: `${workflowId}:ValidateOrder`,
      correlationId: workflowId,
      causationId: workflowId,
      createdAt: new Date().toISOString(),
    };
    const connection = await amqp.connect(environment.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    channel.sendToQueue(processOrderContracts.commands.ValidateOrder.queue(environment.namespace), Buffer.from(JSON.stringify(body)), {
      persistent: true,
      messageId: body.messageId,
    });
    await channel.waitForConfirms();
    await connection.close();

    const deadLetters = worker.app.get(DeadLetters);
    let letters: DeadLetter[] = [];
    for (let i = 0; i < 200 && letters.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      letters = await deadLetters.list();
    }
    expect(letters).toHaveLength(1);
    expect(letters[0].code).toBe('INVALID_COMMAND');
    expect(letters[0].reason).toMatch(/^ExecuteValidateOrderCommand: /);
    expect(letters[0].reason).toMatch(/type: type must be equal to ExecuteValidateOrderCommand/);
    expect(letters[0].reason).toMatch(/role: role must be equal to forward/);

    const { workflowId: good } = await worker.starter.start(processOrder, initialOrderState());
    await expect(worker.query.waitFor(good, { timeoutMs: 30_000 })).resolves.toMatchObject({ status: 'completed' });
  });
});
