/**
 * Starting one of mjvote's worker threads (the verifier's, the ballot box's checker) wherever
 * mjvote runs from (Node only).
 *
 * Where the worker code is: the `workerUrl` option when given (a consumer that bundles mjvote
 * copies the self-contained worker file and points at it); else the built, self-contained worker
 * in the package's `dist/`, beside this module's chunk; or, when running from the TypeScript
 * sources (the tests, `tsx`), the worker's `.ts` source, started through tsx's loader.
 * @module
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';

/** A worker thread's code, as {@link spawnWorker} finds it. */
export interface WorkerScript {
  /** The worker's TypeScript source (`new URL('./worker.ts', import.meta.url)` in its caller), for runs from the sources. */
  readonly source: URL;
  /** File name of the built, self-contained worker in the package's `dist/` (e.g. `verify-worker.mjs`). */
  readonly built: string;
  /** What the worker is, in errors (e.g. `verifier worker`). */
  readonly name: string;
  /**
   * The end of the error when the built worker is not beside this module (mjvote bundled into
   * another file): what to copy and which option to pass, or how to do without workers.
   */
  readonly bundledHint: string;
}

/**
 * Starts `script` as a worker thread with `workerData`: from `workerUrl` when given (a path or
 * a URL), else as the module notes say.
 * @throws Error naming the missing file (and, for the built worker, `script.bundledHint`).
 */
export function spawnWorker(script: WorkerScript, workerData: unknown, workerUrl?: URL | string): Worker {
  if (workerUrl !== undefined) {
    const url =
      typeof workerUrl !== 'string'
        ? workerUrl
        : /^[a-z][a-z0-9+.-]*:\/\//i.test(workerUrl)
          ? new URL(workerUrl)
          : pathToFileURL(resolve(workerUrl));
    if (url.protocol === 'file:' && !existsSync(fileURLToPath(url)))
      throw new Error(`${script.name} not found at ${fileURLToPath(url)} (the workerUrl option)`);
    return new Worker(url, { workerData });
  }
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // tsx resolved from this module, not from the working directory (the worker's eval code
    // would resolve a bare specifier from there, and mjvote may be run from anywhere).
    const tsx = tsxEsmApi(here);
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script.source.href)}); })`;
    return new Worker(bootstrap, { eval: true, workerData });
  }
  const built = new URL(`./${script.built}`, here);
  if (!existsSync(fileURLToPath(built))) throw new Error(`${script.name} not found at ${fileURLToPath(built)}: ${script.bundledHint}`);
  return new Worker(built, { workerData });
}

/**
 * The URL of tsx's ESM API (`tsx/esm/api`, its `import` condition) as installed beside `from`:
 * a CommonJS `require.resolve` would give the CommonJS variant, and `import.meta.resolve` cannot
 * appear in the CommonJS build of this module.
 */
function tsxEsmApi(from: string): string {
  const pkgPath = createRequire(from).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, { import?: { default?: string } }> };
  const rel = pkg.exports?.['./esm/api']?.import?.default;
  return rel === undefined ? 'tsx/esm/api' : pathToFileURL(resolve(dirname(pkgPath), rel)).href;
}
