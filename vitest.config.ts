import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      { find: /^mjvote\/node$/, replacement: fileURLToPath(new URL('./src/node.ts', import.meta.url)) },
      { find: /^mjvote$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
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
