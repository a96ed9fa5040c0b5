import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test/.build/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // No import cycles in src/. import-x's no-cycle follows value imports only: an `import type`
    // is erased at build time and cannot create a load-order cycle, so it is not counted.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [importX.createNodeResolver()],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // Only the terminal adapter and the composition root talk to the console; everything else
    // goes through the injected UI or the logger.
    files: ['src/**/*.ts'],
    ignores: ['src/cli.ts', 'src/adapters/terminal/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // Only adapters may start processes or talk to Docker.
    files: ['src/core/**/*.ts', 'src/commands/**/*.ts', 'src/usecases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'execa', message: 'Only src/adapters may run processes.' },
            { name: 'dockerode', message: 'Only src/adapters may talk to Docker.' },
            { name: 'node:child_process', message: 'Only src/adapters may run processes.' },
          ],
        },
      ],
    },
  },
  {
    // Use cases reach the outside through the world (src/world.ts, built in src/main.ts): adapters
    // only as types, and never through a dynamic import() either (it would slip past the rule above).
    files: ['src/usecases/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression[source.value=/(^|\\/)adapters\\//]',
          message: 'Use cases get adapters from the world (src/world.ts), not through import().',
        },
      ],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/adapters/**'],
              allowTypeImports: true,
              message: 'Use cases get adapters from the world (src/world.ts); import types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Adapters know nothing of the CLI's context; they take what they need as parameters.
    files: ['src/adapters/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/context.ts', '**/world.ts'],
              message: 'Adapters take plain parameters, not the context or the world.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:fs', 'node:fs/*', 'node:net', 'node:http', 'node:https'],
              message: 'core is pure: no I/O.',
            },
            {
              group: ['execa', 'dockerode', 'node:child_process'],
              message: 'core is pure: no I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
