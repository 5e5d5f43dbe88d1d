/**
 * The booth's Web Worker: it holds the voter's credential and the ballot's secrets, so the
 * page never does. The page sends the election, the typed code (the one secret that crosses),
 * then the grades; the worker derives the credential, encrypts with `encryptBallot` on the
 * WebAssembly backend, and keeps the `BallotHandle`. The page gets back only what is public:
 * the credential's public key, the ballot and its tracking code, and — when the voter audits —
 * the opening (which is published anyway). A cast drops the randomness (`handle.cast()`).
 *
 * Nothing here logs. Errors carry the library's reason, which never contains the code.
 * @module
 */
import {
  ballotToJson,
  credentialFromCode,
  encryptBallot,
  FormatError,
  MjvoteError,
  openingToJson,
  parseElection,
  ristretto255Backend,
  type BallotHandle,
  type Credential,
  type Election,
} from '../../src/index.js';

/** What the page asks. */
export type BoothRequest =
  | { readonly id: number; readonly kind: 'init'; readonly election: unknown }
  | { readonly id: number; readonly kind: 'credential'; readonly code: string }
  | { readonly id: number; readonly kind: 'encrypt'; readonly grades: readonly number[] }
  | { readonly id: number; readonly kind: 'audit' }
  | { readonly id: number; readonly kind: 'cast' }
  | { readonly id: number; readonly kind: 'forget' };

/** What each request answers. */
export interface BoothResults {
  init: { readonly backend: string };
  credential: { readonly publicKeyHex: string };
  encrypt: {
    readonly trackingCode: string;
    readonly ballotHash: string;
    readonly ballotText: string;
    readonly ms: number;
    readonly backend: string;
  };
  audit: { readonly openingText: string };
  cast: { readonly ballotText: string };
  forget: Record<string, never>;
}

/** The worker's answer to request `id`. */
export type BoothReply =
  | { readonly id: number; readonly ok: true; readonly result: BoothResults[keyof BoothResults] }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly reason: string };

let election: Election<unknown> | null = null;
let credential: Credential<unknown> | null = null;
let handle: BallotHandle<unknown> | null = null;

function need<T>(x: T | null, what: string): T {
  if (x === null) throw new Error(`no ${what} yet`);
  return x;
}

function answer(req: BoothRequest): BoothResults[keyof BoothResults] {
  switch (req.kind) {
    case 'init':
      election = parseElection(req.election);
      return { backend: ristretto255Backend() };
    case 'credential': {
      const e = need(election, 'election');
      credential = null;
      handle = null;
      credential = credentialFromCode(e.group, e.manifest.electionId, req.code);
      return { publicKeyHex: credential.publicKeyHex };
    }
    case 'encrypt': {
      const e = need(election, 'election');
      const t0 = performance.now();
      handle = encryptBallot(e, need(credential, 'credential'), req.grades);
      const ms = performance.now() - t0;
      return {
        trackingCode: handle.trackingCode,
        ballotHash: handle.ballot.hashHex,
        ballotText: JSON.stringify(ballotToJson(handle.ballot)),
        ms,
        backend: ristretto255Backend(),
      };
    }
    case 'audit': {
      // The handle refuses to cast from now on; the page encrypts afresh for the voter's next choice.
      const opening = need(handle, 'ballot').audit();
      return { openingText: JSON.stringify(openingToJson(need(election, 'election'), opening)) };
    }
    case 'cast': {
      const ballot = need(handle, 'ballot').cast(); // drops the randomness and the grades
      return { ballotText: JSON.stringify(ballotToJson(ballot)) };
    }
    case 'forget':
      credential = null;
      handle = null;
      return {};
  }
}

const scope = self as unknown as { onmessage: ((e: MessageEvent<BoothRequest>) => void) | null; postMessage(m: BoothReply): void };

scope.onmessage = (e) => {
  const req = e.data;
  let reply: BoothReply;
  try {
    reply = { id: req.id, ok: true, result: answer(req) };
  } catch (err) {
    const code = err instanceof FormatError ? 'format' : err instanceof MjvoteError ? err.code : 'error';
    const reason = err instanceof FormatError ? err.reason : err instanceof Error ? err.message : String(err);
    reply = { id: req.id, ok: false, code, reason };
  }
  scope.postMessage(reply);
};
