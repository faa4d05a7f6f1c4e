import type { Pool } from 'pg';
import { PostgresBackendCpu } from './postgres-backends';
import { commandCpuMs, processCpuMs } from './proc-stats';

/** CPU time used so far by the processes a run involves, in ms. */
interface CpuSnapshot {
  readonly worker: number | null;
  /** This process: the starter and the completion poll. */
  readonly starter: number;
  /** Every PostgreSQL process on the machine (other users of the server count too). */
  readonly postgresAll: number;
  /** The RabbitMQ node (`beam.smp`; other users of the broker count too). */
  readonly rabbitmq: number;
  /** The Redis server (`redis-server`; only the BullMQ peer uses it). */
  readonly redis: number;
}

/**
 * CPU time (ms) by process over a run, or per workflow step. `total` is what the goal counts:
 * the worker, the run's own PostgreSQL backends and the RabbitMQ node (for BullMQ: the worker and Redis).
 */
export interface CpuPerStep {
  readonly worker: number | null;
  readonly starter: number | null;
  /** The backends of the run's own connections (worker and starter), by application_name. */
  readonly postgresBackends: number | null;
  /** Every postgres process, including the WAL writer, the checkpointer and other users of the server. */
  readonly postgresAll: number | null;
  readonly rabbitmq: number | null;
  readonly redis: number | null;
  readonly total: number | null;
}

/** Which processes a {@link CpuMeter} attributes to the run. */
export interface CpuMeterTarget {
  readonly workerPid: number;
  /** The pool to read pg_stat_activity with, and the application names of the run's connections (none: no PostgreSQL). */
  readonly pool: Pool;
  readonly postgresApplicationNames: readonly string[];
  /** The broker the run uses. */
  readonly broker: 'rabbitmq' | 'redis';
}

/** Measures the CPU of a run's processes from {@link start} to {@link stop}. */
export class CpuMeter {
  private before: CpuSnapshot | undefined;
  private readonly backends: PostgresBackendCpu | null;

  constructor(private readonly target: CpuMeterTarget) {
    this.backends =
      target.postgresApplicationNames.length > 0 ? new PostgresBackendCpu(target.pool, target.postgresApplicationNames) : null;
  }

  async start(): Promise<void> {
    await this.backends?.start();
    this.before = await cpuSnapshot(this.target.workerPid);
  }

  /** Ends the measurement; {@link CpuSpent.perStep} divides it by the steps the run executed. */
  async stop(): Promise<CpuSpent> {
    const after = await cpuSnapshot(this.target.workerPid);
    const backendsMs = this.backends ? await this.backends.stop() : null;
    const before = this.before;
    if (!before) throw new Error('CpuMeter.stop before start');
    const spent = (key: keyof CpuSnapshot): number | null => {
      const from = before[key];
      const to = after[key];
      return from === null || to === null ? null : to - from;
    };
    const worker = spent('worker');
    const broker = this.target.broker === 'rabbitmq' ? spent('rabbitmq') : spent('redis');
    const total = worker === null || broker === null ? null : worker + broker + (backendsMs ?? 0);
    const ms = {
      worker,
      starter: spent('starter'),
      postgresBackends: backendsMs,
      postgresAll: this.backends ? spent('postgresAll') : null,
      rabbitmq: this.target.broker === 'rabbitmq' ? broker : null,
      redis: this.target.broker === 'redis' ? broker : null,
      total,
    };
    return new CpuSpent(ms);
  }
}

/** The CPU (ms) each process spent over a run. */
export class CpuSpent {
  constructor(readonly ms: CpuPerStep) {}

  /** What each process spent per step (ms, to 3 decimals). */
  perStep(steps: number): CpuPerStep {
    const per = (ms: number | null): number | null => (ms === null || steps === 0 ? null : Math.round((ms / steps) * 1000) / 1000);
    const { worker, starter, postgresBackends, postgresAll, rabbitmq, redis, total } = this.ms;
    return {
      worker: per(worker),
      starter: per(starter),
      postgresBackends: per(postgresBackends),
      postgresAll: per(postgresAll),
      rabbitmq: per(rabbitmq),
      redis: per(redis),
      total: per(total),
    };
  }
}

async function cpuSnapshot(workerPid: number): Promise<CpuSnapshot> {
  const usage = process.cpuUsage();
  const [worker, postgresAll, rabbitmq, redis] = await Promise.all([
    processCpuMs(workerPid),
    commandCpuMs('postgres'),
    commandCpuMs('beam.smp'),
    commandCpuMs('redis-server'),
  ]);
  return { worker, starter: (usage.user + usage.system) / 1000, postgresAll, rabbitmq, redis };
}
