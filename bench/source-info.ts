import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { REPO_ROOT } from './bench-paths';

const run = promisify(execFile);

/** Which code was measured: the commit, and whether the libraries had uncommitted changes on top of it. */
export interface SourceInfo {
  readonly commit: string | null;
  readonly uncommittedLibraryChanges: boolean | null;
}

/** Reads (never changes) the git state of the libraries under test. */
export async function sourceInfo(): Promise<SourceInfo> {
  try {
    const commit = (await run('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT })).stdout.trim();
    const status = (await run('git', ['status', '--porcelain', '--', 'libs'], { cwd: REPO_ROOT })).stdout.trim();
    return { commit, uncommittedLibraryChanges: status.length > 0 };
  } catch {
    return { commit: null, uncommittedLibraryChanges: null };
  }
}
