import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureDashboardBuilt } from './ensure-dashboard-built';

/**
 * Compiles the apps and test fixtures to dist/ once, for the tests that run them as separate processes, and
 * builds the dashboard's front end when its sources changed.
 * Type errors are `npm run typecheck`'s business; tsc emits regardless.
 */
export default function globalSetup(): void {
  const root = join(__dirname, '..', '..', '..', '..');
  spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
    cwd: root,
    stdio: 'ignore',
  });
  ensureDashboardBuilt();
}
