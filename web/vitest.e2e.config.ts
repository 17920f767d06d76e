import { defineConfig } from 'vitest/config';

// The browser suite: Node environment, one file at a time, long deadlines (a real server restarts).
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
