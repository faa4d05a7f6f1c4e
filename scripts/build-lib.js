// `npm run build`: compiles the library alone into dist/strategos-nestjs (its own directory: the apps' build,
// tsconfig.build.json, writes under dist/libs and dist/apps) and adds package.json, README and LICENSE, so that
// `npm pack ./dist/strategos-nestjs` ships only what this build produced.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'libs', 'strategos');
const target = path.join(root, 'dist', 'strategos-nestjs');

fs.rmSync(target, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(source, 'tsconfig.lib.json')], {
  stdio: 'inherit',
});
fs.copyFileSync(path.join(source, 'package.json'), path.join(target, 'package.json'));
fs.copyFileSync(path.join(source, 'README.md'), path.join(target, 'README.md'));
fs.copyFileSync(path.join(root, 'LICENSE'), path.join(target, 'LICENSE'));
// The dashboard's front end, built by Vite into the repository's build output, ships beside the library.
execFileSync(
  process.execPath,
  [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(source, 'dashboard-ui', 'vite.config.mjs')],
  {
    stdio: 'inherit',
  },
);
fs.cpSync(path.join(root, 'dist', 'libs', 'strategos', 'dashboard-ui'), path.join(target, 'dashboard-ui'), { recursive: true });
