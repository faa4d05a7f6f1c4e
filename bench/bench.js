// `npm run bench`: compiles the benchmark (bench/tsconfig.json -> dist/bench/) and runs it. Only the result JSON
// goes to stdout; the compiler's output and the progress go to stderr.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const build = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.json')], {
  cwd: root,
  stdio: ['ignore', process.stderr, process.stderr],
});
// Other work in progress may leave type errors in the tree; tsc still emits, so run what it emitted.
if (build.status !== 0) console.error('bench: tsc reported errors (above); running what it emitted');

require('./register-paths');
require(path.join(root, 'dist', 'bench', 'bench', 'main.js'));
