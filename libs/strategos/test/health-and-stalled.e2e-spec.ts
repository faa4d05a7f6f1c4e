import * as amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import * as net from 'node:net';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import {
  controlQueueName,
  startQueueName,
  stepQueueName,
  StrategosModule,
  StrategosRuntime,
  topologyNames,
  WorkflowQuery,
  WorkflowStarter,
} from '@strategos/nestjs';
import { StrategosHealthIndicator } from '@strategos/nestjs/health';
import { runCli } from '@strategos/nestjs/cli/run-cli';
import { SCRIPTED_PROVIDERS, scriptedSaga } from './fixtures/scripted-workflow';
import { createTestEnvironment, startTestApp, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import { recordingIo } from './support/recording-io';

/** A TCP proxy to PostgreSQL that the test can cut, to take the database away from one app only. */
async function databaseProxy(databaseUrl: string): Promise<{ url: string; cut(): Promise<void> }> {
  const target = new URL(databaseUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    cut: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        sockets.forEach((socket) => socket.destroy());
      });
    },
  };
}

describe('stalled runs and health', () => {
  let environment: TestEnvironment;
  let api: TestApp;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    // An API that runs no step: until a worker starts, nothing consumes the step queues.
    api = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], { steps: [], stalledAfterMs: 1_000 });
  });

  afterAll(async () => {
    await api.close();
    await environment.cleanup([scriptedSaga]);
  });

  it('says a run whose step no worker consumes is stalled, in the view, the CLI and the health report, until a worker starts', async () => {
    const { workflowId } = await api.starter.start(scriptedSaga, { workflowId: randomUUID(), script: {} });
    await new Promise((resolve) => setTimeout(resolve, 2_500));

    const view = await api.query.get(workflowId);
    expect(view).toMatchObject({
      status: 'running',
      phase: 'Reserve',
      stalled: { step: 'Reserve', queue: `${environment.namespace}.scripted-saga.Reserve` },
    });
    expect(view?.stalled?.reason).toContain('no process consumes');
    expect(view?.estimatedCompletionAt).toBeUndefined();
    const listed = await api.query.list({ status: 'running' });
    expect(listed.items.find((item) => item.workflowId === workflowId)?.stalled?.step).toBe('Reserve');

    const io = recordingIo();
    const connection = [
      '--database-url',
      environment.databaseUrl,
      '--rabbitmq-url',
      environment.rabbitmqUrl,
      '--schema',
      environment.schema,
      '--namespace',
      environment.namespace,
    ];
    expect(await runCli(['status', workflowId, '--stalled-after-ms', '1000', ...connection], io)).toBe(0);
    expect(io.out()).toMatch(/^stalled +since \S+Z: no process consumes \S+\.scripted-saga\.Reserve/m);
    expect(io.out()).not.toMatch(/^estimatedCompletionAt +\S/m);

    const report = await api.app.get(StrategosRuntime).checkHealth();
    expect(report).toMatchObject({ status: 'ok', transport: 'connected', database: 'up' });
    expect(report.stalled).toEqual([expect.objectContaining({ workflow: 'scripted-saga', step: 'Reserve', runs: 1 })]);

    const worker = await startTestApp(environment, [scriptedSaga], [...SCRIPTED_PROVIDERS], { stalledAfterMs: 1_000 });
    try {
      expect((await api.query.waitFor(workflowId, { timeoutMs: 30_000 })).status).toBe('completed');
      expect((await api.query.get(workflowId))?.stalled).toBeUndefined();
      expect((await api.app.get(StrategosRuntime).checkHealth()).stalled).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it('plugs into @nestjs/terminus: up with the broker and database, degraded with stalled runs, down without the database', async () => {
    const proxy = await databaseProxy(environment.databaseUrl);

    @Controller('health')
    class HealthController {
      constructor(
        private readonly health: HealthCheckService,
        private readonly strategos: StrategosHealthIndicator,
      ) {}

      @Get()
      @HealthCheck()
      check() {
        return this.health.check([() => this.strategos.isHealthy('strategos')]);
      }
    }

    @Module({
      imports: [
        TerminusModule,
        StrategosModule.forRoot({
          rabbitmq: { url: environment.rabbitmqUrl },
          postgres: { url: proxy.url, schema: environment.schema },
          namespace: `${environment.namespace}-terminus`,
          steps: [],
          stalledAfterMs: 1_000,
        }),
        StrategosModule.forFeature({ workflows: [scriptedSaga] }),
      ],
      controllers: [HealthController],
      providers: [StrategosHealthIndicator, ...SCRIPTED_PROVIDERS],
    })
    class TerminusAppModule {}

    const app = await NestFactory.create(TerminusAppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    const url = `${await app.getUrl()}/health`.replace('[::1]', '127.0.0.1');
    try {
      const up = await fetch(url);
      expect(up.status).toBe(200);
      expect(await up.json()).toMatchObject({
        status: 'ok',
        info: { strategos: { status: 'up', transport: 'connected', database: 'up', stalled: [] } },
      });

      await app.get(WorkflowStarter).start(scriptedSaga, { workflowId: randomUUID(), script: {} });
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const degraded = await (await fetch(url)).json();
      expect(JSON.stringify(degraded)).toContain('"status":"degraded"');
      expect(JSON.stringify(degraded)).toContain(`${environment.namespace}-terminus.scripted-saga.Reserve`);

      await proxy.cut();
      const down = await fetch(url);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'error', error: { strategos: { status: 'down', database: 'down' } } });
      expect(app.get(WorkflowQuery)).toBeDefined();
    } finally {
      await app.close().catch(() => undefined);
      await deleteTopology(environment.rabbitmqUrl, `${environment.namespace}-terminus`);
    }
  });
});

/** Deletes what the terminus app declared in its own namespace (the environment cleans up its namespace only). */
async function deleteTopology(rabbitmqUrl: string, namespace: string): Promise<void> {
  const connection = await amqp.connect(rabbitmqUrl);
  try {
    const channel = await connection.createChannel();
    const names = topologyNames(namespace);
    for (const step of scriptedSaga.stepsByName.keys()) await channel.deleteQueue(stepQueueName(namespace, scriptedSaga.name, step));
    await channel.deleteQueue(startQueueName(namespace, scriptedSaga.name));
    await channel.deleteQueue(controlQueueName(namespace, scriptedSaga.name));
    await channel.deleteQueue(names.deadLetterQueue);
    await channel.deleteExchange(names.eventsExchange);
    await channel.deleteExchange(names.deadLetterExchange);
  } finally {
    await connection.close();
  }
}
