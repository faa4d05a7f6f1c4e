import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

/**
 * Where the integration tests find RabbitMQ and PostgreSQL: `RABBITMQ_URL` / `DATABASE_URL`, else the
 * local servers, else (when neither answers and Docker does) containers started with testcontainers.
 */
const DEFAULT_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

let rabbitUrl: Promise<string> | undefined;
let databaseUrl: Promise<string> | undefined;

/** The AMQP URL of the broker the tests use. */
export function rabbitmqUrl(): Promise<string> {
  rabbitUrl ??= resolveUrl(process.env.RABBITMQ_URL ?? DEFAULT_RABBITMQ_URL, startRabbitContainer);
  return rabbitUrl;
}

/** The PostgreSQL URL of the database the tests use. */
export function postgresUrl(): Promise<string> {
  databaseUrl ??= resolveUrl(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, startPostgresContainer);
  return databaseUrl;
}

/** A name no other test uses: for schemas, queue namespaces and the like (lower case, starts with a letter). */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

async function resolveUrl(url: string, startContainer: () => Promise<string>): Promise<string> {
  if (await isReachable(url)) return url;
  if (!(await isReachable('tcp://127.0.0.1:2375')) && !(await dockerSocketExists())) {
    throw new Error(
      `${url} is not reachable and no Docker engine is available; start the server (see README "Running the tests") or set the URL in the environment`,
    );
  }
  return startContainer();
}

function isReachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

async function dockerSocketExists(): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  return access('/var/run/docker.sock').then(
    () => true,
    () => false,
  );
}

async function startRabbitContainer(): Promise<string> {
  const { RabbitMQContainer } = await import('@testcontainers/rabbitmq');
  const container = await new RabbitMQContainer('rabbitmq:4-management').start();
  return container.getAmqpUrl();
}

async function startPostgresContainer(): Promise<string> {
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const container = await new PostgreSqlContainer('postgres:16-alpine').start();
  return container.getConnectionUri();
}
