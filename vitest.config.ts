import { defineConfig } from 'vitest/config';

/** Glass-to-glass figures only mean something on an otherwise idle machine: these files run alone, after the rest. */
const MEASURED_ALONE = ['test/web/low-latency.test.ts'];

export default defineConfig({
  // The web app's component tests render JSX without importing React (the app's own setting).
  esbuild: { jsx: 'automatic' },
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: files run in parallel, but not so many that PostgreSQL and ffmpeg starve.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'suite', include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.tsx'], exclude: MEASURED_ALONE, sequence: { groupOrder: 0 } },
      },
      { extends: true, test: { name: 'measured-alone', include: MEASURED_ALONE, sequence: { groupOrder: 1 } } },
    ],
  },
});
