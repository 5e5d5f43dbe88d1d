/**
 * A verifier Web Worker (browsers; built self-contained into `dist/browser/verify-worker.js`):
 * the same work as the Node worker thread (`worker.ts`). Its first message is
 * `{ init: WorkerInit }`, answered with `{ ready: backend }` (the ristretto255 backend the
 * worker runs on: `wasm` wherever WebAssembly runs); every later message is a chunk, answered
 * with {@link chunkChecker}'s answer. Start it with `webVerifyWorkers(url)` (a module worker).
 * @module
 */
import { chunkChecker, type ChunkRequest, type WorkerInit } from './chunk-worker.js';
import { ristretto255Backend } from '../group/ristretto255.js';

/** The worker's global scope, as much of it as is used here. */
const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
};

let check: ((m: ChunkRequest) => unknown) | null = null;
scope.addEventListener('message', (e) => {
  if (check === null) {
    check = chunkChecker((e.data as { init: WorkerInit }).init);
    let backend: string;
    try {
      backend = ristretto255Backend();
    } catch (err) {
      backend = `none (${err instanceof Error ? err.message : String(err)})`;
    }
    scope.postMessage({ ready: backend });
    return;
  }
  scope.postMessage(check(e.data as ChunkRequest));
});
