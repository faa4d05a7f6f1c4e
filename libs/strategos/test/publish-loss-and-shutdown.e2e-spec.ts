import type { LoggerService } from '@nestjs/common';
import { connect } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import { scriptedSaga } from './fixtures/scripted-workflow';
import { RabbitMqTransport } from '../src/transport/rabbitmq/rabbitmq-transport';
import { startProcess } from './support/processes';
import { rabbitmqUrl } from './support/services';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import { command, contractTopology } from './support/transport.contract';

const quiet: LoggerService = { log: () => undefined, error: () => undefined, warn: () => undefined, debug: () => undefined };

/**
 * A TCP proxy to RabbitMQ that can hold back what the broker sends (so that confirms never arrive) and then cut
 * every connection, as a network failure would; it only touches the connections of this test.
 */
class FreezingProxy {
  private readonly sockets = new Set<Socket>();
  private frozen = false;
  private refusing = false;
  private server: Server | undefined;

  async start(target: URL): Promise<number> {
    this.server = createServer((client) => {
      if (this.refusing) return void client.destroy();
      const upstream = new Socket();
      upstream.connect(Number(target.port || 5672), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.on('data', (chunk) => upstream.write(chunk));
      upstream.on('data', (chunk) => {
        if (!this.frozen) client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as { port: number }).port;
  }

  /** From now on nothing the broker sends reaches the client (no confirm, no heartbeat). */
  freeze(): void {
    this.frozen = true;
  }

  /** Cuts every connection and refuses new ones. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe('publishes in flight when the connection drops (issue 10, finding 10)', () => {
  it('fail at once with CONNECTION_LOST instead of hanging until the 30 s stall timer', async () => {
    const url = new URL(await rabbitmqUrl());
    const proxy = new FreezingProxy();
    const port = await proxy.start(url);
    const topology = contractTopology();
    const transport = new RabbitMqTransport({
      url: `amqp://${url.username}:${url.password}@127.0.0.1:${port}`,
      logger: quiet,
      unavailableTimeoutMs: 30_000,
    });
    try {
      await transport.connect(topology);
      await transport.publish([command(topology.commandQueues[0])]);
      proxy.freeze();
      const publishing = transport.publish(Array.from({ length: 5 }, () => command(topology.commandQueues[0])));
      const outcome = publishing.then(
        () => 'confirmed',
        (error: { code?: string }) => error.code,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const cutAt = Date.now();
      proxy.cut();
      expect(await outcome).toBe('CONNECTION_LOST');
      expect(Date.now() - cutAt).toBeLessThan(3_000);
    } finally {
      await transport.close().catch(() => undefined);
      await proxy.stop();
      const admin = await connect(url.toString());
      const channel = await admin.createChannel();
      for (const queue of [...topology.commandQueues, topology.deadLetterQueue]) await channel.deleteQueue(queue);
      await channel.deleteExchange(topology.eventsExchange);
      await channel.deleteExchange(topology.deadLetterExchange);
      await admin.close();
    }
  });
});

describe('SIGTERM shutdown with steps that ignore their abort signal', () => {
  let environment: TestEnvironment;
  let api: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    api = await startTestApp(environment, [scriptedSaga], [], { steps: [] });
  });

  afterAll(async () => {
    await api.close();
    await environment.cleanup([scriptedSaga]);
  });

  it('ends within shutdownGraceMs plus a small margin, without a MaxListenersExceededWarning for 12 steps in flight', async () => {
    const worker = startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env);
    await worker.waitForOutput('worker-ready');
    // 12 steps in flight at once, each sleeping 25 s and ignoring its signal (the step timeout is 30 s).
    const ids = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const workflowId = randomUUID();
        await api.starter.start(scriptedSaga, { workflowId, script: { Charge: { sleepMs: 25_000, ignoreSignal: true } } });
        return workflowId;
      }),
    );
    for (const id of ids)
      for (let i = 0; i < 400 && (await api.query.get(id))?.phase !== 'Charge'; i++)
        await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setTimeout(resolve, 500));

    const stoppedAt = Date.now();
    const exit = await worker.stop('SIGTERM');
    const elapsed = Date.now() - stoppedAt;
    // The test worker's shutdownGraceMs is 2 s, the fixed margin 3 s; the rest is process exit on a loaded machine.
    expect(elapsed).toBeLessThan(2_000 + 3_000 + 4_000);
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
    expect(worker.output.filter((line) => line.includes('MaxListenersExceededWarning'))).toEqual([]);

    // The abandoned steps' commands were redelivered: another worker finishes every run.
    const next = startProcess('libs/strategos/test/fixtures/test-worker.main.js', environment.env);
    try {
      await next.waitForOutput('worker-ready');
      for (const id of ids) await expect(api.query.waitFor(id, { timeoutMs: 90_000 })).resolves.toMatchObject({ status: 'completed' });
    } finally {
      await next.stop();
    }
  });
});
