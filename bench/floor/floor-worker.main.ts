import * as amqp from 'amqplib';
import { Pool } from 'pg';
import { newFloorCounters, type DeliveryHandler, type FloorCounters } from './delivery-handler';
import { FloorBatchingHandler } from './floor-batching-handler';
import { floorQueueName } from './floor-command';
import { floorStatements } from './floor-statements';
import { FloorStepHandler } from './floor-step-handler';
import { FLOOR_COUNTERS_MARKER, FLOOR_READY_MARKER, floorConfigFromEnv, type FloorWorkerConfig } from './floor-worker-config';

/**
 * The hand-written floor's consumer process, on plain amqplib and pg: a channel per step queue with the
 * framework's prefetch, one confirm channel to publish, one pool. SIGTERM prints the counters and exits.
 */
async function main(): Promise<void> {
  const config = floorConfigFromEnv(process.env);
  const pool = new Pool({ connectionString: config.databaseUrl, max: config.poolSize, application_name: config.applicationName });
  // An idle connection terminated by the server is replaced; the commands in flight on a busy one are requeued.
  pool.on('error', (error) => console.error('floor-worker: idle database connection lost', error.message));
  // Nagle off, as the framework's connections: a publish or an ack is not held back for the broker's delayed ACK.
  const connection = await amqp.connect(config.rabbitmqUrl, { noDelay: true });
  let stopping = false;
  // The floor does not reconnect: a lost connection (another test closing every connection) ends the run.
  connection.on('error', (error: Error) => console.error('floor-worker: RabbitMQ connection error', error.message));
  connection.on('close', () => stopping || exit(1, 'floor-worker-failed: the RabbitMQ connection closed; the floor does not reconnect'));
  const counters = newFloorCounters();
  const handler = createHandler(config, pool, await connection.createConfirmChannel(), counters);
  for (let step = 1; step <= config.steps; step++) {
    const channel = await connection.createChannel();
    await channel.prefetch(config.prefetch);
    await channel.consume(floorQueueName(config.queuePrefix, step), (message) => message && handler.handle(channel, message), {
      noAck: false,
    });
  }
  console.log(`${FLOOR_READY_MARKER} ${process.pid}`);
  process.once('SIGTERM', () => {
    stopping = true;
    void shutDown(connection, pool, counters);
  });
}

function createHandler(config: FloorWorkerConfig, pool: Pool, publisher: amqp.ConfirmChannel, counters: FloorCounters): DeliveryHandler {
  const sql = floorStatements(config.schema);
  const route = { queuePrefix: config.queuePrefix, steps: config.steps };
  if (config.mode === 'batched')
    return new FloorBatchingHandler(
      pool,
      sql,
      publisher,
      route,
      { batchSize: config.batchSize, concurrency: config.batchConcurrency },
      counters,
    );
  return new FloorStepHandler(pool, sql, publisher, route, counters);
}

async function shutDown(connection: amqp.ChannelModel, pool: Pool, counters: FloorCounters): Promise<void> {
  console.log(`${FLOOR_COUNTERS_MARKER} ${JSON.stringify(counters)}`);
  await connection.close().catch(() => undefined);
  await pool.end();
  process.exit(0);
}

function exit(code: number, message: string): void {
  console.error(message);
  process.exit(code);
}

void main().catch((error: unknown) =>
  exit(1, `floor-worker-failed ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
);
