import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { CodegenError } from './codegen.error';

/** The Prettier command line of the project `filePath` belongs to, or undefined when it has none. */
function prettierBin(filePath: string): string | undefined {
  let manifest: string;
  try {
    manifest = createRequire(filePath).resolve('prettier/package.json');
  } catch {
    return undefined;
  }
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
  const relative = typeof bin === 'string' ? bin : bin?.prettier;
  return relative ? join(dirname(manifest), relative) : undefined;
}

/**
 * Formats a generated file with the project's own Prettier and settings (`.prettierrc`, `.prettierignore`)
 * as if it were at `filePath`, so that the project's format script leaves it alone. Without Prettier the
 * text is returned as is: the emitters already lay it out as Prettier does with its default-like settings.
 * Prettier runs as a child process: its API loads plugins with dynamic `import()`, which not every host allows.
 * @throws CodegenError `FORMAT_FAILED` when Prettier rejects the text.
 */
export function formatWithPrettier(text: string, filePath: string): string {
  const bin = prettierBin(filePath);
  if (!bin) return text;
  const result = spawnSync(process.execPath, [bin, '--stdin-filepath', filePath], {
    input: text,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new CodegenError(
      'FORMAT_FAILED',
      `Prettier could not format the generated ${filePath}: ${(result.stderr || String(result.error)).trim()}`,
      filePath,
    );
  }
  return result.stdout;
}
