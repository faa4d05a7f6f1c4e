import { join } from 'node:path';
import type { GeneratedFile } from './generated-file';
import { findStaleFiles } from './stale-contracts';

const file = (name: string, content: string): GeneratedFile => ({
  path: join('/repo/src', name),
  content,
  workflow: 'process-order',
  kind: 'contracts',
});

describe('findStaleFiles', () => {
  const disk = new Map([
    ['/repo/src/same.ts', 'a\nb\n'],
    ['/repo/src/changed.ts', 'a\nold\n'],
  ]);
  const stale = findStaleFiles([file('same.ts', 'a\nb\n'), file('changed.ts', 'a\nnew\n'), file('missing.ts', 'x\n')], '/repo', (path) =>
    disk.get(path),
  );

  it('reports changed and missing files, not identical ones', () => {
    expect(stale.map((entry) => [entry.file.path, entry.reason])).toEqual([
      ['/repo/src/changed.ts', 'changed'],
      ['/repo/src/missing.ts', 'missing'],
    ]);
  });

  it('gives a changed file a diff from the committed file to the generated one, with paths relative to cwd', () => {
    expect(stale[0].diff.split('\n')).toEqual([
      '--- src/changed.ts (committed)',
      '+++ src/changed.ts (generated)',
      '@@ -1,3 +1,3 @@',
      ' a',
      '-old',
      '+new',
      ' ',
    ]);
  });
});
