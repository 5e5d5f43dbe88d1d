import { defineConfig } from 'tsup';

/** The package's entries: the browser-safe library, its Node additions, the command. */
const entry = { index: 'src/index.ts', node: 'src/node.ts', 'cli/main': 'src/cli/main.ts' };

export default defineConfig([
  {
    // ESM: every entry shares its modules through chunks (one copy of the code, so an error
    // thrown by mjvote/node is an instanceof the class imported from mjvote, and the
    // WebAssembly module is embedded once). index.js and its chunks import no node: module.
    entry,
    format: ['esm'],
    splitting: true,
    // @internal members (test-only options, speed paths between modules) stay out of the types.
    dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' }, compilerOptions: { stripInternal: true } },
    target: 'es2022',
    platform: 'node',
    treeshake: true,
  },
  {
    // CommonJS for require(), the same entries sharing chunks the same way (tsup's CJS splitting).
    entry: { index: entry.index, node: entry.node },
    format: ['cjs'],
    splitting: true,
    shims: true, // import.meta.url in CommonJS (the verifier finds its worker file with it)
    dts: { entry: { index: 'src/index.ts', node: 'src/node.ts' }, compilerOptions: { stripInternal: true } },
    target: 'es2022',
    platform: 'node',
  },
  {
    // The worker threads (the verifier's; the ballot box's checker), each one self-contained ES
    // module (dependencies included), so that a consumer who bundles mjvote can copy it anywhere
    // and pass its URL (VerifyOptions.workerUrl, CheckerPoolOptions.workerUrl). Built twice
    // (verify-worker.mjs, which mjvote itself starts, and verify-worker.cjs) so that
    // require('mjvote/verify-worker') resolves too.
    entry: { 'verify-worker': 'src/verify/worker.ts', 'checker-worker': 'src/server/checker-worker.ts' },
    format: ['esm', 'cjs'],
    outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
    noExternal: [/.*/],
    splitting: false, // each worker one file: no chunk shared between them
    dts: true,
    target: 'es2022',
    platform: 'node',
  },
  {
    // Self-contained ESM files for browsers (the browser tests load them; pages may too): the
    // library, and the verifier's Web Worker (webVerifyWorkers starts it). Each one file, with
    // no chunk shared between them (a page copies the two files, nothing else).
    entry: { 'mjvote.browser': 'src/index.ts', 'verify-worker': 'src/verify/browser-worker.ts' },
    format: ['esm'],
    splitting: false,
    outDir: 'dist/browser',
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    minify: false,
  },
  {
    // The pages (web/, issue 23): one ES module per page and per Web Worker, sharing mjvote's
    // code through chunks (the library is loaded once whichever pages a voter opens), and the
    // HTML, CSS and config.json of web/public copied beside them. dist/web is what `mjvote serve`
    // serves at / and what a platform copies to host the pages itself.
    entry: {
      booth: 'web/src/booth.ts',
      'booth-worker': 'web/src/booth-worker.ts',
      board: 'web/src/board.ts',
      results: 'web/src/results.ts',
      'verify-page': 'web/src/verify-page.ts',
      'check-opening': 'web/src/check-opening.ts',
      // The auditor's page's Web Worker (verify-page.ts starts it from ./verify-worker.js).
      'verify-worker': 'src/verify/browser-worker.ts',
    },
    format: ['esm'],
    outDir: 'dist/web',
    publicDir: 'web/public',
    splitting: true,
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    minify: true,
    treeshake: true,
  },
]);
