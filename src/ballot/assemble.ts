/**
 * Assembling a ballot from its parts, the last step of encrypting and of parsing one: the hash,
 * the tracking code, the remembered encodings, and a deep freeze.
 * @module
 */
import { toHex } from '../bytes.js';
import type { Group } from '../group/group.js';
import type { SchnorrProof } from '../proofs/schnorr.js';
import type { Ballot, BallotContent } from './ballot.js';
import { attachEncodings, memoizedGroup } from './encodings.js';
import { ballotHash, trackingCode } from './hash.js';
import { ballotToJson } from './json.js';

/**
 * Assembles and freezes a ballot from its content and signature (encryption and parsing).
 * `view` is `memoizedGroup(group, memo)` when the caller has made it already; it becomes the
 * ballot's {@link ballotGroup}.
 */
export function assembleBallot<E>(
  group: Group<E>,
  memo: Map<E, Uint8Array>,
  content: BallotContent<E>,
  signature: SchnorrProof<E>,
  hash: Uint8Array,
  view = memoizedGroup(group, memo),
): Ballot<E> {
  for (const a of content.answers) {
    for (const c of a.choices) Object.freeze(c);
    for (const p of a.proofs) {
      for (const br of p) Object.freeze(br);
      Object.freeze(p);
    }
    Object.freeze(a.choices);
    Object.freeze(a.proofs);
    Object.freeze(a.exactlyOne);
    Object.freeze(a);
  }
  const ballot: Ballot<E> = {
    group,
    electionId: content.electionId,
    fingerprintHex: toHex(content.fingerprint),
    credential: content.credential,
    credentialHex: view.toHex(content.credential),
    answers: Object.freeze([...content.answers]),
    signature: Object.freeze({ ...signature }),
    hashHex: toHex(hash),
    trackingCode: trackingCode(hash),
  };
  // JSON.stringify(ballot) writes the wire form (non-enumerable: not a data member).
  Object.defineProperty(ballot, 'toJSON', { value: () => ballotToJson(ballot) });
  Object.freeze(ballot);
  attachEncodings(ballot, memo, view);
  return ballot;
}

/**
 * The end of parsing (here and in canonical-text.ts): hashes the content with the encodings
 * read (`memo`, and the scalars' `scalarBytes` in hash order when the caller has them: see
 * {@link ballotHash}) and assembles the ballot.
 */
export function ballotFromParts<E>(
  group: Group<E>,
  memo: Map<E, Uint8Array>,
  content: BallotContent<E>,
  signature: SchnorrProof<E>,
  scalarBytes?: Uint8Array,
): Ballot<E> {
  // One memoized view for the hash, the ballot's credential and (through ballotGroup) its checks.
  const view = memoizedGroup(group, memo);
  return assembleBallot(group, memo, content, signature, ballotHash(view, content, scalarBytes), view);
}
