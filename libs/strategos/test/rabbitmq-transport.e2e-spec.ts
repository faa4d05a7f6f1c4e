import type { LoggerService } from '@nestjs/common';
import { connect, type Channel } from 'amqplib';
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Topology } from '../src/messages/topology';
import { queueOptions } from '../src/transport/rabbitmq/topology-declarer';
import { RabbitMqTransport } from '../src/transport/rabbitmq/rabbitmq-transport';
import { RabbitMqTransportError } from '../src/transport/rabbitmq/rabbitmq-transport.error';
import type { RabbitMqTransportOptions } from '../src/transport/rabbitmq/rabbitmq-transport-options.interface';
import { toIncomingMessage } from '../src/transport/rabbitmq/to-incoming-message';
import type { IncomingMessage, OutgoingMessage } from '../src/transport/transport.interface';
import { rabbitmqUrl, uniqueName } from './support/services';
import { command, contractTopology, describeTransportContract, eventually } from './support/transport.contract';

const run = promisify(execFile);

/** Keeps the test output to failures (set STRATEGOS_TEST_LOGS=1 to see the transport's log). */
const quiet: LoggerService = process.env.STRATEGOS_TEST_LOGS
  ? console
  : { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * Looks at the broker the way an operator would, on a connection of its own per look: other suites sharing
 * the broker may close every connection (`rabbitmqctl close_all_connections`) at any time.
 */
class BrokerAdmin {
  async readyCount(queue: string): Promise<number> {
    return this.withChannel(async (channel) => (await channel.checkQueue(queue)).messageCount);
  }

  /** The messages of a queue, left in it (they return when the channel closes). */
  async peek(queue: string): Promise<IncomingMessage[]> {
    return this.withChannel(async (channel) => {
      const messages: IncomingMessage[] = [];
      for (let got = await channel.get(queue); got; got = await channel.get(queue)) messages.push(toIncomingMessage(queue, got));
      return messages;
    });
  }

  async deleteTopology(topology: Topology, extraQueues: readonly string[] = []): Promise<void> {
    await this.withChannel(async (channel) => {
      for (const queue of [...topology.commandQueues, topology.deadLetterQueue, ...extraQueues]) await channel.deleteQueue(queue);
      await channel.deleteExchange(topology.eventsExchange);
      await channel.deleteExchange(topology.deadLetterExchange);
    });
  }

  async withChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
    const connection = await connect(await rabbitmqUrl());
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      return await work(channel);
    } finally {
      await connection.close().catch(() => undefined);
    }
  }
}

/** The broker's ids of the connections of that name. */
async function connectionPids(connectionName: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q', '--no-table-headers']);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","${connectionName}"}`))
    .map((line) => line.split('\t')[0]);
  if (pids.length === 0) throw new Error(`No broker connection named ${connectionName}`);
  return pids;
}

/** Closes these connections only (other suites share the broker), as an outage would. */
async function closeConnections(pids: readonly string[]): Promise<void> {
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'strategos transport test']);
}

async function createTransport(topology: Topology, options: Partial<RabbitMqTransportOptions> = {}): Promise<RabbitMqTransport> {
  const transport = new RabbitMqTransport({
    url: await rabbitmqUrl(),
    connectionName: uniqueName('transport'),
    shutdownGraceMs: 2_000,
    logger: quiet,
    ...options,
  });
  await transport.connect(topology);
  return transport;
}

describeTransportContract('RabbitMqTransport', async (topology) => {
  const transport = await createTransport(topology);
  const admin = new BrokerAdmin();
  return {
    transport,
    deadLetters: () => admin.peek(topology.deadLetterQueue),
    readyCount: (queue) => admin.readyCount(queue),
    dispose: async () => {
      await transport.close();
      await admin.deleteTopology(topology);
    },
  };
});

describe('RabbitMqTransport on RabbitMQ', () => {
  const admin = new BrokerAdmin();
  let topology: Topology;
  let transport: RabbitMqTransport | undefined;
  const extraQueues: string[] = [];

  beforeEach(() => {
    topology = contractTopology();
    extraQueues.length = 0;
  });

  afterEach(async () => {
    await transport?.close();
    transport = undefined;
    await admin.deleteTopology(topology, extraQueues);
  });

  it('declares quorum queues by default, durable and idempotently', async () => {
    transport = await createTransport(topology);
    await transport.connect(topology);
    const { stdout } = await run('rabbitmqctl', ['list_queues', 'name', 'type', 'durable', '-q', '--no-table-headers']);
    const ours = stdout.split('\n').filter((line) => line.startsWith(`${topology.commandQueues[0].split('.')[0]}.`));
    expect(ours.sort()).toEqual([...topology.commandQueues, topology.deadLetterQueue].map((queue) => `${queue}\tquorum\ttrue`).sort());
  });

  it('refuses to start over a queue of another type, naming the conflict', async () => {
    await admin.withChannel((channel) => channel.assertQueue(topology.commandQueues[1], queueOptions('classic')));
    const started = createTransport(topology, { unavailableTimeoutMs: 5_000 });
    await expect(started).rejects.toMatchObject({ code: 'TOPOLOGY_MISMATCH', message: expect.stringContaining('x-queue-type') });
  });

  /** Publishes to `queue`, takes the message back and rejects it without requeue: what a broker-side drop does. */
  async function rejectOnBroker(queue: string): Promise<void> {
    await admin.withChannel(async (channel) => {
      channel.sendToQueue(queue, Buffer.from('{"n":1}'), { persistent: true, messageId: 'dropped-by-broker' });
      let got = await channel.get(queue);
      for (let i = 0; i < 50 && !got; i++) {
        await sleep(20);
        got = await channel.get(queue);
      }
      if (!got) throw new Error(`nothing arrived on ${queue}`);
      channel.nack(got, false, false);
      await sleep(50);
    });
  }

  it('declares command queues with the dead-letter exchange: what the broker drops becomes a dead letter', async () => {
    transport = await createTransport(topology);
    await rejectOnBroker(topology.commandQueues[0]);
    await eventually(async () => (await admin.readyCount(topology.deadLetterQueue)) === 1, 10_000, 'the dead letter');
    const [letter] = await admin.peek(topology.deadLetterQueue);
    expect(letter).toMatchObject({
      messageId: 'dropped-by-broker',
      headers: expect.objectContaining({ 'x-first-death-queue': topology.commandQueues[0] }),
    });
  });

  it('keeps using a command queue an earlier version declared without the dead-letter exchange', async () => {
    await admin.withChannel((channel) => channel.assertQueue(topology.commandQueues[0], queueOptions('quorum')));
    transport = await createTransport(topology, { unavailableTimeoutMs: 5_000 });
    expect(transport.isHealthy()).toBe(true);
    await rejectOnBroker(topology.commandQueues[1]);
    await eventually(async () => (await admin.readyCount(topology.deadLetterQueue)) === 1, 10_000, 'the dead letter');
  });

  it('fails fast on refused credentials and never shows the password', async () => {
    const lines: string[] = [];
    const recording: LoggerService = {
      log: (line: unknown) => lines.push(JSON.stringify(line)),
      warn: (line: unknown) => lines.push(JSON.stringify(line)),
      error: (line: unknown) => lines.push(JSON.stringify(line)),
    };
    const url = new URL(await rabbitmqUrl());
    url.password = 'wrong-secret';
    const refused = new RabbitMqTransport({ url: url.toString(), logger: recording, unavailableTimeoutMs: 5_000 });
    const error: unknown = await refused.connect(topology).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ACCESS_REFUSED' });
    expect(String((error as Error).message)).not.toContain('wrong-secret');
    expect(lines.join('\n')).not.toContain('wrong-secret');
    await refused.close();
  });

  it('gives up connecting after unavailableTimeoutMs and stops retrying', async () => {
    const lines: string[] = [];
    const recording: LoggerService = {
      log: () => undefined,
      warn: (line: unknown) => lines.push(JSON.stringify(line)),
      error: () => undefined,
    };
    const unreachable = new RabbitMqTransport({
      url: 'amqp://guest:secret-pw@127.0.0.1:1',
      logger: recording,
      unavailableTimeoutMs: 500,
      reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
    });
    await expect(unreachable.connect(topology)).rejects.toMatchObject({ code: 'TRANSPORT_UNAVAILABLE' });
    const attempts = lines.length;
    expect(attempts).toBeGreaterThan(1);
    await sleep(400);
    expect(lines).toHaveLength(attempts);
    expect(lines.join('\n')).not.toContain('secret-pw');
    await unreachable.close();
  });

  it('resolves publish only once every message is in its queue', async () => {
    transport = await createTransport(topology);
    const queue = topology.commandQueues[0];
    const batch = Array.from({ length: 10_000 }, (_unused, n) => command(queue, { n }));
    const started = performance.now();
    await transport.publish(batch);
    const elapsedMs = performance.now() - started;
    expect(await admin.readyCount(queue)).toBe(10_000);
    console.info(
      `RabbitMqTransport published 10,000 confirmed messages in one call in ${Math.round(elapsedMs)} ms (${Math.round(10_000 / (elapsedMs / 1000))} msgs/s)`,
    );
  });

  it('fails a publish to an exchange that does not exist, then publishes again', async () => {
    transport = await createTransport(topology);
    const stray: OutgoingMessage = { ...command('anything'), exchange: `${topology.eventsExchange}.missing` };
    await expect(transport.publish([stray])).rejects.toMatchObject({ code: 'PUBLISH_FAILED' });
    await transport.publish([command(topology.commandQueues[0])]);
    expect(await admin.readyCount(topology.commandQueues[0])).toBe(1);
  });

  it('delivers events to subscription queues bound by topic pattern', async () => {
    const subscriber = `${topology.eventsExchange}.billing`;
    extraQueues.push(subscriber);
    transport = await createTransport(topology, { subscriptions: [{ queue: subscriber, routingKeys: ['process-order.#'] }] });
    const event = (routingKey: string): OutgoingMessage => ({
      exchange: topology.eventsExchange,
      routingKey,
      messageId: routingKey,
      type: 'Event',
      headers: {},
      body: '{}',
    });
    await transport.publish([event('process-order.Completed'), event('ship-order.Completed'), event('process-order.Payment.Failed')]);
    expect((await admin.peek(subscriber)).map((message) => message.messageId)).toEqual([
      'process-order.Completed',
      'process-order.Payment.Failed',
    ]);
  });

  it('waits for the reconnection to publish when the connection is down', async () => {
    const connectionName = uniqueName('outage');
    const live = await createTransport(topology, { connectionName, reconnect: { initialDelayMs: 300, maxDelayMs: 1_000 } });
    transport = live;
    // Watched from before the close: rabbitmqctl may return only after the transport has already reconnected.
    let lossNoticed = false;
    const watch = setInterval(() => (lossNoticed ||= !live.isHealthy()), 5);
    try {
      await closeConnections(await connectionPids(connectionName));
      await eventually(() => lossNoticed, 30_000, 'the loss to be noticed');
    } finally {
      clearInterval(watch);
    }
    await live.publish([command(topology.commandQueues[0])]);
    expect(live.isHealthy()).toBe(true);
    expect(await admin.readyCount(topology.commandQueues[0])).toBe(1);
  });

  it('consumes all of 500 messages when the connection is closed mid-run, and keeps consuming', async () => {
    const connectionName = uniqueName('outage');
    const queue = topology.commandQueues[0];
    const live = await createTransport(topology, { connectionName });
    transport = live;
    const seen = new Set<string>();
    let deliveries = 0;
    await live.consume(
      queue,
      async (message) => {
        deliveries++;
        await sleep(10);
        seen.add(JSON.parse(message.body).n);
        return { kind: 'ack' };
      },
      { prefetch: 10 },
    );
    const pids = await connectionPids(connectionName);
    let seenAtLoss: number | undefined;
    const watch = setInterval(() => (seenAtLoss ??= live.isHealthy() ? undefined : seen.size), 5);
    let lostPublishes = 0;
    try {
      const publishing = (async () => {
        for (let batch = 0; batch < 100; batch++) {
          const messages = Array.from({ length: 5 }, (_unused, n) => command(queue, { n: batch * 5 + n }));
          // A publish in flight when the connection closes fails with CONNECTION_LOST: publish it again, as the outbox does.
          for (let attempt = 1; ; attempt++) {
            try {
              await live.publish(messages);
              break;
            } catch (error) {
              if (!(error instanceof RabbitMqTransportError && error.code === 'CONNECTION_LOST') || attempt === 5) throw error;
              lostPublishes++;
            }
          }
          await sleep(40);
        }
      })();
      await eventually(() => seen.size >= 50, 30_000, 'the run to be under way');
      await closeConnections(pids);
      await publishing;
      await eventually(() => seen.size === 500, 60_000, 'all 500 messages');
      await eventually(() => live.isHealthy(), 30_000, 'the transport to be healthy again');
    } finally {
      clearInterval(watch); // also when a wait above fails: a live interval would keep jest from exiting
    }
    expect(seenAtLoss).toBeLessThan(500);
    expect(deliveries).toBeGreaterThanOrEqual(500);
    expect(lostPublishes).toBeLessThanOrEqual(1); // only the publish in flight at the loss
    await live.publish([command(queue, { n: 'after' })]);
    await eventually(() => seen.has('after'), 30_000, 'a message after the reconnection');
  });

  it('re-establishes a consumer whose queue was deleted under it', async () => {
    transport = await createTransport(topology, { reconnect: { initialDelayMs: 50, maxDelayMs: 500 } });
    const queue = topology.commandQueues[0];
    const received: string[] = [];
    await transport.consume(queue, async (message) => (received.push(message.body), { kind: 'ack' }), { prefetch: 1 });
    await admin.withChannel((channel) => channel.deleteQueue(queue));
    await eventually(
      async () => {
        await transport?.publish([command(queue, { again: true })]).catch(() => undefined);
        await sleep(100);
        return received.length > 0;
      },
      10_000,
      'a delivery on the re-declared queue',
    );
    expect(JSON.parse(received[0])).toEqual({ again: true });
  });

  it('does not reconnect after close', async () => {
    const connectionName = uniqueName('closed');
    transport = await createTransport(topology, { connectionName });
    await transport.close();
    await sleep(300);
    const { stdout } = await run('rabbitmqctl', ['list_connections', 'client_properties', '-q', '--no-table-headers']);
    expect(stdout).not.toContain(connectionName);
    expect(transport.isHealthy()).toBe(false);
    await expect(transport.publish([command(topology.commandQueues[0])])).rejects.toMatchObject({ code: 'TRANSPORT_CLOSED' });
  });
});
