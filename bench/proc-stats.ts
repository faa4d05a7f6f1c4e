import { readFile, readdir } from 'node:fs/promises';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  readonly command: string;
  /** User + system CPU of the process itself. */
  readonly ownMs: number;
  /** User + system CPU of its children that exited (a postmaster's finished backends). */
  readonly childrenMs: number;
}

/** The peak resident set size of a live process in MB (`VmHWM`), or null where /proc cannot tell. */
export async function peakRssMb(pid: number): Promise<number | null> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null;
}

/** The CPU time of a live process in ms, or null. */
export async function processCpuMs(pid: number): Promise<number | null> {
  return (await procStat(String(pid)))?.ownMs ?? null;
}

/**
 * The CPU time in ms of every process whose command is `command` (e.g. `postgres`, `beam.smp`), including
 * children that exited, so that PostgreSQL backends that came and went are counted by their postmaster.
 */
export async function commandCpuMs(command: string): Promise<number> {
  const pids = (await readdir('/proc').catch(() => [])).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map(procStat));
  return stats.reduce((sum, stat) => (stat?.command === command ? sum + stat.ownMs + stat.childrenMs : sum), 0);
}

async function procStat(pid: string): Promise<ProcStat | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return null;
  const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  // The fields after the command: state is field 3; utime, stime, cutime, cstime are fields 14 to 17.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const ms = (ticks: number): number => (ticks * 1000) / TICKS_PER_SECOND;
  return { command, ownMs: ms(fields[11] + fields[12]), childrenMs: ms(fields[13] + fields[14]) };
}
