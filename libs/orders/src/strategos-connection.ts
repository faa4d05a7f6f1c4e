import type { StrategosModuleOptions } from '@strategos/nestjs';

/** The Strategos connection of the order apps, from the environment (the same variables as the tests). */
export function strategosOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StrategosModuleOptions {
  return {
    rabbitmq: { url: env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672' },
    postgres: { url: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test', schema: env.STRATEGOS_SCHEMA ?? 'strategos' },
    namespace: env.STRATEGOS_NAMESPACE ?? 'strategos',
  };
}
