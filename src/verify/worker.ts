/**
 * A verifier worker thread: checks chunks of ballot lines (check 4 and the counting rule) for
 * the main thread's {@link BallotPool}. It receives the election parameters and the published
 * credentials once (both already validated by the main thread), then chunks; it answers each
 * chunk with the wire form of its {@link BallotPartial}.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseElection } from '../election/election.js';
import type { CredentialList } from '../election/credential.js';
import { groupById } from '../group/index.js';
import type { Group } from '../group/group.js';
import { ballotPartialToWire, verifyBallotChunk, type BallotCheckContext, type BallotLine } from './ballots.js';

/** What the main thread hands a worker at start. */
export interface WorkerInit {
  readonly electionJson: unknown;
  /** Hex of the listed credentials (validated by the main thread), or null when there is no list. */
  readonly credentials: readonly string[] | null;
  readonly groupId: string;
  readonly batch: boolean;
  readonly file: string;
}

const init = workerData as WorkerInit;
// The group by its id; for ristretto255 the thread chooses its backend as the main thread did (MJVOTE_BACKEND is shared).
const group = groupById(init.groupId) as Group<unknown>;
const election = parseElection(init.electionJson, { group });
const listed = init.credentials === null ? null : new Set(init.credentials);
// verifyBallotChunk only asks the list whether a credential is on it.
const credentials = listed === null ? null : ({ hasHex: (h: string) => listed.has(h) } as unknown as CredentialList<unknown>);
const ctx: BallotCheckContext<unknown> = { election, credentials, batch: init.batch, file: init.file };

parentPort!.on('message', (m: { id: number; lines: BallotLine[] }) => {
  try {
    // The main thread sends a line's text instead of its payload when it has it (see
    // BallotLine.text); verifyBallotChunk parses it.
    parentPort!.postMessage({ id: m.id, partial: ballotPartialToWire(verifyBallotChunk(ctx, m.lines)) });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
  }
});
