import { commandCpuMs, processCpuMs } from './proc-stats';

/** CPU time used so far by the processes a run involves, in ms. */
export interface CpuSnapshot {
  readonly worker: number | null;
  /** This process: the starter and the completion poll. */
  readonly bench: number;
  /** Every PostgreSQL process on the machine (other users of the server count too). */
  readonly postgres: number;
  /** The RabbitMQ node (`beam.smp`; other users of the broker count too). */
  readonly rabbitmq: number;
}

/** CPU time per workflow step, by process, over a run. */
export type CpuPerStep = { readonly [K in keyof CpuSnapshot]: number | null };

export async function cpuSnapshot(workerPid: number): Promise<CpuSnapshot> {
  const usage = process.cpuUsage();
  const [worker, postgres, rabbitmq] = await Promise.all([processCpuMs(workerPid), commandCpuMs('postgres'), commandCpuMs('beam.smp')]);
  return { worker, bench: (usage.user + usage.system) / 1000, postgres, rabbitmq };
}

/** What each process spent per step between two snapshots (ms, to 3 decimals). */
export function cpuPerStep(before: CpuSnapshot, after: CpuSnapshot, steps: number): CpuPerStep {
  const perStep = (from: number | null, to: number | null): number | null =>
    from === null || to === null ? null : Math.round(((to - from) / steps) * 1000) / 1000;
  return {
    worker: perStep(before.worker, after.worker),
    bench: perStep(before.bench, after.bench),
    postgres: perStep(before.postgres, after.postgres),
    rabbitmq: perStep(before.rabbitmq, after.rabbitmq),
  };
}
