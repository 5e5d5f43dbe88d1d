/**
 * The contexts a ballot's proofs are bound to (docs/ballot.md): the election fingerprint, the
 * voter's public credential X, and the candidate (and grade) of the proof.
 * @module
 */
import { contextBytes, putContextU32 } from '../hash.js';

/** Context of the 0/1 proof of E[j][g]: `contextBytes([fingerprint, X, j, g])`. */
export function cellContext(fingerprint: Uint8Array, credential: Uint8Array, candidate: number, grade: number): Uint8Array {
  return contextBytes([fingerprint, credential, candidate, grade]);
}

/** Context of candidate j's exactly-one proof: `contextBytes([fingerprint, X, j])`. */
export function candidateContext(fingerprint: Uint8Array, credential: Uint8Array, candidate: number): Uint8Array {
  return contextBytes([fingerprint, credential, candidate]);
}

/** The proof contexts of one ballot (fingerprint and credential X fixed), built from one prefix. */
export interface BallotContexts {
  /** {@link cellContext}(fingerprint, X, j, g). */
  cell(candidate: number, grade: number): Uint8Array;
  /** {@link candidateContext}(fingerprint, X, j). */
  candidate(candidate: number): Uint8Array;
}

/**
 * The same bytes as {@link cellContext} and {@link candidateContext}, from `contextBytes([fingerprint, X])`
 * computed once: `contextBytes` is a concatenation of length-prefixed parts, so appending
 * `u32(4) ‖ u32(j)` (and `u32(4) ‖ u32(g)`) to the prefix gives `contextBytes([fingerprint, X, j(, g)])`.
 * A ballot has 42 contexts; this builds each with one allocation.
 */
export function ballotContexts(fingerprint: Uint8Array, credential: Uint8Array): BallotContexts {
  const prefix = contextBytes([fingerprint, credential]);
  const n = prefix.length;
  return {
    cell(j: number, g: number): Uint8Array {
      const out = new Uint8Array(n + 16);
      out.set(prefix);
      putContextU32(out, n, j);
      putContextU32(out, n + 8, g);
      return out;
    },
    candidate(j: number): Uint8Array {
      const out = new Uint8Array(n + 8);
      out.set(prefix);
      putContextU32(out, n, j);
      return out;
    },
  };
}
