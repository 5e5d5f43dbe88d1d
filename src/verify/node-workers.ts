/**
 * The verifier's threads in Node: worker threads running `worker.ts`. Where the worker code
 * is: the `workerUrl` when given (a consumer that bundles mjvote copies `mjvote/verify-worker`
 * and points at it); else the built, self-contained `verify-worker.mjs` next to this module
 * (`dist/`), or `worker.ts` when running from the TypeScript sources (the tests, `tsx`; the
 * worker registers tsx's loader): see `spawn-worker.ts`.
 * Node-only.
 * @module
 */
import { spawnWorker, type WorkerScript } from './spawn-worker.js';
import type { VerifyWorker, VerifyWorkerFactory } from './chunk-worker.js';

/**
 * The verifier's worker code (the `workerUrl` option overrides it): beside this module in the
 * package (`dist/verify-worker.mjs`), or `worker.ts` when running from the TypeScript sources
 * (tests, tsx), started through tsx's loader.
 */
const VERIFY_WORKER: WorkerScript = {
  source: new URL('./worker.ts', import.meta.url),
  built: 'verify-worker.mjs',
  name: 'verifier worker',
  bundledHint:
    'when mjvote is bundled into another file, copy mjvote/verify-worker (dist/verify-worker.mjs, self-contained) next to it and pass its URL as the workerUrl option, or verify with workers: 1',
};

/**
 * Starts each verifier thread as a Node worker thread: from `workerUrl` (a path or a URL of
 * `mjvote/verify-worker`, for a consumer that bundles mjvote) when given, else the worker file
 * beside mjvote's own.
 * @throws Error (when a thread starts) naming the worker file that is not there.
 */
export function nodeVerifyWorkers(workerUrl?: URL | string): VerifyWorkerFactory {
  return (init): VerifyWorker => {
    const w = spawnWorker(VERIFY_WORKER, init, workerUrl);
    return {
      post: (request) => w.postMessage(request),
      listen(onMessage, onError) {
        w.on('message', onMessage);
        w.on('error', onError);
      },
      terminate: async () => void (await w.terminate()),
    };
  };
}
