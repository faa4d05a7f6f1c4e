import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as amqp from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { controlQueueName, startQueueName, stepQueueName, StrategosModule, topologyNames, WorkflowStarter } from '@strategos/nestjs';
import { progress } from '../progress';
import { StderrLogger } from '../stderr-logger';
import { Arm, parkedBench, timerBench, Woke } from './timer-workflows';

/** Options of `npm run bench -- --scenario timers`. */
interface TimerBenchOptions {
  readonly parked: number;
  readonly moderate: number;
  readonly burst: number;
  readonly rabbitmqUrl: string;
  readonly databaseUrl: string;
}

function option(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} needs a whole number, got ${argv[index + 1]}`);
  return value;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The timers scenario: (1) `--parked` runs parked at a signal wait: the worker's CPU and memory while they wait, and
 * that nothing is in flight; (2) `--moderate` timers due one after another (about 50/s): how late each fires;
 * (3) `--burst` timers due in the same second: how long until every one fired. Prints one JSON object.
 */
export async function runTimersScenario(argv: readonly string[]): Promise<void> {
  const options: TimerBenchOptions = {
    parked: option(argv, 'parked', 10_000),
    moderate: option(argv, 'moderate', 500),
    burst: option(argv, 'burst', 10_000),
    rabbitmqUrl: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  };
  const suffix = randomBytes(4).toString('hex');
  const namespace = `bench-timers-${suffix}`;
  const schema = `bench_timers_${suffix}`;

  @Module({
    imports: [
      StrategosModule.forRoot({
        rabbitmq: { url: options.rabbitmqUrl },
        postgres: { url: options.databaseUrl, schema },
        namespace,
        archiveDeadLetters: false,
      }),
      StrategosModule.forFeature({ workflows: [timerBench, parkedBench] }),
    ],
    providers: [Arm, Woke],
  })
  class TimerBenchModule {}

  const app = await NestFactory.createApplicationContext(TimerBenchModule, { logger: new StderrLogger({ logLevels: ['error', 'warn'] }) });
  const starter = app.get(WorkflowStarter);
  const pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
  const count = async (sql: string, values: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, values)).rows[0].n);
  const startAll = async (ids: readonly string[], definition: typeof timerBench, wakeAt: (index: number) => string) => {
    for (let i = 0; i < ids.length; i += 200) {
      await Promise.all(ids.slice(i, i + 200).map((workflowId, j) => starter.start(definition, { workflowId, wakeAt: wakeAt(i + j) })));
    }
  };
  const untilCount = async (what: string, sql: string, values: unknown[], target: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const n = await count(sql, values);
      if (n >= target) return;
      if (Date.now() > deadline) throw new Error(`${what}: ${n} of ${target} after ${timeoutMs} ms`);
      await sleep(250);
    }
  };
  const result: Record<string, unknown> = {
    scenario: 'timers',
    options: { parked: options.parked, moderate: options.moderate, burst: options.burst },
  };
  try {
    // 1. Parked runs.
    progress(`timers: parking ${options.parked} runs at a signal wait`);
    const parkedIds = Array.from({ length: options.parked }, () => randomUUID());
    const parkStarted = Date.now();
    await startAll(parkedIds, parkedBench, () => new Date().toISOString());
    await untilCount(
      'parked',
      `SELECT count(*) AS n FROM "${schema}".instances WHERE workflow_name = 'bench-parked' AND cursor ? 'wait'`,
      [],
      options.parked,
      600_000,
    );
    const parkedInMs = Date.now() - parkStarted;
    global.gc?.();
    await sleep(2_000);
    const cpuBefore = process.cpuUsage();
    const rssBefore = process.memoryUsage().rss;
    const idleMs = 10_000;
    await sleep(idleMs);
    const cpu = process.cpuUsage(cpuBefore);
    const connection = await amqp.connect(options.rabbitmqUrl);
    const channel = await connection.createChannel();
    const inFlight = (await channel.checkQueue(stepQueueName(namespace, 'bench-parked', 'Woke'))).messageCount;
    result.parked = {
      runs: options.parked,
      parkedInMs,
      idleWindowMs: idleMs,
      workerCpuMsDuringIdle: Math.round((cpu.user + cpu.system) / 1000),
      workerCpuPercentDuringIdle: Math.round(((cpu.user + cpu.system) / 1000 / idleMs) * 1000) / 10,
      rssMb: Math.round(rssBefore / 1e6),
      messagesInFlight: inFlight,
    };
    progress(`timers: parked ${JSON.stringify(result.parked)}`);

    // 2. Moderate load: timers due one after another, 20 ms apart.
    progress(`timers: ${options.moderate} timers at about 50/s`);
    const moderateIds = Array.from({ length: options.moderate }, () => randomUUID());
    const base = Date.now() + 5_000 + options.moderate * 5;
    await startAll(moderateIds, timerBench, (i) => new Date(base + i * 20).toISOString());
    await untilCount(
      'moderate',
      `SELECT count(*) AS n FROM "${schema}".events WHERE workflow_name = 'bench-timer' AND kind = 'TimerFired'`,
      [],
      options.moderate,
      600_000,
    );
    const { rows } = await pool.query<{ late: number }>(
      `SELECT extract(epoch FROM (recorded_at::timestamptz - (data->>'dueAt')::timestamptz)) * 1000 AS late
       FROM "${schema}".events WHERE workflow_name = 'bench-timer' AND kind = 'TimerFired'`,
    );
    const late = rows.map((row) => Number(row.late)).sort((a, b) => a - b);
    result.moderate = {
      timers: options.moderate,
      lateMsP50: Math.round(percentile(late, 50)),
      lateMsP95: Math.round(percentile(late, 95)),
      lateMsP99: Math.round(percentile(late, 99)),
      lateMsMax: Math.round(late[late.length - 1] ?? 0),
    };
    progress(`timers: moderate ${JSON.stringify(result.moderate)}`);

    // 3. A burst: every timer due at the same instant.
    progress(`timers: ${options.burst} timers due in the same second`);
    const burstIds = Array.from({ length: options.burst }, () => randomUUID());
    const startBurst = Date.now();
    // Due well after the starts are done (about 1 ms per start on this machine, plus margin).
    const due = new Date(startBurst + 20_000 + options.burst * 3);
    await startAll(burstIds, timerBench, () => due.toISOString());
    const startsDoneAt = Date.now();
    if (startsDoneAt > due.getTime()) progress('timers: the starts took longer than planned; the burst is late by construction');
    const fired = `SELECT count(*) AS n FROM "${schema}".events WHERE workflow_name = 'bench-timer' AND kind = 'TimerFired' AND data->>'dueAt' = $1`;
    await untilCount('burst', fired, [due.toISOString()], options.burst, 600_000);
    const span = await pool.query<{ first: Date; last: Date }>(
      `SELECT min(recorded_at::timestamptz) AS first, max(recorded_at::timestamptz) AS last FROM "${schema}".events
       WHERE workflow_name = 'bench-timer' AND kind = 'TimerFired' AND data->>'dueAt' = $1`,
      [due.toISOString()],
    );
    result.burst = {
      timers: options.burst,
      startsTookMs: startsDoneAt - startBurst,
      firstFiredAfterDueMs: new Date(span.rows[0].first).getTime() - due.getTime(),
      allFiredWithinMsOfDue: new Date(span.rows[0].last).getTime() - due.getTime(),
    };
    progress(`timers: burst ${JSON.stringify(result.burst)}`);
    await connection.close();
  } finally {
    await app.close();
    const connection = await amqp.connect(options.rabbitmqUrl);
    const channel = await connection.createChannel();
    for (const definition of [timerBench, parkedBench]) {
      for (const step of definition.stepsByName.keys()) await channel.deleteQueue(stepQueueName(namespace, definition.name, step));
      await channel.deleteQueue(startQueueName(namespace, definition.name));
      await channel.deleteQueue(controlQueueName(namespace, definition.name));
    }
    const names = topologyNames(namespace);
    await channel.deleteQueue(names.deadLetterQueue);
    await channel.deleteExchange(names.eventsExchange);
    await channel.deleteExchange(names.deadLetterExchange);
    await connection.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
  console.log(JSON.stringify(result, null, 2));
}
