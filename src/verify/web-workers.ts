/**
 * The verifier's threads in a browser: Web Workers running `dist/browser/verify-worker.js` (a
 * self-contained module script built from `browser-worker.ts`). Browser-safe.
 * @module
 */
import type { VerifyWorkerFactory, VerifyWorker } from './chunk-worker.js';

/**
 * Starts each verifier thread as a module Web Worker from `url` (where the page serves
 * mjvote's `dist/browser/verify-worker.js`; a page's Content-Security-Policy must allow it,
 * `worker-src 'self'`, and WebAssembly in it, `'wasm-unsafe-eval'`).
 * @throws Error when Web Workers are not available here (in Node, use `nodeVerifyWorkers`).
 */
export function webVerifyWorkers(url: URL | string): VerifyWorkerFactory {
  const Ctor = (globalThis as { Worker?: typeof Worker }).Worker;
  if (Ctor === undefined) throw new Error('Web Workers are not available here (in Node, use nodeVerifyWorkers from mjvote/node)');
  const href = String(url);
  return (init): VerifyWorker => {
    const w = new Ctor(url, { type: 'module', name: 'mjvote verifier' });
    w.postMessage({ init });
    return {
      post: (request) => w.postMessage(request),
      listen(onMessage, onError) {
        w.addEventListener('message', (e: MessageEvent) => onMessage(e.data));
        w.addEventListener('error', (e: ErrorEvent) => {
          e.preventDefault();
          onError(new Error(`verifier worker ${href}: ${e.message || 'could not be loaded or failed'}`));
        });
        w.addEventListener('messageerror', () => onError(new Error(`verifier worker ${href}: a message could not be read`)));
      },
      terminate: () => {
        w.terminate();
        return Promise.resolve();
      },
    };
  };
}
