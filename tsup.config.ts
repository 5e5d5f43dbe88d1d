import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // The library: ESM + CommonJS with declarations. Runs in browsers and Node.
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    treeshake: true,
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
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
