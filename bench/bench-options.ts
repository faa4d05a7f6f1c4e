import { parseArgs } from 'node:util';
import { FRAMEWORK_DEFAULT_POOL_SIZE } from './framework/framework-tuning';
import type { WorkflowIdKind } from './workflow-id';

/** What one `npm run bench` measures, and how. */
export interface BenchOptions {
  /** Workflows per run (of the sequential five-step order workflow, `benchOrder`). */
  readonly workflows: number;
  /** Unacknowledged commands per step queue; undefined: the framework's default (the floor then uses the worker's value). */
  readonly prefetch: number | undefined;
  /** Transitions per database transaction at most; undefined: the framework's default. */
  readonly commitBatchSize: number | undefined;
  /** Transactions in flight at once per process; undefined: the framework's default. */
  readonly commitConcurrency: number | undefined;
  /** Type of the command queues (framework and floor); undefined: the framework's default. */
  readonly queueType: 'quorum' | 'classic' | undefined;
  /** PostgreSQL connections of the worker's pool, and of the floor's. */
  readonly poolSize: number;
  /** `events.kinds` of the framework run (`[]` for `--event-kinds none`); undefined: every kind (the default). */
  readonly eventKinds: readonly string[] | undefined;
  /** Starts in flight at once (the starter awaits each chunk of promises). */
  readonly startChunkSize: number;
  /** Finished workflow runs written into each framework run's schema (then analyzed) before its worker starts; 0: none. */
  readonly preload: number;
  /** Workflow ids of the framework run (and of preloaded runs): `random` (UUID v4, the default) or `ordered` (UUID v7). */
  readonly workflowIds: WorkflowIdKind;
  /** How often the database is polled for completed workflows. */
  readonly pollIntervalMs: number;
  /** Outcomes per transaction and per confirm wait in the batched floor. */
  readonly floorBatchSize: number;
  readonly runFloor: boolean;
  readonly runBatchedFloor: boolean;
  /** Runs the BullMQ peer (with Redis AOF) when Redis answers at `redisUrl`. */
  readonly runBullmq: boolean;
  /** Rounds of framework, floors and BullMQ, interleaved (the machine's load changes; compare ratios within a round). */
  readonly rounds: number;
  /** Workflows per second of an extra open-loop framework run (latency at a fixed load), or undefined. */
  readonly rate: number | undefined;
  /** The open-loop run's rate as a fraction of the rounds' median peak (e.g. 0.5), or undefined. */
  readonly rateOfPeak: number | undefined;
  /** Workflows of the open-loop run. */
  readonly rateWorkflows: number;
  /** A name for the code or setup measured (e.g. `before`), copied into the result. */
  readonly label: string | null;
  /** Writes a CPU profile of the framework worker into bench/results/profiles/. */
  readonly cpuProfile: boolean;
  /** Counts the framework worker's queries by statement (diagnostics; wraps pg's `Client.query`). */
  readonly countQueries: boolean;
  /** Copies the workers' output to stderr. */
  readonly verbose: boolean;
  readonly rabbitmqUrl: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
}

export const BENCH_USAGE = `npm run bench -- [--workflows 2000] [--prefetch N] [--commit-batch-size N] [--commit-concurrency N]
  [--queue-type quorum|classic] [--event-kinds none|Completed,Failed,...] [--pool-size 10] [--start-chunk 200] [--preload 0] [--workflow-ids random|ordered] [--poll-ms 200] [--floor-batch 256] [--no-floor] [--no-batched-floor]
  [--no-bullmq] [--rounds 1] [--rate N | --rate-of-peak 0.5] [--rate-workflows 2000] [--label name]
  [--cpu-prof] [--count-queries] [--verbose]        (RABBITMQ_URL, DATABASE_URL and REDIS_URL override the local servers)`;

/**
 * Reads the command line (and `RABBITMQ_URL` / `DATABASE_URL`).
 * @throws Error naming the invalid option, with the usage.
 */
export function parseBenchOptions(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      workflows: { type: 'string', default: '2000' },
      prefetch: { type: 'string' },
      'commit-batch-size': { type: 'string' },
      'commit-concurrency': { type: 'string' },
      'queue-type': { type: 'string' },
      'event-kinds': { type: 'string' },
      'pool-size': { type: 'string', default: String(FRAMEWORK_DEFAULT_POOL_SIZE) },
      'start-chunk': { type: 'string', default: '200' },
      preload: { type: 'string', default: '0' },
      'workflow-ids': { type: 'string', default: 'random' },
      'poll-ms': { type: 'string', default: '200' },
      'floor-batch': { type: 'string', default: '256' },
      'no-floor': { type: 'boolean', default: false },
      'no-batched-floor': { type: 'boolean', default: false },
      'no-bullmq': { type: 'boolean', default: false },
      rounds: { type: 'string', default: '1' },
      rate: { type: 'string' },
      'rate-of-peak': { type: 'string' },
      'rate-workflows': { type: 'string', default: '2000' },
      label: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'count-queries': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) throw new BenchUsageRequest();
  if (values.rate !== undefined && values['rate-of-peak'] !== undefined)
    throw new Error(`--rate and --rate-of-peak exclude each other\n${BENCH_USAGE}`);
  return {
    workflows: positiveInteger('--workflows', values.workflows),
    prefetch: optionalPositiveInteger('--prefetch', values.prefetch),
    commitBatchSize: optionalPositiveInteger('--commit-batch-size', values['commit-batch-size']),
    commitConcurrency: optionalPositiveInteger('--commit-concurrency', values['commit-concurrency']),
    queueType: queueType(values['queue-type']),
    poolSize: positiveInteger('--pool-size', values['pool-size']),
    eventKinds: eventKinds(values['event-kinds']),
    startChunkSize: positiveInteger('--start-chunk', values['start-chunk']),
    preload: nonNegativeInteger('--preload', values.preload),
    workflowIds: workflowIdKind(values['workflow-ids']),
    pollIntervalMs: positiveInteger('--poll-ms', values['poll-ms']),
    floorBatchSize: positiveInteger('--floor-batch', values['floor-batch']),
    runFloor: !values['no-floor'],
    runBatchedFloor: !values['no-floor'] && !values['no-batched-floor'],
    runBullmq: !values['no-bullmq'],
    rounds: positiveInteger('--rounds', values.rounds),
    rate: optionalPositiveNumber('--rate', values.rate),
    rateOfPeak: optionalPositiveNumber('--rate-of-peak', values['rate-of-peak']),
    rateWorkflows: positiveInteger('--rate-workflows', values['rate-workflows']),
    label: values.label ?? null,
    cpuProfile: values['cpu-prof'],
    countQueries: values['count-queries'],
    verbose: values.verbose,
    rabbitmqUrl: env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
}

/** Thrown for `--help`: print the usage and stop. */
export class BenchUsageRequest extends Error {
  constructor() {
    super(BENCH_USAGE);
    this.name = 'BenchUsageRequest';
  }
}

function workflowIdKind(value: string): WorkflowIdKind {
  if (value === 'random' || value === 'ordered') return value;
  throw new Error(`--workflow-ids must be random or ordered, got '${value}'\n${BENCH_USAGE}`);
}

function queueType(value: string | undefined): 'quorum' | 'classic' | undefined {
  if (value === undefined || value === 'quorum' || value === 'classic') return value;
  throw new Error(`--queue-type must be quorum or classic, got '${value}'\n${BENCH_USAGE}`);
}

/** `none` as no kind; else a comma-separated list (the framework checks the names at start-up). */
function eventKinds(value: string | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return [];
  const kinds = value.split(',').map((kind) => kind.trim());
  if (kinds.some((kind) => kind.length === 0))
    throw new Error(`--event-kinds must be none or kinds separated by commas, got '${value}'\n${BENCH_USAGE}`);
  return kinds;
}

function optionalPositiveInteger(option: string, value: string | undefined): number | undefined {
  return value === undefined ? undefined : positiveInteger(option, value);
}

function optionalPositiveNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${option} must be a positive number, got '${value}'\n${BENCH_USAGE}`);
  return parsed;
}

function positiveInteger(option: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${option} must be a positive integer, got '${value}'\n${BENCH_USAGE}`);
  return parsed;
}

function nonNegativeInteger(option: string, value: string | undefined): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${option} must be a non-negative integer, got '${value}'\n${BENCH_USAGE}`);
  return parsed;
}
