// Resolves the monorepo's path aliases for the benchmark's compiled code in dist/bench/ (node -r ./bench/register-paths.js ...).
const path = require('node:path');
require('tsconfig-paths').register({
  baseUrl: path.join(__dirname, '..', 'dist', 'bench'),
  paths: { '@strategos/nestjs': ['libs/strategos/src'], '@app/orders': ['libs/orders/src'] },
});
