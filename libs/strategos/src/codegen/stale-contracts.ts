import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { GeneratedFile } from './generated-file';
import { unifiedDiff } from './unified-diff';

/** A generated file whose committed copy is missing or differs from a fresh generation. */
export interface StaleFile {
  readonly file: GeneratedFile;
  readonly reason: 'missing' | 'changed';
  /** A unified diff from the file on disk to the generated one; empty for a missing file. */
  readonly diff: string;
}

/** Reads a file, or undefined when it does not exist. */
export type FileReader = (path: string) => string | undefined;

const readIfExists: FileReader = (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

/**
 * The generated files that are not on disk byte for byte: what `strategos generate --check` reports.
 * Paths in diffs are relative to `cwd`.
 */
export function findStaleFiles(files: readonly GeneratedFile[], cwd: string, read: FileReader = readIfExists): StaleFile[] {
  return files.flatMap((file): StaleFile[] => {
    const onDisk = read(file.path);
    if (onDisk === undefined) return [{ file, reason: 'missing', diff: '' }];
    if (onDisk === file.content) return [];
    const label = relative(cwd, file.path);
    return [
      {
        file,
        reason: 'changed',
        diff: unifiedDiff(onDisk, file.content, { oldLabel: `${label} (committed)`, newLabel: `${label} (generated)` }),
      },
    ];
  });
}
