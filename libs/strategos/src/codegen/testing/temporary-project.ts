import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** The repository this library lives in (for its node_modules and sources). */
export const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..', '..');

/** A throw-away project in the OS temp directory that can load the library from source. */
export interface TemporaryProject {
  readonly root: string;
  /** Writes `content` to `path` (relative to the root), creating directories. */
  write(path: string, content: string): string;
  remove(): void;
}

/**
 * Creates a project in `os.tmpdir()` with the repository's compiler options (its tsconfig.json extends the
 * repository's, so `@strategos/nestjs` maps to the library's sources), node_modules and Prettier settings.
 */
export function createTemporaryProject(prefix = 'strategos-codegen-'): TemporaryProject {
  const root = mkdtempSync(join(tmpdir(), prefix));
  symlinkSync(join(REPOSITORY_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  // The repository's compiler options and path aliases (`@strategos/nestjs`, `@strategos/nestjs/*`), for this project's sources.
  const tsconfig = { extends: join(REPOSITORY_ROOT, 'tsconfig.json'), include: ['src/**/*.ts'] };
  const project: TemporaryProject = {
    root,
    write(path, content) {
      const file = join(root, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
      return file;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
  project.write('tsconfig.json', `${JSON.stringify(tsconfig, null, 2)}\n`);
  copyFileSync(join(REPOSITORY_ROOT, '.prettierrc'), join(root, '.prettierrc'));
  return project;
}
