import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests that need Postgres or Redis make a schema / queue prefix of their own, so files run in parallel.
    fileParallelism: true,
  },
});
