import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests that need Postgres or Redis make a schema / queue prefix of their own, so files run in parallel.
    fileParallelism: true,
    // Most of a file's time is spent waiting on Postgres, Redis, child processes and emulators, not
    // on this process's CPU: three files at a time on CI's two cores (vitest's default is cores - 1,
    // one file at a time there). LINLI_TEST_WORKERS overrides it.
    maxWorkers: Number(process.env.LINLI_TEST_WORKERS ?? 3),
  },
});
