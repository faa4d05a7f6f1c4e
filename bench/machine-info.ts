import * as amqp from 'amqplib';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { Pool } from 'pg';

/** Where the numbers were taken. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryMb: number;
  readonly node: string;
  readonly platform: string;
  readonly postgres: string;
  readonly rabbitmq: string;
  readonly date: string;
  /** 1, 5 and 15 minute load averages when the run began: above the cpu count, other work shared the machine. */
  readonly loadAverageAtStart: readonly number[];
}

/** This machine, this Node, and the versions of the servers the run used. */
export async function machineInfo(pool: Pool, rabbitmqUrl: string): Promise<MachineInfo> {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    platform: `${platform()} ${release()}`,
    postgres: rows[0].server_version,
    rabbitmq: await rabbitmqVersion(rabbitmqUrl),
    date: new Date().toISOString(),
    loadAverageAtStart: roundedLoad(),
  };
}

async function rabbitmqVersion(url: string): Promise<string> {
  const connection = await amqp.connect(url);
  try {
    return String(connection.connection.serverProperties.version ?? 'unknown');
  } finally {
    await connection.close();
  }
}

/** The 1, 5 and 15 minute load averages, to two decimals. */
export function roundedLoad(): number[] {
  return loadavg().map((load) => Math.round(load * 100) / 100);
}
