import type { StrategosModuleOptions, WorkflowEventKind } from '@strategos/nestjs';
import type { BenchOptions } from '../bench-options';

/** `postgres.poolSize` when not set (see StrategosModuleOptions). */
export const FRAMEWORK_DEFAULT_POOL_SIZE = 10;

/** The framework options a bench run may change; undefined keeps the framework's default. */
export interface FrameworkTuning {
  readonly prefetch: number | undefined;
  readonly commitBatchSize: number | undefined;
  readonly commitConcurrency: number | undefined;
  readonly poolSize: number;
  readonly queueType: 'quorum' | 'classic' | undefined;
  /** `events.kinds`; undefined: every kind. */
  readonly eventKinds: readonly string[] | undefined;
}

/** The tuning the command line asks for. */
export function frameworkTuning(options: BenchOptions): FrameworkTuning {
  const { prefetch, commitBatchSize, commitConcurrency, poolSize, queueType, eventKinds } = options;
  return { prefetch, commitBatchSize, commitConcurrency, poolSize, queueType, eventKinds };
}

/** The framework options a run set to other values than the defaults. */
export function overriddenOptions(tuning: FrameworkTuning): string[] {
  const { poolSize, ...rest } = tuning;
  const overridden = Object.entries(rest).flatMap(([name, value]) => (value === undefined ? [] : [name]));
  return poolSize === FRAMEWORK_DEFAULT_POOL_SIZE ? overridden : [...overridden, 'poolSize'];
}

/** The environment variable that carries the tuning to the worker process, as JSON. */
const TUNING_VARIABLE = 'BENCH_FRAMEWORK_TUNING';

/** `options` with the tuning applied (the same for the worker and the starter). */
export function tunedOptions(options: StrategosModuleOptions, tuning: FrameworkTuning): StrategosModuleOptions {
  const { rabbitmq, postgres } = options;
  return {
    ...options,
    rabbitmq: rabbitmq && {
      ...rabbitmq,
      ...(tuning.prefetch !== undefined && { prefetch: tuning.prefetch }),
      ...(tuning.queueType !== undefined && { queueType: tuning.queueType }),
    },
    postgres: postgres && { ...postgres, poolSize: tuning.poolSize },
    ...(tuning.commitBatchSize !== undefined && { commitBatchSize: tuning.commitBatchSize }),
    ...(tuning.commitConcurrency !== undefined && { commitConcurrency: tuning.commitConcurrency }),
    ...(tuning.eventKinds !== undefined && { events: { ...options.events, kinds: tuning.eventKinds as WorkflowEventKind[] } }),
  };
}

/** The environment that carries `tuning` to the worker process. */
export function tuningToEnv(tuning: FrameworkTuning): Record<string, string> {
  return { [TUNING_VARIABLE]: JSON.stringify(tuning) };
}

/** The tuning the bench process passed in the environment (the defaults when run on its own). */
export function tuningFromEnv(env: NodeJS.ProcessEnv): FrameworkTuning {
  const passed = JSON.parse(env[TUNING_VARIABLE] ?? '{}') as Partial<FrameworkTuning>;
  return {
    prefetch: passed.prefetch,
    commitBatchSize: passed.commitBatchSize,
    commitConcurrency: passed.commitConcurrency,
    poolSize: passed.poolSize ?? FRAMEWORK_DEFAULT_POOL_SIZE,
    queueType: passed.queueType,
    eventKinds: passed.eventKinds,
  };
}
