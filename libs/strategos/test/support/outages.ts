import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** The broker's ids (`pid`) of the connections of one test's processes (named `strategos-<namespace>-<pid>`). */
async function brokerConnectionPids(namespace: string): Promise<string[]> {
  const { stdout } = await run('rabbitmqctl', ['list_connections', 'pid', 'client_properties', '-q', '--no-table-headers']);
  return stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name","strategos-${namespace}-`))
    .map((line) => line.split('\t')[0]);
}

/** How many broker connections one test's processes have open now. Needs rabbitmqctl. */
export async function brokerConnectionCount(namespace: string): Promise<number> {
  return (await brokerConnectionPids(namespace)).length;
}

/**
 * Closes the broker connections of one test's processes (named `strategos-<namespace>-<pid>`), as an outage
 * would; other suites sharing the broker keep theirs. Needs rabbitmqctl, as on the CI machine. Returns how many.
 */
export async function closeBrokerConnections(namespace: string): Promise<number> {
  const pids = await brokerConnectionPids(namespace);
  for (const pid of pids) await run('rabbitmqctl', ['close_connection', pid, 'strategos resilience test']);
  return pids.length;
}

/** Terminates the database backends of one test's stores (application name `strategos-<namespace>`); returns how many. */
export async function terminateDatabaseBackends(databaseUrl: string, namespace: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1',
      [`strategos-${namespace}`],
    );
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}
