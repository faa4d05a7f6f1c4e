import type { LoggerService } from '@nestjs/common';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Topology } from '../src/messages/topology';
import { RabbitMqTransport } from '../src/transport/rabbitmq/rabbitmq-transport';
import type { Disposition, IncomingMessage } from '../src/transport/transport.interface';
import { rabbitmqUrl, uniqueName } from './support/services';
import { command, contractTopology, eventually } from './support/transport.contract';

/** Keeps the test output to failures (set STRATEGOS_TEST_LOGS=1 to see the transport's log). */
const quiet: LoggerService = process.env.STRATEGOS_TEST_LOGS
  ? console
  : { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * Handlers that wait until released. Every 10 ms, everything waiting is released in one turn of the event loop and in
 * a shuffled order, as handlers finish when a group commit returns; a slow handler is held for some rounds more.
 */
class GroupedRelease {
  private waiting: Array<{ readonly release: () => void; rounds: number }> = [];
  private timer: NodeJS.Timeout | undefined;

  get size(): number {
    return this.waiting.length;
  }

  /** Starts the rounds. */
  start(): void {
    this.timer = setInterval(() => this.releaseRound(), 10);
  }

  /** Resolves at the round `extraRounds` after the next one. */
  wait(extraRounds = 0): Promise<void> {
    return new Promise((release) => this.waiting.push({ release, rounds: extraRounds }));
  }

  stop(): void {
    clearInterval(this.timer);
    for (const { release } of this.waiting.splice(0)) release();
  }

  private releaseRound(): void {
    const due = this.waiting.filter((entry) => entry.rounds-- === 0).sort(() => Math.random() - 0.5);
    this.waiting = this.waiting.filter((entry) => entry.rounds >= 0);
    for (const { release } of due) release();
  }
}

describe('Coalesced acknowledgements on RabbitMQ', () => {
  let topology: Topology;
  let queue: string;
  let admin: ChannelModel;
  let adminChannel: Channel;
  let transports: RabbitMqTransport[];
  let release: GroupedRelease | undefined;
  let ackCalls: jest.SpyInstance;

  beforeEach(async () => {
    topology = contractTopology();
    queue = topology.commandQueues[0];
    transports = [];
    admin = await connect(await rabbitmqUrl());
    admin.on('error', () => undefined);
    adminChannel = await admin.createChannel();
    adminChannel.on('error', () => undefined);
    // Every amqplib channel shares this prototype: counts the ack frames the transport asks for (the broker is real).
    ackCalls = jest.spyOn(Object.getPrototypeOf(adminChannel) as Channel, 'ack');
  });

  afterEach(async () => {
    release?.stop();
    release = undefined;
    ackCalls.mockRestore();
    for (const transport of transports) await transport.close();
    for (const name of [...topology.commandQueues, topology.deadLetterQueue]) await adminChannel.deleteQueue(name);
    await adminChannel.deleteExchange(topology.eventsExchange);
    await adminChannel.deleteExchange(topology.deadLetterExchange);
    await admin.close().catch(() => undefined);
  });

  async function startTransport(): Promise<RabbitMqTransport> {
    const transport = new RabbitMqTransport({
      url: await rabbitmqUrl(),
      connectionName: uniqueName('coalesced-acks'),
      shutdownGraceMs: 10_000,
      logger: quiet,
    });
    transports.push(transport);
    await transport.connect(topology);
    return transport;
  }

  async function readyCount(name: string): Promise<number> {
    return (await adminChannel.checkQueue(name)).messageCount;
  }

  /** Starts a fresh consumer of the queue and returns what it received within `ms`. */
  async function redeliveredWithin(ms: number): Promise<IncomingMessage[]> {
    const received: IncomingMessage[] = [];
    const transport = await startTransport();
    await transport.consume(queue, async (message) => (received.push(message), { kind: 'ack' }), { prefetch: 64 });
    await sleep(ms);
    await transport.close();
    return received;
  }

  it('settles 200 messages finishing in a shuffled order with fewer ack frames than messages, leaving nothing unacked', async () => {
    const total = 200;
    const requeuedOnce = (n: number): boolean => n % 40 === 3;
    const deadLettered = (n: number): boolean => n % 40 === 17;
    const handled = new Map<number, number>();
    const gate = new GroupedRelease();
    release = gate;
    const transport = await startTransport();
    await transport.consume(
      queue,
      async (message): Promise<Disposition> => {
        const { n } = JSON.parse(message.body) as { n: number };
        const times = (handled.get(n) ?? 0) + 1;
        handled.set(n, times);
        await gate.wait(n % 100 === 50 ? 3 : 0); // a slow handler leaves a gap below the ones finishing meanwhile
        if (requeuedOnce(n) && times === 1) return { kind: 'requeue' };
        if (deadLettered(n)) return { kind: 'dead-letter', code: 'TEST_DEAD_LETTER', reason: `message ${n} is dead-lettered` };
        return { kind: 'ack' };
      },
      { prefetch: 64 },
    );
    const numbers = Array.from({ length: total }, (_unused, n) => n);
    await transport.publish(numbers.map((n) => command(queue, { n })));
    await eventually(() => gate.size === 64, 30_000, 'a full prefetch in handlers');
    gate.start();

    const expectedDeadLetters = numbers.filter(deadLettered).length;
    const expectedDeliveries = total + numbers.filter(requeuedOnce).length;
    const deliveries = (): number => [...handled.values()].reduce((sum, times) => sum + times, 0);
    await eventually(
      async () => deliveries() === expectedDeliveries && (await readyCount(topology.deadLetterQueue)) === expectedDeadLetters,
      60_000,
      'every delivery handled and every dead letter published',
    );
    await sleep(200); // the last acks leave at the next turn
    const acksOfTheRun = ackCalls.mock.calls.length;
    await transport.close();

    // Closing the channel gives back whatever it still held: none is left, none comes again.
    expect(await readyCount(queue)).toBe(0);
    expect(await redeliveredWithin(1_500)).toEqual([]);
    expect(numbers.map((n) => handled.get(n))).toEqual(numbers.map((n) => (requeuedOnce(n) ? 2 : 1)));
    expect(await readyCount(topology.deadLetterQueue)).toBe(expectedDeadLetters);
    // 200 messages were acked (dead letters too, after their copy was confirmed), in far fewer frames.
    expect(acksOfTheRun).toBeLessThan(total);
    expect(ackCalls.mock.calls.some(([, allUpTo]) => allUpTo === true)).toBe(true);
  });

  it('sends the acks given just before a graceful shutdown before closing the channel', async () => {
    const total = 50;
    const held: Array<() => void> = [];
    let started = 0;
    let handled = 0;
    const transport = await startTransport();
    await transport.consume(
      queue,
      async (): Promise<Disposition> => {
        started++;
        await new Promise<void>((resolve) => held.push(resolve));
        handled++;
        return { kind: 'ack' };
      },
      { prefetch: 64 },
    );
    await transport.publish(Array.from({ length: total }, (_unused, n) => command(queue, { n })));
    await eventually(() => started === total, 30_000, 'every message in a handler');

    // The handlers finish once the consumer is cancelled and the shutdown drains them; the drain ends in the same
    // turn of the event loop, so their acks are still pending when the channel is about to close.
    const closing = transport.close();
    await sleep(500);
    for (const resolve of held) resolve();
    await closing;

    expect(handled).toBe(total);
    expect(await readyCount(queue)).toBe(0);
    expect(await redeliveredWithin(1_500)).toEqual([]);
  });
});
