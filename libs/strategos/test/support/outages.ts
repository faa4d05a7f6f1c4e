import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Closes every client connection of the local RabbitMQ (needs rabbitmqctl, as on the CI machine). */
export async function closeAllBrokerConnections(): Promise<void> {
  await run('rabbitmqctl', ['close_all_connections', 'strategos resilience test']);
}

/** Terminates every other backend connected to the test database; returns how many. */
export async function terminateDatabaseBackends(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = $1',
      ['client backend'],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
