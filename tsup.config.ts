import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: ESM + CommonJS with declarations. Runs in browsers and Node.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
  },
  {
    // The Node entry (`mjvote/node`): the library plus the ballot box, record files and demo.
    entry: { node: 'src/node.ts', 'verify-worker': 'src/verify/worker.ts' },
    format: ['esm', 'cjs'],
    shims: true, // import.meta.url in the CommonJS build (the verifier finds its worker file with it)
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    // A single self-contained ESM bundle for browsers (used by the browser test).
    entry: { 'mjvote.browser': 'src/index.ts' },
    format: ['esm'],
    outDir: 'dist/browser',
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    minify: false,
    sourcemap: true,
  },
  {
    // The command line (Node only).
    entry: { 'cli/main': 'src/cli/main.ts', 'cli/verify-worker': 'src/verify/worker.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
