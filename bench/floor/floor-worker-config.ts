/** How a floor worker runs: per message, or gathering outcomes into batches. */
export type FloorMode = 'per-message' | 'batched';

/** What the bench process tells a floor worker (through its environment). */
export interface FloorWorkerConfig {
  readonly mode: FloorMode;
  readonly rabbitmqUrl: string;
  readonly databaseUrl: string;
  readonly schema: string;
  readonly queuePrefix: string;
  /** Steps per workflow (one queue each): the framework workflow's. */
  readonly steps: number;
  readonly prefetch: number;
  readonly poolSize: number;
  readonly batchSize: number;
  readonly batchConcurrency: number;
  /** `application_name` of the worker's connections (the bench counts their backends' CPU). */
  readonly applicationName: string;
}

const VARIABLE = 'BENCH_FLOOR_CONFIG';

/** The environment that carries `config` to the worker. */
export function floorConfigToEnv(config: FloorWorkerConfig): Record<string, string> {
  return { [VARIABLE]: JSON.stringify(config) };
}

/** @throws Error when the variable is missing (the worker is started by the bench only). */
export function floorConfigFromEnv(env: NodeJS.ProcessEnv): FloorWorkerConfig {
  const json = env[VARIABLE];
  if (json === undefined) throw new Error(`${VARIABLE} is not set; the floor worker is started by npm run bench`);
  return JSON.parse(json) as FloorWorkerConfig;
}

/** The line a floor worker prints once it consumes. */
export const FLOOR_READY_MARKER = 'floor-worker-ready';
/** The line a floor worker prints at shutdown, followed by its counters as JSON. */
export const FLOOR_COUNTERS_MARKER = 'floor-worker-counters';
