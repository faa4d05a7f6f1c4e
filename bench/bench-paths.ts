import { join } from 'node:path';

/** The repository root: this file runs from dist/bench/bench/. */
export const REPO_ROOT = join(__dirname, '..', '..', '..');

/** Where bench/tsconfig.json emits the compiled benchmark (and the libraries it imports). */
export const BUILD_ROOT = join(REPO_ROOT, 'dist', 'bench');

/** The `-r` module that resolves `@strategos/nestjs` and `@app/orders` inside {@link BUILD_ROOT}. */
export const REGISTER_PATHS = join(REPO_ROOT, 'bench', 'register-paths.js');

/** Where each run's JSON is written (`<ISO timestamp>.json` and `latest.json`). */
export const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');

/** The compiled entry of a bench file, e.g. `compiledEntry('framework/bench-worker.main')`. */
export function compiledEntry(pathInBench: string): string {
  return join(BUILD_ROOT, 'bench', `${pathInBench}.js`);
}
