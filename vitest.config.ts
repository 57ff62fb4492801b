import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The web app's component tests render JSX without importing React (the app's own setting).
  esbuild: { jsx: 'automatic' },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.tsx'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: files run in parallel, but not so many that PostgreSQL and ffmpeg starve.
    maxWorkers: 2,
  },
});
