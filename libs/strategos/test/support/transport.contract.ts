import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StrategosHeader } from '../../src/messages/outbox-message';
import type { Topology } from '../../src/messages/topology';
import type { Disposition, IncomingMessage, OutgoingMessage, Transport } from '../../src/transport/transport.interface';
import { uniqueName } from './services';

/** A connected transport under test, with a look at the broker behind it. */
export interface TransportContractFixture {
  readonly transport: Transport;
  /** The messages now in the dead-letter queue (left there). */
  deadLetters(): Promise<readonly IncomingMessage[]>;
  /** Messages waiting in `queue`: published or requeued, not held by a consumer. */
  readyCount(queue: string): Promise<number>;
  /** Closes the transport and deletes what the test declared. */
  dispose(): Promise<void>;
}

/** Creates a transport, connects it with `topology` (a namespace of its own) and returns the fixture. */
export type TransportContractFactory = (topology: Topology) => Promise<TransportContractFixture>;

const ACK: Disposition = { kind: 'ack' };

/** A topology of its own: two command queues in a unique namespace. */
export function contractTopology(): Topology {
  const namespace = uniqueName('contract');
  return {
    eventsExchange: `${namespace}.events`,
    deadLetterExchange: `${namespace}.dead-letter`,
    deadLetterQueue: `${namespace}.dead-letter`,
    commandQueues: [`${namespace}.wf.First`, `${namespace}.wf.Second`],
    queueType: 'quorum',
  };
}

/** A command for `queue` on the default exchange. */
export function command(queue: string, body: unknown = { n: 1 }, headers: Record<string, string | number> = {}): OutgoingMessage {
  return { exchange: '', routingKey: queue, messageId: randomUUID(), type: 'ExecuteFirstCommand', headers, body: JSON.stringify(body) };
}

/** Polls `probe` until it returns true. */
export async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * The behaviour every {@link Transport} shares, run against the in-memory one and RabbitMQ: the runtime
 * relies on it (delivery, prefetch, requeue, dead-letter, shutdown).
 */
export function describeTransportContract(name: string, factory: TransportContractFactory): void {
  describe(`${name} (Transport contract)`, () => {
    let topology: Topology;
    let fixture: TransportContractFixture;
    let transport: Transport;
    let queue: string;

    beforeEach(async () => {
      topology = contractTopology();
      queue = topology.commandQueues[0];
      fixture = await factory(topology);
      transport = fixture.transport;
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    it('delivers a published message with its body, id, type and headers', async () => {
      const received: IncomingMessage[] = [];
      await transport.consume(queue, async (message) => (received.push(message), ACK), { prefetch: 1 });
      const sent = command(queue, { order: 'A-1', total: 12.5 }, { [StrategosHeader.WorkflowId]: 'wf-1', [StrategosHeader.Attempt]: 2 });
      await transport.publish([sent]);
      await eventually(() => received.length === 1, 10_000, 'the delivery');
      const [message] = received;
      expect(message).toMatchObject({ queue, body: sent.body, messageId: sent.messageId, type: sent.type, redelivered: false });
      expect(JSON.parse(message.body)).toEqual({ order: 'A-1', total: 12.5 });
      expect(message.headers).toMatchObject({ [StrategosHeader.WorkflowId]: 'wf-1', [StrategosHeader.Attempt]: 2 });
    });

    it('delivers messages published before the consumer started, in order', async () => {
      const sent = [command(queue, { n: 1 }), command(queue, { n: 2 }), command(queue, { n: 3 })];
      await transport.publish(sent);
      const received: string[] = [];
      await transport.consume(queue, async (message) => (received.push(message.body), ACK), { prefetch: 1 });
      await eventually(() => received.length === 3, 10_000, 'three deliveries');
      expect(received).toEqual(sent.map((message) => message.body));
    });

    it('runs up to prefetch handlers at once, never more', async () => {
      let running = 0;
      let highest = 0;
      let done = 0;
      await transport.publish(Array.from({ length: 40 }, (_unused, n) => command(queue, { n })));
      await transport.consume(
        queue,
        async () => {
          highest = Math.max(highest, ++running);
          await sleep(15);
          running--;
          done++;
          return ACK;
        },
        { prefetch: 5 },
      );
      await eventually(() => done === 40, 20_000, 'forty handled messages');
      expect(highest).toBe(5);
    });

    it('redelivers a requeued message with redelivered set', async () => {
      const deliveries: IncomingMessage[] = [];
      await transport.consume(queue, async (message) => (deliveries.push(message), deliveries.length === 1 ? { kind: 'requeue' } : ACK), {
        prefetch: 1,
      });
      const sent = command(queue);
      await transport.publish([sent]);
      await eventually(() => deliveries.length === 2, 10_000, 'the redelivery');
      expect(deliveries.map((message) => message.redelivered)).toEqual([false, true]);
      expect(deliveries[1]).toMatchObject({ messageId: sent.messageId, body: sent.body });
    });

    it('redelivers a message whose handler threw', async () => {
      const deliveries: IncomingMessage[] = [];
      await transport.consume(
        queue,
        async (message) => {
          deliveries.push(message);
          if (deliveries.length === 1) throw new Error('store down');
          return ACK;
        },
        { prefetch: 1 },
      );
      await transport.publish([command(queue)]);
      await eventually(() => deliveries.length === 2, 10_000, 'the redelivery');
      expect(deliveries[1].redelivered).toBe(true);
      await sleep(200);
      expect(deliveries).toHaveLength(2);
    });

    it('dead-letters with code and reason headers, and removes the original from its queue', async () => {
      let deliveries = 0;
      await transport.consume(
        queue,
        async () => (deliveries++, { kind: 'dead-letter', code: 'MALFORMED_COMMAND', reason: 'body is not JSON' }),
        { prefetch: 1 },
      );
      const sent: OutgoingMessage = { ...command(queue), body: 'not json {' };
      await transport.publish([sent]);
      let deadLetters: readonly IncomingMessage[] = [];
      await eventually(async () => (deadLetters = await fixture.deadLetters()).length === 1, 10_000, 'the dead letter');
      expect(deadLetters[0]).toMatchObject({ body: 'not json {', messageId: sent.messageId, type: sent.type });
      expect(deadLetters[0].headers).toMatchObject({
        [StrategosHeader.DeadLetterCode]: 'MALFORMED_COMMAND',
        [StrategosHeader.DeadLetterReason]: 'body is not JSON',
        [StrategosHeader.DeadLetterQueue]: queue,
      });
      expect(Date.parse(String(deadLetters[0].headers[StrategosHeader.DeadLetteredAt]))).not.toBeNaN();
      await sleep(200);
      expect(deliveries).toBe(1);
      expect(await fixture.readyCount(queue)).toBe(0);
    });

    it('keeps serving the queue after dead-lettering a malformed message', async () => {
      const handled: unknown[] = [];
      await transport.consume(
        queue,
        async (message) => {
          try {
            handled.push(JSON.parse(message.body));
            return ACK;
          } catch {
            return { kind: 'dead-letter', code: 'MALFORMED_COMMAND', reason: 'body is not JSON' };
          }
        },
        { prefetch: 2 },
      );
      await transport.publish([
        { ...command(queue), body: '\u0000garbage' },
        command(queue, { n: 1 }),
        { ...command(queue), body: '' },
        command(queue, { n: 2 }),
      ]);
      await eventually(() => handled.length === 2, 10_000, 'the valid messages');
      await eventually(async () => (await fixture.deadLetters()).length === 2, 10_000, 'two dead letters');
      expect(handled).toEqual(expect.arrayContaining([{ n: 1 }, { n: 2 }]));
    });

    it('stops delivering after stopConsuming and leaves new messages in the queue', async () => {
      const received: string[] = [];
      await transport.consume(queue, async (message) => (received.push(message.body), ACK), { prefetch: 1 });
      await transport.publish([command(queue)]);
      await eventually(() => received.length === 1, 10_000, 'the first delivery');
      await transport.stopConsuming();
      await transport.publish([command(queue), command(queue)]);
      await sleep(300);
      expect(received).toHaveLength(1);
      expect(await fixture.readyCount(queue)).toBe(2);
    });

    it('lets in-flight handlers settle their messages when closing', async () => {
      let finished = false;
      let started = false;
      await transport.consume(
        queue,
        async () => {
          started = true;
          await sleep(300);
          finished = true;
          return ACK;
        },
        { prefetch: 1 },
      );
      await transport.publish([command(queue)]);
      await eventually(() => started, 10_000, 'the handler to start');
      await transport.close();
      expect(finished).toBe(true);
      expect(transport.isHealthy()).toBe(false);
      expect(await fixture.readyCount(queue)).toBe(0);
    });

    it('rejects a command for a queue that does not exist', async () => {
      await expect(transport.publish([command(`${queue}.Missing`)])).rejects.toMatchObject({ code: 'MESSAGE_UNROUTABLE' });
    });

    it('is healthy once connected and consuming', async () => {
      await transport.consume(queue, async () => ACK, { prefetch: 1 });
      expect(transport.isHealthy()).toBe(true);
    });
  });
}
