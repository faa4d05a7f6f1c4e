import * as amqp from 'amqplib';
import { initialOrderState, ORDER_SERVICES, ORDER_STEPS, processOrder } from '@app/orders';
import { stepQueueName } from '@strategos/nestjs';
import { stepCompletionCounts } from './support/history-assertions';
import { nextMessage } from './support/queued-messages';
import { startApiAndWorkers, type ApiAndWorkers } from './support/api-and-workers';
import { startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('the same command delivered twice', () => {
  let system: ApiAndWorkers;
  let environment: TestEnvironment;
  let api: TestApp;

  beforeAll(async () => {
    system = await startApiAndWorkers(0);
    ({ environment, api } = system);
  });

  afterAll(() => system.stop());

  it('applies the transition once', async () => {
    const ids = [
      (await api.starter.start(processOrder, initialOrderState())).workflowId,
      (await api.starter.start(processOrder, initialOrderState())).workflowId,
    ];
    const queue = stepQueueName(environment.namespace, 'process-order', 'ValidateOrder');

    // Take the two first commands off the queue and put each back three times: a redelivery storm.
    const connection = await amqp.connect(environment.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    for (let i = 0; i < ids.length; i++) {
      const message = await nextMessage(channel, queue);
      for (let copy = 0; copy < 3; copy++) channel.sendToQueue(queue, message.content, message.properties);
      await channel.waitForConfirms();
      channel.ack(message);
    }
    await connection.close();

    const worker = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS]);
    try {
      for (const id of ids) {
        const view = await worker.query.waitFor(id, { timeoutMs: 30_000 });
        expect(view.status).toBe('completed');
        expect(await stepCompletionCounts(api.query, id)).toEqual({
          ValidateOrder: 1,
          ProcessPayment: 1,
          ReserveInventory: 1,
          FulfillOrder: 1,
          SendConfirmation: 1,
        });
        const phases = (await api.query.history(id)).filter((e) => e.kind === 'PhaseChanged').map((e) => e.data.to);
        expect(phases).toEqual(['ValidateOrder', 'ProcessPayment', 'ReserveInventory', 'FulfillOrder', 'SendConfirmation']);
      }
    } finally {
      await worker.close();
    }
  });
});
