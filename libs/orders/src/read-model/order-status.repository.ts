import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { WorkflowStatus } from '@strategos/nestjs';
import { Pool } from 'pg';
import { InvalidReadModelOptionsError } from './invalid-read-model-options.error';
import type { OrderStatusReadModelOptions } from './order-status-read-model-options.interface';
import { ORDER_STATUS_READ_MODEL_OPTIONS } from './order-status-read-model.module-definition';
import type { OrderStatusRecord } from './order-status-record';
import { orderStatusStatements, type OrderStatusStatements } from './order-status-table';

/** SQLSTATEs of a concurrent `CREATE … IF NOT EXISTS` that lost the race: trying again finds the object. */
const CONCURRENT_CREATE = new Set(['23505', '42P06', '42P07']);
const CREATE_ATTEMPTS = 3;

interface OrderStatusRow {
  readonly workflow_id: string;
  readonly order_id: string | null;
  readonly phase: string;
  readonly status: WorkflowStatus;
  readonly last_sequence: number;
  readonly updated_at: Date;
}

/**
 * The `order_status` table of the read model, on a pool of its own. Creates the table at module init and
 * closes the pool at application shutdown, after Nest closed the microservices that feed it.
 */
@Injectable()
export class OrderStatusRepository implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(OrderStatusRepository.name);
  private readonly pool: Pool;
  private readonly sql: OrderStatusStatements;

  /** @throws InvalidReadModelOptionsError `INVALID_READ_MODEL_OPTIONS` naming the option. */
  constructor(@Inject(ORDER_STATUS_READ_MODEL_OPTIONS) options: OrderStatusReadModelOptions) {
    const poolSize = options.poolSize ?? 4;
    if (!Number.isInteger(poolSize) || poolSize < 1)
      throw new InvalidReadModelOptionsError('poolSize', `must be a positive integer (got ${poolSize})`);
    if (!options.databaseUrl) throw new InvalidReadModelOptionsError('databaseUrl', 'is required');
    this.sql = orderStatusStatements(options.schema ?? 'public');
    this.pool = new Pool({ connectionString: options.databaseUrl, max: poolSize });
    // An idle client whose backend dies emits 'error'; without a listener that would crash the process.
    this.pool.on('error', (error) => this.logger.warn({ message: 'Idle read model connection failed', error: error.message }));
  }

  async onModuleInit(): Promise<void> {
    await this.createTable();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }

  /** Creates the schema and table when missing; another process creating them at the same time is not an error. */
  async createTable(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.pool.query(this.sql.createTable);
        return;
      } catch (error) {
        if (attempt >= CREATE_ATTEMPTS || !CONCURRENT_CREATE.has(sqlState(error))) throw error;
      }
    }
  }

  /**
   * Writes what an event says, unless the row already reflects that event or a newer one.
   * @returns whether the row changed: false for a redelivered, duplicate or older event.
   */
  async apply(record: OrderStatusRecord): Promise<boolean> {
    const { rowCount } = await this.pool.query(this.sql.upsert, [
      record.workflowId,
      record.orderId,
      record.phase,
      record.status,
      record.lastSequence,
      record.updatedAt,
    ]);
    return rowCount === 1;
  }

  /** The row of a run, or null when no event of it has been applied. */
  async find(workflowId: string): Promise<OrderStatusRecord | null> {
    const { rows } = await this.pool.query<OrderStatusRow>(this.sql.find, [workflowId]);
    const row = rows[0];
    if (!row) return null;
    return {
      workflowId: row.workflow_id,
      orderId: row.order_id,
      phase: row.phase,
      status: row.status,
      lastSequence: row.last_sequence,
      updatedAt: row.updated_at,
    };
  }
}

function sqlState(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : '';
}
