import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULTS_DIR } from './bench-paths';

/** Writes `report` to bench/results/<ISO timestamp>.json and bench/results/latest.json; returns the first path. */
export async function writeResults(report: object, date: Date = new Date()): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // Colons are not portable in file names: 2025-01-02T03-04-05.678Z.json
  const path = join(RESULTS_DIR, `${date.toISOString().replace(/:/g, '-')}.json`);
  await writeFile(path, json);
  await writeFile(join(RESULTS_DIR, 'latest.json'), json);
  return path;
}
