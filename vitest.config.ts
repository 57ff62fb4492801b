import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Two cores: files run in parallel, but not so many that PostgreSQL and ffmpeg starve.
    maxWorkers: 2,
  },
});
