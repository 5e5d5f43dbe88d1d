import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 0, // never a time limit in a test (see README: "How we work")
    hookTimeout: 0,
    pool: 'forks',
    benchmark: {
      include: ['bench/**/*.bench.ts'],
    },
  },
});
