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
      // Every test, on the WebAssembly build the engine takes by default (Node 20: `simd`).
      { extends: true, test: { name: 'mjvote', include: ['test/**/*.test.ts'] } },
      // The group's differential tests against noble and whole elections across backends again,
      // on the `relaxed-simd` build (fused multiply-add; fe2.test.ts runs both builds itself).
      {
        extends: true,
        test: {
          name: 'wasm-relaxed-simd',
          include: ['test/wasm/{ristretto,scalarmult,election,group}.test.ts'],
          setupFiles: ['test/wasm/relaxed-setup.ts'],
          env: { MJVOTE_WASM_SIMD: 'relaxed-simd' },
          benchmark: { include: [] },
        },
      },
    ],
  },
});
