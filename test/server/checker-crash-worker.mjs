// The ballot checker's worker, except that it exits at once when a batch holds the text 'crash'
// (a worker that dies in the middle of a batch), and exits before loading anything when
// MJVOTE_TEST_CHECKER_LOAD_FAILS is set (a replacement that cannot start): for
// test/server/checker-pool.test.ts.
import { parentPort } from 'node:worker_threads';

if (process.env.MJVOTE_TEST_CHECKER_LOAD_FAILS) process.exit(4);
parentPort.on('message', (m) => {
  if (Array.isArray(m?.texts) && m.texts.includes('crash')) process.exit(3);
});
const { register } = await import('tsx/esm/api');
register();
await import('../../src/server/checker-worker.ts');
