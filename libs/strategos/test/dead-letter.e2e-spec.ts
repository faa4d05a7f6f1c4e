import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { initialOrderState, ORDER_SERVICES, ORDER_STEPS, processOrder } from '@app/orders';
import { StrategosHeader, stepQueueName, topologyNames } from '@strategos/nestjs';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('garbage and wrongly-shaped messages on a step queue', () => {
  let environment: TestEnvironment;
  let worker: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // Archiving off: this test reads the dead-letter queue itself.
    worker = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS], { archiveDeadLetters: false });
  });

  afterAll(async () => {
    await worker.close();
    await environment.cleanup([processOrder]);
  });

  function validCommand(overrides: Record<string, unknown>): Buffer {
    const workflowId = randomUUID();
    return Buffer.from(
      JSON.stringify({
        messageId: randomUUID(),
        type: 'ExecuteValidateOrderCommand',
        workflowId,
        workflowName: 'process-order',
        step: 'ValidateOrder',
        role: 'forward',
        attempt: 1,
        idempotencyKey: `${workflowId}:ValidateOrder`,
        correlationId: workflowId,
        causationId: workflowId,
        createdAt: new Date().toISOString(),
        ...overrides,
      }),
    );
  }

  it('dead-letters each with a reason and keeps serving', async () => {
    const queue = stepQueueName(environment.namespace, 'process-order', 'ValidateOrder');
    const cases: { body: Buffer; code: string; reason: RegExp }[] = [
      { body: Buffer.from('not json {'), code: 'MALFORMED_JSON', reason: /not JSON/ },
      { body: Buffer.from('[1,2,3]'), code: 'INVALID_COMMAND', reason: /not a JSON object/ },
      { body: Buffer.from(JSON.stringify({ hello: 'world' })), code: 'INVALID_COMMAND', reason: /messageId/ },
      { body: validCommand({ attempt: 'first' }), code: 'INVALID_COMMAND', reason: /attempt/ },
      { body: validCommand({ workflowName: 'no-such-workflow' }), code: 'UNKNOWN_WORKFLOW', reason: /no-such-workflow/ },
      { body: validCommand({ step: 'FulfillOrder', type: 'ExecuteFulfillOrderCommand' }), code: 'WRONG_QUEUE', reason: /FulfillOrder/ },
      { body: validCommand({}), code: 'UNKNOWN_INSTANCE', reason: /no workflow instance/ },
    ];
    const connection = await amqp.connect(environment.rabbitmqUrl);
    try {
      const channel = await connection.createConfirmChannel();
      for (const item of cases) channel.sendToQueue(queue, item.body, { persistent: true, messageId: randomUUID() });
      await channel.waitForConfirms();

      const deadLetters: amqp.GetMessage[] = [];
      for (let tries = 0; deadLetters.length < cases.length && tries < 200; tries++) {
        const message = await channel.get(topologyNames(environment.namespace).deadLetterQueue, { noAck: true });
        if (message) deadLetters.push(message);
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(deadLetters).toHaveLength(cases.length);
      for (const item of cases) {
        const match = deadLetters.find((message) => message.content.equals(item.body));
        expect(match?.properties.headers?.[StrategosHeader.DeadLetterCode]).toBe(item.code);
        expect(String(match?.properties.headers?.[StrategosHeader.DeadLetterReason])).toMatch(item.reason);
        expect(match?.properties.headers?.[StrategosHeader.DeadLetterQueue]).toBe(queue);
      }
    } finally {
      await connection.close();
    }

    const { workflowId } = await worker.starter.start(processOrder, initialOrderState());
    await expect(worker.query.waitFor(workflowId, { timeoutMs: 30_000 })).resolves.toMatchObject({ status: 'completed' });
  });
});
