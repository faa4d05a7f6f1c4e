// `node bench/cpu-profile-summary.mjs <file.cpuprofile> [top] [names]`: sums a V8 CPU profile's self time by
// function and by file (node_modules folded to their package), and, with `names` (comma separated function
// names), each one's inclusive time. The profile samples wall-clock time: a native frame such as `writev`
// also holds the time the process was descheduled in that system call, so compare with the bench's
// `cpuMsPerStep.worker` before concluding that a frame costs CPU.
import fs from 'node:fs';

const [file, topArgument = '40', namesArgument = ''] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/cpu-profile-summary.mjs <file.cpuprofile> [top] [name,name,...]');
  process.exit(2);
}
const top = Number(topArgument);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfTime = new Map();
profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfTime.values()].reduce((a, b) => a + b, 0);

const shortUrl = (url) =>
  url
    .replace(/^file:\/\//, '')
    .replace(/.*node_modules\//, 'nm/')
    .replace(/.*\/dist\/bench\//, '');
const fileOf = (url) => {
  if (!url) return '(native)';
  const short = shortUrl(url);
  if (!short.startsWith('nm/')) return short;
  const parts = short.split('/');
  return parts.slice(0, parts[1].startsWith('@') ? 3 : 2).join('/');
};
const byFunction = new Map();
const byFile = new Map();
for (const [id, time] of selfTime) {
  const { functionName, url, lineNumber } = nodes.get(id).callFrame;
  const name = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  const fileKey = url ? fileOf(url) : functionName;
  byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + time);
}
const print = (title, table, rows = top) => {
  console.log(`== ${title} (profile ${(total / 1000).toFixed(0)} ms)`);
  for (const [key, time] of [...table].sort((a, b) => b[1] - a[1]).slice(0, rows))
    console.log(`${(time / 1000).toFixed(1).padStart(9)} ms ${((100 * time) / total).toFixed(1).padStart(5)} %  ${key}`);
};
print('self time by function', byFunction);
print('self time by file', byFile);

if (namesArgument) {
  const names = new Set(namesArgument.split(','));
  const inclusive = new Map();
  const subtree = (id) => (selfTime.get(id) ?? 0) + (nodes.get(id).children ?? []).reduce((sum, child) => sum + subtree(child), 0);
  // Counted at the outermost frame of each name, so that recursion is not counted twice.
  const walk = (id, inside) => {
    const name = nodes.get(id).callFrame.functionName;
    let within = inside;
    if (names.has(name) && !inside.has(name)) {
      inclusive.set(name, (inclusive.get(name) ?? 0) + subtree(id));
      within = new Set(inside).add(name);
    }
    for (const child of nodes.get(id).children ?? []) walk(child, within);
  };
  walk(profile.nodes[0].id, new Set());
  print('inclusive time', inclusive, Infinity);
}
