import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { ORDER_SERVICES, ORDER_STEPS, processOrder } from '@app/orders';
import { DeadLetters, stepQueueName, type DeadLetter } from '@strategos/nestjs';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';

describe('the dead-letter listing', () => {
  let environment: TestEnvironment;
  let worker: TestApp;
  let deadLetters: DeadLetters;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    worker = await startTestApp(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS]);
    deadLetters = worker.app.get(DeadLetters);
  });

  afterAll(async () => {
    await worker.close();
    await environment.cleanup([processOrder]);
  });

  async function waitForLetters(predicate: (letters: DeadLetter[]) => boolean): Promise<DeadLetter[]> {
    for (let i = 0; i < 200; i++) {
      const letters = await deadLetters.list();
      if (predicate(letters)) return letters;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the dead letters never reached the expected state');
  }

  it('lists dead-lettered messages with their reason, replays one to its queue, and discards one', async () => {
    const queue = stepQueueName(environment.namespace, 'process-order', 'ProcessPayment');
    const connection = await amqp.connect(environment.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    const bodies = ['garbage one', 'garbage two'].map((text) => Buffer.from(text));
    for (const body of bodies) channel.sendToQueue(queue, body, { persistent: true, messageId: randomUUID() });
    await channel.waitForConfirms();
    await connection.close();

    const letters = await waitForLetters((found) => found.length === 2);
    expect(letters.map((l) => [l.body, l.code, l.originalQueue])).toEqual(
      expect.arrayContaining([
        ['garbage one', 'MALFORMED_JSON', queue],
        ['garbage two', 'MALFORMED_JSON', queue],
      ]),
    );
    expect(letters.every((l) => /not JSON/.test(l.reason))).toBe(true);

    const replayed = letters.find((l) => l.body === 'garbage one')!;
    await deadLetters.replay(replayed.id);
    // Replayed onto its queue, the worker dead-letters it again: a new entry for the same message.
    const afterReplay = await waitForLetters((found) => found.some((l) => l.body === 'garbage one' && l.id !== replayed.id));
    expect(afterReplay.find((l) => l.id === replayed.id)).toBeUndefined();
    expect(afterReplay.filter((l) => l.body === 'garbage one')).toEqual([
      expect.objectContaining({ messageId: replayed.messageId, originalQueue: queue }),
    ]);

    const discarded = afterReplay.find((l) => l.body === 'garbage two')!;
    await deadLetters.discard(discarded.id);
    expect((await deadLetters.list()).map((l) => l.body)).toEqual(['garbage one']);
    await expect(deadLetters.discard(discarded.id)).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_FOUND' });
  });
});
