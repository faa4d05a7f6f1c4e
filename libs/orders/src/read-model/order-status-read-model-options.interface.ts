/**
 * Options of `OrderStatusReadModelModule.forRoot`.
 *
 * @example OrderStatusReadModelModule.forRoot({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/app', schema: 'orders' })
 */
export interface OrderStatusReadModelOptions {
  /** PostgreSQL connection string of the read model's database (never logged). */
  readonly databaseUrl: string;
  /** Schema of the `order_status` table, created when missing: a plain lower-case identifier. @default 'public' */
  readonly schema?: string;
  /** Connections of the read model's own pool. @default 4 */
  readonly poolSize?: number;
}
