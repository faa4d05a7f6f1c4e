import * as amqp from 'amqplib';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { initialOrderState, ORDER_SERVICES, ORDER_STEPS, processOrder, StartProcessOrderCommand } from '@app/orders';
import { DeadLetters, topologyNames } from '@strategos/nestjs';
import { type AppBehindStoreProxy, startAppBehindStoreProxy } from './support/app-behind-store-proxy';
import { createTestEnvironment, type TestApp, type TestEnvironment } from './support/strategos-test-app';
import type { TcpProxy } from './support/tcp-proxy';

const run = promisify(execFile);

/**
 * Issue 10, finding 4: a 20 s database outage under a broker that drops a message after 20 deliveries (RabbitMQ
 * 4's quorum-queue default, emulated with a `delivery-limit` policy scoped to this test's namespace). Consumption
 * holds what it has and backs off instead of spinning redeliveries; nothing is dropped or dead-lettered; all
 * starts complete once the database is back.
 */
describe('A database outage under a delivery limit', () => {
  const STARTS = 1_000;
  let environment: TestEnvironment;
  let behindProxy: AppBehindStoreProxy | undefined;
  let proxy: TcpProxy;
  let app: TestApp;
  let policy: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    policy = `strategos-test-${environment.namespace}`;
    const pattern = `^${environment.namespace.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\.`;
    await run('rabbitmqctl', ['set_policy', '--apply-to', 'queues', policy, pattern, '{"delivery-limit":20}']);
    behindProxy = await startAppBehindStoreProxy(environment, [processOrder], [...ORDER_SERVICES, ...ORDER_STEPS]);
    ({ app, proxy } = behindProxy);
  });

  afterAll(async () => {
    await run('rabbitmqctl', ['clear_policy', policy]).catch(() => undefined);
    await behindProxy?.close();
    await environment.cleanup([processOrder]);
  });

  async function statusCounts(): Promise<Record<string, number>> {
    const client = new Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM "${environment.schema}".instances GROUP BY status`,
      );
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    } finally {
      await client.end();
    }
  }

  async function queueDepths(): Promise<Map<string, { ready: number; unacked: number }>> {
    const { stdout } = await run('rabbitmqctl', [
      'list_queues',
      'name',
      'messages_ready',
      'messages_unacknowledged',
      '-q',
      '--no-table-headers',
    ]);
    const depths = new Map<string, { ready: number; unacked: number }>();
    for (const line of stdout.split('\n')) {
      const [name, ready, unacked] = line.trim().split(/\s+/);
      if (name?.startsWith(`${environment.namespace}.`)) depths.set(name, { ready: Number(ready), unacked: Number(unacked) });
    }
    return depths;
  }

  it('loses nothing, dead-letters nothing and resumes when the database returns', async () => {
    const connection = await amqp.connect(environment.rabbitmqUrl);
    const channel = await connection.createConfirmChannel();
    const queue = StartProcessOrderCommand.queue(environment.namespace);
    const ids: string[] = [];
    const publish = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const state = initialOrderState();
        ids.push(state.workflowId);
        const command = StartProcessOrderCommand.create(state, randomUUID());
        channel.sendToQueue(queue, Buffer.from(JSON.stringify(command)), { persistent: true, messageId: command.messageId });
      }
      await channel.waitForConfirms();
    };
    try {
      await publish(STARTS / 2);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await proxy.cut();
      const outageStarted = Date.now();
      await publish(STARTS / 2);
      // During the outage consumers hold at most their prefetch each; the rest waits in the queues.
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const during = await queueDepths();
      expect(during.get(queue)?.ready).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20_000 - (Date.now() - outageStarted))));
      await proxy.restore();
    } finally {
      await connection.close();
    }

    const deadline = Date.now() + 120_000;
    let counts = await statusCounts();
    while ((counts.completed ?? 0) < STARTS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      counts = await statusCounts();
    }
    expect(counts).toEqual({ completed: STARTS });

    const client = new Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ workflow_id: string }>(`SELECT workflow_id FROM "${environment.schema}".instances`);
      expect(new Set(rows.map((row) => row.workflow_id))).toEqual(new Set(ids));
      const duplicates = await client.query(
        `SELECT workflow_id, data->>'step' AS step FROM "${environment.schema}".events WHERE kind = 'StepCompleted' GROUP BY 1, 2 HAVING count(*) > 1`,
      );
      expect(duplicates.rows).toEqual([]);
    } finally {
      await client.end();
    }
    expect(await app.app.get(DeadLetters).list()).toEqual([]);
    const depths = await queueDepths();
    expect(depths.get(topologyNames(environment.namespace).deadLetterQueue)).toEqual({ ready: 0, unacked: 0 });
  });
});
