/** The settings a framework worker runs with, as it reports them in its ready line. */
export interface WorkerSettings {
  readonly prefetch: number;
  readonly commitBatchSize: number;
  readonly commitConcurrency: number;
  readonly queueType: 'quorum' | 'classic';
  readonly poolSize: number;
}

/** The line a worker prints once it consumes: the marker, then its settings as JSON. */
export const WORKER_READY_MARKER = 'bench-worker-ready';

/** The line a worker run with `BENCH_COUNT_QUERIES=1` prints at SIGTERM: the marker, then the counts as JSON. */
export const QUERY_COUNTS_MARKER = 'bench-worker-queries';
