// Copies the library's package.json and README into dist/libs/strategos so it can be published as is.
const fs = require('node:fs');
const path = require('node:path');
const source = path.join(__dirname, '..', 'libs', 'strategos');
const target = path.join(__dirname, '..', 'dist', 'libs', 'strategos');
for (const file of ['package.json', 'README.md']) {
  if (fs.existsSync(path.join(source, file))) fs.copyFileSync(path.join(source, file), path.join(target, file));
}
