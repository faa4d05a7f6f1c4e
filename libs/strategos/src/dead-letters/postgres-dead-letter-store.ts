import { Pool } from 'pg';
import type { DeadLetter, DeadLetterFilter } from './dead-letter';
import type { DeadLetterStore } from './dead-letter-store.interface';

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Options: the same connection and schema as the workflow store. */
export interface PostgresDeadLetterStoreOptions {
  readonly url?: string;
  readonly pool?: Pool;
  /** @default 'strategos' */
  readonly schema?: string;
}

interface DeadLetterRow {
  id: string;
  original_queue: string;
  code: string;
  reason: string;
  message_id: string | null;
  type: string | null;
  headers: Record<string, string | number>;
  body: string;
  body_bytes: Buffer | null;
  dead_lettered_at: Date;
}

/** Dead letters in `<schema>.dead_letters`. */
export class PostgresDeadLetterStore implements DeadLetterStore {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly table: string;

  constructor(options: PostgresDeadLetterStoreOptions) {
    const schema = options.schema ?? 'strategos';
    if (!SCHEMA_PATTERN.test(schema)) throw new Error(`Invalid postgres.schema '${schema}'`);
    this.table = `"${schema}".dead_letters`;
    this.ownsPool = !options.pool;
    this.pool = options.pool ?? new Pool({ connectionString: options.url, max: 2, application_name: 'strategos-dead-letters' });
    this.pool.on('error', () => undefined);
  }

  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The same lock for every process, so concurrent start-ups never race on CREATE.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.table}:migrate`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.table.split('.')[0]}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
        id text PRIMARY KEY, original_queue text NOT NULL, code text NOT NULL, reason text NOT NULL,
        message_id text, type text, headers jsonb NOT NULL, body text NOT NULL, dead_lettered_at timestamptz NOT NULL)`);
      // The exact bytes of a body that text cannot hold (NUL characters, invalid UTF-8).
      await client.query(`ALTER TABLE ${this.table} ADD COLUMN IF NOT EXISTS body_bytes bytea`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async add(letter: DeadLetter): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (id, original_queue, code, reason, message_id, type, headers, body, body_bytes, dead_lettered_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
      [
        letter.id,
        letter.originalQueue,
        letter.code,
        letter.reason,
        letter.messageId,
        letter.type,
        JSON.stringify(letter.headers),
        letter.content ? letter.body.replaceAll('\u0000', '\uFFFD') : letter.body,
        letter.content ?? null,
        letter.deadLetteredAt,
      ],
    );
  }

  async list(filter: DeadLetterFilter): Promise<DeadLetter[]> {
    const result = await this.pool.query<DeadLetterRow>(
      `SELECT * FROM ${this.table} WHERE ($1::text IS NULL OR code = $1) AND ($2::text IS NULL OR original_queue = $2)
       AND ($4::timestamptz IS NULL OR (dead_lettered_at, id) > ($4::timestamptz, $5::text)) ORDER BY dead_lettered_at, id LIMIT $3`,
      [filter.code ?? null, filter.queue ?? null, filter.limit ?? 100, filter.after?.deadLetteredAt ?? null, filter.after?.id ?? null],
    );
    return result.rows.map(toDeadLetter);
  }

  async get(id: string): Promise<DeadLetter | null> {
    const result = await this.pool.query<DeadLetterRow>(`SELECT * FROM ${this.table} WHERE id = $1`, [id]);
    return result.rows[0] ? toDeadLetter(result.rows[0]) : null;
  }

  async remove(id: string): Promise<DeadLetter | null> {
    const result = await this.pool.query<DeadLetterRow>(`DELETE FROM ${this.table} WHERE id = $1 RETURNING *`, [id]);
    return result.rows[0] ? toDeadLetter(result.rows[0]) : null;
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    originalQueue: row.original_queue,
    code: row.code,
    reason: row.reason,
    messageId: row.message_id,
    type: row.type,
    headers: row.headers,
    body: row.body_bytes ? row.body_bytes.toString('utf8') : row.body,
    ...(row.body_bytes ? { content: row.body_bytes } : {}),
    deadLetteredAt: row.dead_lettered_at.toISOString(),
  };
}
