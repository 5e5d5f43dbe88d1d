/**
 * A verifier worker thread (Node): checks chunks of ballot lines (check 4 and the counting rule)
 * for the main thread's pool. It receives the {@link WorkerInit} as its `workerData`, then
 * chunks, and answers each with {@link chunkChecker}'s answer (`chunk-worker.ts`).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { chunkChecker, type ChunkRequest, type WorkerInit } from './chunk-worker.js';

export type { WorkerInit } from './chunk-worker.js';

const check = chunkChecker(workerData as WorkerInit);
parentPort!.on('message', (m: ChunkRequest) => parentPort!.postMessage(check(m)));
