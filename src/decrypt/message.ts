/**
 * The decryption-share message types (what `shares.ts` makes and `wire.ts` serializes).
 * @module
 */
import type { DleqProof } from '../proofs/chaum-pedersen.js';

/** D = s_j·α with its proof. */
export interface DecryptionShare<E> {
  readonly share: E;
  readonly proof: DleqProof<E>;
}

/** One trustee's shares for a whole list of ciphertexts, in the list's order. */
export interface DecryptionShareMessage<E> {
  readonly ceremonyId: string;
  readonly trustee: number;
  readonly shares: readonly DecryptionShare<E>[];
  /** Version-2 ceremonies: Ed25519 signature by the trustee's identity key (kind `decryption-share`, `ceremony/signatures.ts`). */
  readonly identitySignature?: Uint8Array;
}
