/**
 * The verifier's threads, whatever they run on (Node worker threads, Web Workers): what the
 * main thread hands a worker at start ({@link WorkerInit}), the messages they exchange (a
 * chunk of ballot lines; the wire form of its {@link BallotPartial}, or an error), and the
 * {@link VerifyWorker} transport the pool drives. `worker.ts` (Node) and `browser-worker.ts`
 * (browsers) run {@link chunkChecker} on their side. Browser-safe.
 * @module
 */
import { parseElection } from '../election/election.js';
import type { CredentialList } from '../election/credential.js';
import { groupById } from '../group/index.js';
import type { Group } from '../group/group.js';
import { ballotPartialToWire, verifyBallotChunk, type BallotCheckContext, type BallotLine, type BallotPartialWire } from './ballots.js';

/** What the main thread hands a worker at start. */
export interface WorkerInit {
  readonly electionJson: unknown;
  /** Hex of the listed credentials (validated by the main thread), or null when there is no list. */
  readonly credentials: readonly string[] | null;
  readonly groupId: string;
  readonly batch: boolean;
  readonly file: string;
}

/** A chunk of consecutive ballot lines to check, numbered in board order. */
export interface ChunkRequest {
  readonly id: number;
  readonly lines: readonly BallotLine[];
}

/** A worker's answer to a {@link ChunkRequest}: the chunk's partial result, or why it could not check it. */
export type ChunkAnswer = { readonly id: number; readonly partial: BallotPartialWire } | { readonly id: number; readonly error: string };

/**
 * One thread that checks chunks of ballot lines for the verifier (a Node worker thread, a Web
 * Worker), as the pool sees it: a transport of structured-clonable messages to and from the
 * worker script, which answers each chunk it is sent.
 */
export interface VerifyWorker {
  /** Sends a message (a chunk to check) to the worker script. */
  post(message: unknown): void;
  /**
   * Registers the handlers of the script's messages and of the thread's failure (called once,
   * right after it starts). Messages that are not answers to chunks are ignored.
   */
  listen(onMessage: (message: unknown) => void, onError: (error: Error) => void): void;
  /** Stops it. */
  terminate(): Promise<void>;
}

/**
 * Starts one verifier thread running mjvote's worker script, and hands it `init` (what the
 * script needs first, structured-clonable) the way that script expects: as its `workerData` for
 * Node's (`nodeVerifyWorkers` in mjvote/node), as its first message, `{ init }`, for the
 * browser's ({@link webVerifyWorkers}).
 */
export type VerifyWorkerFactory = (init: unknown) => VerifyWorker;

/**
 * The worker's side: the check of one chunk, for the election and credentials of `init` (both
 * already validated by the main thread). Never throws: an error becomes the answer's `error`.
 */
export function chunkChecker(init: WorkerInit): (request: ChunkRequest) => ChunkAnswer {
  let ctx: BallotCheckContext<unknown>;
  try {
    // The group by its id; for ristretto255 the thread chooses its backend as the main thread did.
    const group = groupById(init.groupId) as Group<unknown>;
    const election = parseElection(init.electionJson, { group });
    const listed = init.credentials === null ? null : new Set(init.credentials);
    // verifyBallotChunk only asks the list whether a credential is on it.
    const credentials = listed === null ? null : ({ hasHex: (h: string) => listed.has(h) } as unknown as CredentialList<unknown>);
    ctx = { election, credentials, batch: init.batch, file: init.file };
  } catch (e) {
    const error = `cannot start: ${errorText(e)}`;
    return (m) => ({ id: m.id, error });
  }
  return (m) => {
    try {
      // The main thread sends a line's text instead of its payload when it has it (see
      // BallotLine.text); verifyBallotChunk parses it.
      return { id: m.id, partial: ballotPartialToWire(verifyBallotChunk(ctx, m.lines)) };
    } catch (e) {
      return { id: m.id, error: errorText(e) };
    }
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
