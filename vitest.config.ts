import { defineConfig } from 'vitest/config';

// unit: pure and temp-folder tests, run in parallel.
// integration: a real Docker Engine; e2e: the built CLI against the simulator (and tmux).
// Engine-disturbing tests (dockerd restarts) live in test/serial and run alone, one file at a time.
export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'serial',
          include: ['test/serial/**/*.test.ts'],
          // A later group: starts only after every other project has finished, so a dockerd
          // restart never pulls the engine from under a running test.
          sequence: { groupOrder: 1 },
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});
