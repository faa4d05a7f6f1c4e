import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { satisfies } from 'semver';
import { runCommand } from './support/run-command';

/**
 * The Node versions the repository and the package say they support (issue 15 item 4) are the ones every installed
 * package accepts, so `npm ci` prints no EBADENGINE warning on any of them; `@nestjs/common` 12 wants
 * `file-type@22` (Node 22), pinned to the last Node 20 release by an npm override.
 */
const ROOT = join(__dirname, '..', '..', '..');
const OLDEST_SUPPORTED = ['20.19.0', '22.13.0', '24.0.0'];

interface LockedPackage {
  readonly version?: string;
  readonly engines?: { readonly node?: string } | readonly string[];
  readonly os?: readonly string[];
  readonly cpu?: readonly string[];
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
}

/** Whether npm installs this package here (platform-specific optional packages are skipped elsewhere). */
function installedHere(entry: LockedPackage): boolean {
  const allows = (list: readonly string[] | undefined, value: string) => {
    if (!list) return true;
    if (list.includes(`!${value}`)) return false;
    const allowed = list.filter((item) => !item.startsWith('!'));
    return allowed.length === 0 || allowed.includes(value);
  };
  return allows(entry.os, process.platform) && allows(entry.cpu, process.arch);
}

describe('supported Node versions', () => {
  const root = readJson<{ engines: { node: string } }>('package.json');
  const library = readJson<{ engines: { node: string } }>('libs/strategos/package.json');

  it('are the same for the repository and the package, and include the Node running the tests', () => {
    expect(library.engines.node).toBe(root.engines.node);
    expect(satisfies(process.version, root.engines.node)).toBe(true);
    for (const version of OLDEST_SUPPORTED) expect(satisfies(version, root.engines.node)).toBe(true);
    expect(satisfies('20.18.0', root.engines.node)).toBe(false);
  });

  it('are accepted by every package npm ci installs (no EBADENGINE)', () => {
    const lock = readJson<{ packages: Record<string, LockedPackage> }>('package-lock.json');
    const refused: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = Array.isArray(entry.engines) ? undefined : (entry.engines as { node?: string } | undefined)?.node;
      if (path === '' || !range || !installedHere(entry)) continue;
      for (const version of [...OLDEST_SUPPORTED, process.version]) {
        if (!satisfies(version, range, { includePrerelease: true }))
          refused.push(`${path}@${entry.version} wants node ${range}, not ${version}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it("keep Nest's FileTypeValidator working with the pinned file-type (real Node, ES modules)", async () => {
    const script = `
      import { FileTypeValidator } from '@nestjs/common';
      const png = Buffer.from('89504E470D0A1A0A0000000D4948445200000001000000010806000000', 'hex');
      const validator = new FileTypeValidator({ fileType: 'image/png' });
      const real = await validator.isValid({ mimetype: 'image/png', buffer: png, size: png.length });
      const disguised = await validator.isValid({ mimetype: 'image/png', buffer: Buffer.from('%PDF-1.4 not a picture'), size: 22 });
      console.log(JSON.stringify({ real, disguised }));`;
    const { stdout } = await runCommand(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual({ real: true, disguised: false });
  });
});
