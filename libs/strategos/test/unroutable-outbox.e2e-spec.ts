import * as amqp from 'amqplib';
import { initialOrderState, ORDER_SERVICES, ORDER_STEPS, processOrder } from '@app/orders';
import { DeadLetters, stepQueueName, type DeadLetter } from '@strategos/nestjs';
import { createTestEnvironment, startTestApp, type TestEnvironment } from './support/strategos-test-app';

describe('an outbox message whose queue no longer exists', () => {
  let environment: TestEnvironment;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(() => environment.cleanup([processOrder]));

  it('is dead-lettered by the relay instead of blocking the outbox, and can be replayed once the queue is back', async () => {
    const api = await startTestApp(environment, [processOrder], [], { steps: [], outbox: { leaseMs: 500, relayIntervalMs: 100 } });
    const queue = stepQueueName(environment.namespace, 'process-order', 'ValidateOrder');
    const connection = await amqp.connect(environment.rabbitmqUrl);
    await (await connection.createChannel()).deleteQueue(queue);
    await connection.close();

    const { workflowId } = await api.starter.start(processOrder, initialOrderState());
    const deadLetters = api.app.get(DeadLetters);
    let letters: DeadLetter[] = [];
    for (let i = 0; i < 200 && letters.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      letters = await deadLetters.list();
    }
    expect(letters).toEqual([expect.objectContaining({ code: 'UNROUTABLE', originalQueue: queue, type: 'ExecuteValidateOrderCommand' })]);
    await api.close();

    // A worker declares the queue again; the replayed command then runs the workflow to the end.
    const worker = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS]);
    try {
      await worker.app.get(DeadLetters).replay(letters[0].id);
      await expect(worker.query.waitFor(workflowId, { timeoutMs: 30_000 })).resolves.toMatchObject({ status: 'completed' });
    } finally {
      await worker.close();
    }
  });
});
