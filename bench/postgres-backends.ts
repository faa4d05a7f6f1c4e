import type { Pool } from 'pg';
import { processCpuMs } from './proc-stats';

/** How often the backends of a run are sampled (a backend that ends loses at most this much of its CPU). */
const SAMPLE_EVERY_MS = 250;

/**
 * The CPU of the PostgreSQL backends serving one run: the connections whose `application_name` is one of
 * `applicationNames`, read from /proc/<pid>/stat (PostgreSQL runs on this machine). Unlike the whole
 * server's CPU, this leaves out other users of the shared server; it also leaves out the WAL writer and
 * checkpointer, which every user shares. Backends that open after `start` count from zero.
 */
export class PostgresBackendCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly applicationNames: readonly string[],
  ) {}

  /** Takes the first sample, then samples until {@link stop}. */
  async start(): Promise<void> {
    await this.sample(true);
    this.timer = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample(false)).catch(() => undefined);
    }, SAMPLE_EVERY_MS);
  }

  /** Takes the last sample and returns the CPU the backends used since {@link start}, in ms. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sampling;
    await this.sample(false);
    let total = 0;
    for (const [pid, last] of this.last) total += last - (this.first.get(pid) ?? 0);
    return total;
  }

  private async sample(isFirst: boolean): Promise<void> {
    const { rows } = await this.pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = ANY($1::text[])', [
      [...this.applicationNames],
    ]);
    await Promise.all(
      rows.map(async ({ pid }) => {
        const ms = await processCpuMs(pid);
        if (ms === null) return;
        if (isFirst) this.first.set(pid, ms);
        this.last.set(pid, ms);
      }),
    );
  }
}
