import { DatabaseError, Pool } from 'pg';
import { PostgresDeadLetterStore } from '../../dead-letters/postgres-dead-letter-store';
import { PostgresWorkflowStore } from '../../persistence/postgres/postgres-workflow-store';
import { quoteSchema } from '../../persistence/postgres/schema-name';
import { TransitionNotifier } from '../../persistence/transition-notifier';
import { WorkflowQuery } from '../../query/workflow-query';
import { CliOperationError } from './cli-operation.error';
import type { ConnectionSettings } from './connection-settings';
import { connectionErrorMessage, redactedUrl } from './redacted-url';

/** The tables a command reads: the workflow instances and their events, or the dead letters. */
export type StoreTables = 'workflows' | 'dead-letters';

const TABLE_OF: Readonly<Record<StoreTables, string>> = { workflows: 'instances', 'dead-letters': 'dead_letters' };

/**
 * The PostgreSQL side of one operations command: a small pool with a short connect timeout, shared by the
 * workflow store, {@link WorkflowQuery} and the dead-letter store. Never migrates: a command only reads,
 * or removes dead letters, in a schema the applications created.
 */
export class StoreConnection {
  /** The workflow store (without notifications: a command never waits for one). */
  readonly workflows: PostgresWorkflowStore;
  /** Views, pages and the audit trail. Without the workflows' definitions: views carry no estimates. */
  readonly query: WorkflowQuery;
  readonly deadLetters: PostgresDeadLetterStore;

  private constructor(
    private readonly pool: Pool,
    settings: ConnectionSettings,
  ) {
    this.workflows = new PostgresWorkflowStore({
      pool,
      schema: settings.schema,
      connectionTimeoutMs: settings.connectTimeoutMs,
      notifications: false,
    });
    this.query = new WorkflowQuery(this.workflows, new TransitionNotifier());
    this.deadLetters = new PostgresDeadLetterStore({ pool, schema: settings.schema });
  }

  /**
   * Connects, checks that the schema holds `tables`, runs `work` and closes the connection, whatever
   * `work` does. A query that fails on the server or the network becomes `DATABASE_ERROR`.
   * @throws CliOperationError `DATABASE_UNAVAILABLE`, `SCHEMA_NOT_FOUND`, `DATABASE_ERROR`; what `work` throws.
   */
  static async use<T>(settings: ConnectionSettings, tables: StoreTables, work: (connection: StoreConnection) => Promise<T>): Promise<T> {
    const pool = new Pool({
      connectionString: settings.databaseUrl,
      max: 2,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      application_name: 'strategos-cli',
    });
    // An idle connection that dies is dropped by the pool; the next query reports it.
    pool.on('error', () => undefined);
    try {
      await checkSchema(pool, settings, tables);
      return await work(new StoreConnection(pool, settings));
    } catch (error) {
      if (isDatabaseFailure(error)) {
        throw new CliOperationError(
          'DATABASE_ERROR',
          `PostgreSQL at ${redactedUrl(settings.databaseUrl)} failed a query: ${connectionErrorMessage(error, settings.databaseUrl)}`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      await pool.end().catch(() => undefined);
    }
  }
}

async function checkSchema(pool: Pool, settings: ConnectionSettings, tables: StoreTables): Promise<void> {
  const table = `${quoteSchema(settings.schema)}.${TABLE_OF[tables]}`;
  let present: boolean;
  try {
    const { rows } = await pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [table]);
    present = rows[0]?.present === true;
  } catch (error) {
    throw new CliOperationError(
      'DATABASE_UNAVAILABLE',
      `Cannot use PostgreSQL at ${redactedUrl(settings.databaseUrl)}: ${connectionErrorMessage(error, settings.databaseUrl)}; check --database-url or DATABASE_URL`,
      { cause: error },
    );
  }
  if (!present) {
    throw new CliOperationError(
      'SCHEMA_NOT_FOUND',
      `Schema ${settings.schema} at ${redactedUrl(settings.databaseUrl)} has no table ${TABLE_OF[tables]}; check --schema or STRATEGOS_SCHEMA (the applications create it when they start)`,
    );
  }
}

/** An error of the server or of the connection, rather than one of the command's own. */
function isDatabaseFailure(error: unknown): boolean {
  if (error instanceof DatabaseError) return true;
  if (!(error instanceof Error) || error instanceof CliOperationError) return false;
  return (
    typeof (error as { syscall?: unknown }).syscall === 'string' ||
    /^Connection terminated|timeout exceeded when trying to connect/.test(error.message)
  );
}
