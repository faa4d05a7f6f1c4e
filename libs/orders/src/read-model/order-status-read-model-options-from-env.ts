import type { OrderStatusReadModelOptions } from './order-status-read-model-options.interface';

/**
 * The read model's options from the environment: `DATABASE_URL`, and `READ_MODEL_SCHEMA`, else the Strategos
 * schema (`STRATEGOS_SCHEMA`, else `strategos`), so that the example keeps everything in one schema.
 */
export function orderStatusReadModelOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OrderStatusReadModelOptions {
  return {
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    schema: env.READ_MODEL_SCHEMA ?? env.STRATEGOS_SCHEMA ?? 'strategos',
  };
}
