#!/usr/bin/env node
// `npm run -s strategos -- <command>`: the library's command line inside this repository (the published bin
// is `strategos-nestjs`). Compiles the library only when a source file is newer than the compiled CLI, so
// repeated calls start at once.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const LIBRARY = path.join(ROOT, 'libs', 'strategos');
const TSCONFIG = path.join(LIBRARY, 'tsconfig.lib.json');

function outDir() {
  const text = fs.readFileSync(TSCONFIG, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  return path.resolve(LIBRARY, JSON.parse(text).compilerOptions.outDir);
}

function newestSourceMs(directory) {
  let newest = 0;
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(file));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

function compiledMs(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

const main = path.join(outDir(), 'cli', 'main.js');
const stale = compiledMs(main) < Math.max(newestSourceMs(path.join(LIBRARY, 'src')), compiledMs(TSCONFIG));
if (stale || process.env.STRATEGOS_CLI_REBUILD === '1') {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', TSCONFIG, '--noCheck'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
  // tsc leaves an unchanged file's mtime alone only with incremental builds; touch the entry to be sure.
  const now = new Date();
  fs.utimesSync(main, now, now);
}
require(main);
