import tseslint from 'typescript-eslint';

const core = ['definition', 'step', 'state', 'engine'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core imports nothing from adapters or Nest wiring.
    files: core.map((dir) => `libs/strategos/src/${dir}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', { patterns: ['**/transport/**', '**/persistence/**', '**/nest/**', '**/runtime/**', 'amqplib', 'pg'] }],
    },
  },
  {
    // The API side never imports the worker side.
    files: ['libs/strategos/src/client/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/runtime/**'] }] },
  },
);
