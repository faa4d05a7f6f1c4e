/** Jest runs TypeScript through SWC (no type-check: `npm run typecheck` does that) and also transforms
 * Nest 12's ESM packages to CommonJS. */
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
}];

const common = {
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|strtok3|token-types|uint8array-extras|@borewit|load-esm|uid)/)'],
  moduleNameMapper: { '^@strategos/nestjs$': '<rootDir>/libs/strategos/src/index.ts', '^@strategos/nestjs/(.*)$': '<rootDir>/libs/strategos/src/$1', '^@app/orders$': '<rootDir>/libs/orders/src/index.ts' },
  testEnvironment: 'node',
  rootDir: __dirname,
  // Build output (dist/) holds a copy of the library's package.json: keep it out of the module map.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    // The benchmark's own tests (option parsing; the preload on the real PostgreSQL).
    { ...common, displayName: 'bench', testMatch: ['<rootDir>/bench/**/*.spec.ts'], setupFilesAfterEnv: ['<rootDir>/libs/strategos/test/support/e2e-setup.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/libs/**/test/**/*.e2e-spec.ts', '<rootDir>/apps/**/test/**/*.e2e-spec.ts'], setupFilesAfterEnv: ['<rootDir>/libs/strategos/test/support/e2e-setup.ts'], globalSetup: '<rootDir>/libs/strategos/test/support/global-setup.ts' },
  ],
};
