import type { StrategosModuleOptions } from '@strategos/nestjs';

/** The framework options a bench run may change; undefined keeps the framework's default. */
export interface FrameworkTuning {
  readonly prefetch: number | undefined;
  readonly commitBatchSize: number | undefined;
  readonly commitConcurrency: number | undefined;
  readonly poolSize: number;
}

const ENV = {
  prefetch: 'BENCH_PREFETCH',
  commitBatchSize: 'BENCH_COMMIT_BATCH_SIZE',
  commitConcurrency: 'BENCH_COMMIT_CONCURRENCY',
  poolSize: 'BENCH_POOL_SIZE',
} as const;

/** `options` with the tuning applied (the same for the worker and the starter). */
export function tunedOptions(options: StrategosModuleOptions, tuning: FrameworkTuning): StrategosModuleOptions {
  const { rabbitmq, postgres } = options;
  return {
    ...options,
    rabbitmq: rabbitmq && { ...rabbitmq, ...(tuning.prefetch !== undefined && { prefetch: tuning.prefetch }) },
    postgres: postgres && { ...postgres, poolSize: tuning.poolSize },
    ...(tuning.commitBatchSize !== undefined && { commitBatchSize: tuning.commitBatchSize }),
    ...(tuning.commitConcurrency !== undefined && { commitConcurrency: tuning.commitConcurrency }),
  };
}

/** The environment variables that carry `tuning` to the worker process. */
export function tuningToEnv(tuning: FrameworkTuning): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of Object.keys(ENV) as (keyof FrameworkTuning)[]) {
    const value = tuning[key];
    if (value !== undefined) env[ENV[key]] = String(value);
  }
  return env;
}

/** The tuning the bench process passed in the environment. */
export function tuningFromEnv(env: NodeJS.ProcessEnv): FrameworkTuning {
  const read = (name: string): number | undefined => (env[name] === undefined ? undefined : Number(env[name]));
  return {
    prefetch: read(ENV.prefetch),
    commitBatchSize: read(ENV.commitBatchSize),
    commitConcurrency: read(ENV.commitConcurrency),
    poolSize: read(ENV.poolSize) ?? 10,
  };
}
