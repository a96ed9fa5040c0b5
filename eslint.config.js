import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
