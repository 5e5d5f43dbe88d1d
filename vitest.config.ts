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
    testTimeout: 0, // never a time limit in a test (see README: "How we work")
    hookTimeout: 0,
    pool: 'forks',
    benchmark: {
      include: ['bench/**/*.bench.ts'],
    },
    projects: [
      // Every test, with ristretto255 on the backend it takes by default (WebAssembly here).
      { extends: true, test: { name: 'mjvote', include: ['test/**/*.test.ts'] } },
      // The protocol tests again with ristretto255 on its noble backend (MJVOTE_BACKEND=noble):
      // the fallback where WebAssembly cannot run gives the same ballots, proofs and records.
      {
        extends: true,
        test: {
          name: 'noble-backend',
          include: ['test/{ballot,ceremony,decrypt,election,proofs,tally}/**/*.test.ts', 'test/{elgamal,credential,transcript}.test.ts'],
          env: { MJVOTE_BACKEND: 'noble' },
        },
      },
    ],
  },
});
