import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Content types of the files the front-end build produces. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/** A built asset's name: no folder, no `..`. */
export const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/**
 * The folder of the built front end: `dashboard-ui` beside the compiled library (the package), or, from
 * the sources (tests, ts-node), the repository's build output `dist/libs/strategos/dashboard-ui`.
 */
export function findAssetsDir(start: string = __dirname): string | undefined {
  for (let dir = start, parent = dirname(dir); ; dir = parent, parent = dirname(dir)) {
    for (const candidate of [join(dir, 'dashboard-ui'), join(dir, 'dist', 'libs', 'strategos', 'dashboard-ui')]) {
      // The build's manifest tells the built folder from the front end's sources (which have an index.html too).
      if (existsSync(join(candidate, '.vite', 'manifest.json'))) return candidate;
    }
    if (parent === dir) return undefined;
  }
}

/** The index page, read once. */
export function readIndexHtml(assetsDir: string): string {
  return readFileSync(join(assetsDir, 'index.html'), 'utf8');
}
