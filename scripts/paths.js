// Resolves the monorepo's path aliases for the compiled apps in dist/ (node -r ./scripts/paths.js dist/...).
const path = require('node:path');
require('tsconfig-paths').register({
  baseUrl: path.join(__dirname, '..', 'dist'),
  paths: { '@strategos/nestjs': ['libs/strategos/src'], '@app/orders': ['libs/orders/src'] },
});
