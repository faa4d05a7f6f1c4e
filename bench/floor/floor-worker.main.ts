import * as amqp from 'amqplib';
import { Pool } from 'pg';
import { newFloorCounters, type DeliveryHandler, type FloorCounters } from './delivery-handler';
import { FloorBatchingHandler } from './floor-batching-handler';
import { FLOOR_STEPS, floorQueueName } from './floor-command';
import { floorStatements } from './floor-statements';
import { FloorStepHandler } from './floor-step-handler';
import { FLOOR_COUNTERS_MARKER, FLOOR_READY_MARKER, floorConfigFromEnv, type FloorWorkerConfig } from './floor-worker-config';

/**
 * The hand-written floor's consumer process, on plain amqplib and pg: a channel per step queue with the
 * framework's prefetch, one confirm channel to publish, one pool. SIGTERM prints the counters and exits.
 */
async function main(): Promise<void> {
  const config = floorConfigFromEnv(process.env);
  const pool = new Pool({ connectionString: config.databaseUrl, max: config.poolSize, application_name: 'strategos-bench-floor' });
  // An idle connection terminated by the server is replaced; the commands in flight on a busy one are requeued.
  pool.on('error', (error) => console.error('floor-worker: idle database connection lost', error.message));
  const connection = await amqp.connect(config.rabbitmqUrl);
  // The floor does not reconnect: a lost connection (another test closing every connection) ends the run.
  connection.on('error', (error: Error) => console.error('floor-worker: RabbitMQ connection error', error.message));
  connection.on('close', () => exitOnLostConnection());
  const publisher = await connection.createConfirmChannel();
  const counters = newFloorCounters();
  const handler = createHandler(config, pool, publisher, counters);
  for (let step = 1; step <= FLOOR_STEPS; step++) {
    const channel = await connection.createChannel();
    await channel.prefetch(config.prefetch);
    await channel.consume(floorQueueName(config.queuePrefix, step), (message) => message && handler.handle(channel, message), { noAck: false });
  }
  console.log(`${FLOOR_READY_MARKER} ${process.pid}`);
  process.once('SIGTERM', () => void shutDown(connection, pool, counters));
}

function createHandler(config: FloorWorkerConfig, pool: Pool, publisher: amqp.ConfirmChannel, counters: FloorCounters): DeliveryHandler {
  const sql = floorStatements(config.schema);
  if (config.mode === 'batched') return new FloorBatchingHandler(pool, sql, publisher, config.queuePrefix, { batchSize: config.batchSize, concurrency: config.batchConcurrency }, counters);
  return new FloorStepHandler(pool, sql, publisher, config.queuePrefix, counters);
}

let stopping = false;

function exitOnLostConnection(): void {
  if (stopping) return;
  console.error('floor-worker-failed: the RabbitMQ connection closed; the floor does not reconnect');
  process.exit(1);
}

async function shutDown(connection: amqp.ChannelModel, pool: Pool, counters: FloorCounters): Promise<void> {
  stopping = true;
  console.log(`${FLOOR_COUNTERS_MARKER} ${JSON.stringify(counters)}`);
  await connection.close().catch(() => undefined);
  await pool.end();
  process.exit(0);
}

void main().catch((error: unknown) => {
  console.error('floor-worker-failed', error);
  process.exit(1);
});
