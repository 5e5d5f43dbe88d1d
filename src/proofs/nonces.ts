/**
 * Where provers get their secret nonces. Production code uses the platform CSPRNG
 * (`group.randomScalar()`); known-answer test vectors pass a deterministic source.
 * @module
 */
import type { Group } from '../group/group.js';

/** A source of nonces in [1, q). */
export type NonceSource = () => bigint;

/** Options of the provers (nothing public: the nonces always come from the platform CSPRNG). */
export interface ProveOptions {
  /** @internal Deterministic nonces, for known-answer test vectors only: never in production (a repeated nonce reveals the secret). */
  nonces?: NonceSource;
}

/** The CSPRNG nonce source of a group. */
export function csprngNonces(group: Group<any>): NonceSource {
  return () => group.randomScalar();
}

/**
 * A deterministic nonce source for test vectors ONLY: nonce i is
 * hash_to_field("mjvote-v1-test-nonce-<group>", seed ‖ u32(i)). Never use it to prove real statements.
 */
export function deterministicTestNonces(group: Group<any>, seed: string): NonceSource {
  let i = 0;
  const enc = new TextEncoder().encode(seed);
  return () => {
    const msg = new Uint8Array(enc.length + 4);
    msg.set(enc);
    new DataView(msg.buffer).setUint32(enc.length, i++, false);
    return group.hashToScalar(msg, `mjvote-v1-test-nonce-${group.id}`);
  };
}
