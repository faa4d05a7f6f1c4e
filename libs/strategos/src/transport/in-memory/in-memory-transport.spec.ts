import { setTimeout as sleep } from 'node:timers/promises';
import { command, contractTopology, describeTransportContract, eventually } from '../../../test/support/transport.contract';
import type { IncomingMessage, OutgoingMessage } from '../transport.interface';
import { InMemoryTransport } from './in-memory-transport';

/** The contract makes handlers throw on purpose; their error lines are noise here. */
const quiet = { log: () => undefined, error: () => undefined, warn: () => undefined };

describeTransportContract('InMemoryTransport', async (topology) => {
  const transport = new InMemoryTransport({ shutdownGraceMs: 2_000, logger: quiet });
  await transport.connect(topology);
  return {
    transport,
    deadLetters: async () => transport.deadLetters(),
    readyCount: async (queue) => transport.readyCount(queue),
    dispose: () => transport.close(),
  };
});

describe('InMemoryTransport', () => {
  const topology = contractTopology();
  const ack = async (): Promise<{ kind: 'ack' }> => ({ kind: 'ack' });
  let transport: InMemoryTransport;

  beforeEach(async () => {
    transport = new InMemoryTransport({ logger: quiet });
    await transport.connect(topology);
  });

  afterEach(() => transport.close());

  function event(routingKey: string): OutgoingMessage {
    return { exchange: topology.eventsExchange, routingKey, messageId: routingKey, type: 'Event', headers: {}, body: '{}' };
  }

  it('routes events to the queues bound by topic pattern', async () => {
    transport.bindQueue('exact', topology.eventsExchange, 'process-order.Completed');
    transport.bindQueue('one-word', topology.eventsExchange, 'process-order.*');
    transport.bindQueue('any', topology.eventsExchange, 'process-order.#');
    transport.bindQueue('other', topology.eventsExchange, 'ship-order.#');
    await transport.publish([event('process-order.Completed'), event('process-order.Step.Done'), event('process-order')]);
    expect(transport.pending('exact')).toBe(1);
    expect(transport.pending('one-word')).toBe(1);
    expect(transport.pending('any')).toBe(3);
    expect(transport.pending('other')).toBe(0);
  });

  it('delivers to a queue bound twice only once per message', async () => {
    transport.bindQueue('twice', topology.eventsExchange, 'process-order.#');
    transport.bindQueue('twice', topology.eventsExchange, 'process-order.Completed');
    await transport.publish([event('process-order.Completed')]);
    expect(transport.pending('twice')).toBe(1);
  });

  it('delivers asynchronously, never inside publish', async () => {
    const queue = topology.commandQueues[0];
    const received: string[] = [];
    await transport.consume(queue, async (message) => (received.push(message.body), { kind: 'ack' }), { prefetch: 10 });
    await transport.publish([command(queue)]);
    expect(received).toHaveLength(0);
    await transport.waitForIdle();
    expect(received).toHaveLength(1);
  });

  it('hands each handler a frozen copy', async () => {
    const queue = topology.commandQueues[0];
    const deliveries: IncomingMessage[] = [];
    await transport.consume(
      queue,
      async (message) => (deliveries.push(message), deliveries.length === 1 ? { kind: 'requeue' } : { kind: 'ack' }),
      { prefetch: 1 },
    );
    await transport.publish([command(queue, { n: 1 }, { h: 'v' })]);
    await eventually(() => deliveries.length === 2);
    expect(Object.isFrozen(deliveries[0])).toBe(true);
    expect(Object.isFrozen(deliveries[0].headers)).toBe(true);
    expect(deliveries[0]).not.toBe(deliveries[1]);
    expect(deliveries[1].headers).toEqual({ h: 'v' });
  });

  it('keeps two instances independent', async () => {
    const other = new InMemoryTransport();
    await other.connect(topology);
    const queue = topology.commandQueues[0];
    await transport.publish([command(queue)]);
    expect(other.pending(queue)).toBe(0);
    expect(transport.pending(queue)).toBe(1);
    await other.close();
  });

  it('refuses to consume a queue that was not declared', async () => {
    await expect(transport.consume('nowhere', ack, { prefetch: 1 })).rejects.toMatchObject({ code: 'QUEUE_NOT_FOUND' });
  });

  it('refuses to publish before connect and after close', async () => {
    const fresh = new InMemoryTransport();
    await expect(fresh.publish([command('q')])).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
    await transport.close();
    await expect(transport.publish([command(topology.commandQueues[0])])).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });

  it('publishes nothing of a batch with an unroutable command', async () => {
    const queue = topology.commandQueues[0];
    await expect(transport.publish([command(queue), command('missing')])).rejects.toMatchObject({ code: 'MESSAGE_UNROUTABLE' });
    expect(transport.pending(queue)).toBe(0);
  });

  it('serves several consumers of one queue round-robin within their prefetch', async () => {
    const queue = topology.commandQueues[0];
    const seen = { a: 0, b: 0 };
    const slow = (name: 'a' | 'b') => async () => {
      seen[name]++;
      await sleep(5);
      return { kind: 'ack' } as const;
    };
    await transport.consume(queue, slow('a'), { prefetch: 1 });
    await transport.consume(queue, slow('b'), { prefetch: 1 });
    await transport.publish(Array.from({ length: 10 }, () => command(queue)));
    await transport.waitForIdle();
    expect(seen.a + seen.b).toBe(10);
    expect(seen.a).toBeGreaterThan(0);
    expect(seen.b).toBeGreaterThan(0);
  });

  it('times out waiting for idle while a handler requeues forever', async () => {
    const queue = topology.commandQueues[0];
    await transport.consume(queue, async () => ({ kind: 'requeue' }), { prefetch: 1 });
    await transport.publish([command(queue)]);
    await expect(transport.waitForIdle(100)).rejects.toMatchObject({ code: 'IDLE_TIMEOUT' });
    await transport.stopConsuming();
  });
});
