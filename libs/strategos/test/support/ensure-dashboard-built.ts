import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SOURCES = join(ROOT, 'libs', 'strategos', 'dashboard-ui');
const MANIFEST = join(ROOT, 'dist', 'libs', 'strategos', 'dashboard-ui', '.vite', 'manifest.json');

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * Builds the dashboard's front end (`npm run build:dashboard`, a few seconds) unless its build output is
 * newer than every source file: the dashboard tests serve the built page, as the package does.
 * @throws Error with vite's output when the build fails.
 */
export function ensureDashboardBuilt(): void {
  if (existsSync(MANIFEST) && statSync(MANIFEST).mtimeMs >= newestSource(SOURCES)) return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(SOURCES, 'vite.config.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`The dashboard front end did not build:\n${result.stdout}\n${result.stderr}`);
}
