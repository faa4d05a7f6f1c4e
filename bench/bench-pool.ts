import { Pool } from 'pg';
import { progress } from './progress';

/**
 * A small pool for the bench's own reads and DDL. An idle connection that dies (a resilience test on the
 * shared server terminating backends) is reported and replaced instead of crashing the process.
 */
export function createBenchPool(databaseUrl: string): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max: 2, application_name: 'strategos-bench' });
  pool.on('error', (error) => progress(`idle database connection lost (${error.message}); the pool replaces it`));
  return pool;
}
