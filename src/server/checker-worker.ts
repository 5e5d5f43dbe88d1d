/**
 * A ballot-checker worker thread for {@link BallotCheckerPool} (`checker-pool.ts`): it loads
 * the election and the credential list once, from the JSON handed over at start
 * ({@link CheckerWorkerInit}), says `{ready: true}`, then answers each `{id, texts}` with
 * `{id, outcomes}` ({@link checkBallotTexts}), or `{id, error}` if checking threw (a bug: a bad
 * ballot is an outcome, never an error). Loading errors are thrown, so the pool sees the
 * worker's `error` event.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkBallotTexts, loadCheckerElection, type CheckerBackend } from './checker.js';

/** What the pool hands a checker worker at start (`workerData`). */
export interface CheckerWorkerInit {
  /** The election's published JSON (`ElectionJson`). */
  readonly electionJson: unknown;
  /** The published credential list (`CredentialListJson`). */
  readonly credentialsJson: unknown;
  readonly backend: CheckerBackend;
  /** checkBallotTexts' options. */
  readonly batch: boolean;
  readonly maxDepth?: number;
  readonly maxLength?: number;
}

/** A request from the pool: ballots' texts to check together. */
export interface CheckerRequest {
  readonly id: number;
  readonly texts: readonly string[];
}

const init = workerData as CheckerWorkerInit;
const { election, credentials } = loadCheckerElection(init.electionJson, init.credentialsJson, init.backend);
const opts = {
  batch: init.batch,
  ...(init.maxDepth !== undefined && { maxDepth: init.maxDepth }),
  ...(init.maxLength !== undefined && { maxLength: init.maxLength }),
};

parentPort!.on('message', (m: CheckerRequest) => {
  try {
    parentPort!.postMessage({ id: m.id, outcomes: checkBallotTexts(election, credentials, m.texts, opts) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});
parentPort!.postMessage({ ready: true });
