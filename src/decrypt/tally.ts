/**
 * What the trustees decrypt of a tally, and what their shares are bound to (docs/record.md):
 * the tally's M × K ciphertexts in candidate-major order, and the context
 * `contextBytes([fingerprint, "tally"])`, the election fingerprint as raw bytes.
 * @module
 */
import { contextBytes } from '../hash.js';
import type { Ciphertext } from '../elgamal.js';
import type { Election } from '../election/election.js';
import type { EncryptedTally } from '../tally/aggregate.js';

/** The label of the tally decryption context. */
export const TALLY_CONTEXT_LABEL = 'tally';

/** The context every tally decryption share is bound to: contextBytes([fingerprint, "tally"]). */
export function tallyDecryptionContext(election: Election<unknown>): Uint8Array {
  return contextBytes([election.fingerprint, TALLY_CONTEXT_LABEL]);
}

/** The M × K tally as the list of ciphertexts the trustees decrypt (candidate-major: cell (j, g) at j·K + g). */
export function flattenTally<E>(t: EncryptedTally<E>): Ciphertext<E>[] {
  return t.cells.flat();
}
