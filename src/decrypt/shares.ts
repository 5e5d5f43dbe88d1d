/**
 * Decryption shares. Trustee j with secret share s_j and verification key K_j = s_j·G publishes,
 * for each ciphertext (α_k, β_k) of a list, D_j,k = s_j·α_k with a Chaum–Pedersen proof that
 * log_G(K_j) = log_{α_k}(D_j,k) (transcript kind `decryption-share`).
 *
 * Proof context of share k: contextBytes([context, u32 j, u32 k]), where `context` is chosen by
 * the caller and binds the list (e.g. the election fingerprint and the tally's name).
 * @module
 */
import { ProtocolError } from '../errors.js';
import type { Group } from '../group/group.js';
import type { Ciphertext } from '../elgamal.js';
import { contextBytes } from '../hash.js';
import { dleqEquations, proveDleq } from '../proofs/chaum-pedersen.js';
import type { Equation } from '../proofs/equation.js';
import type { TrusteeKey } from '../ceremony/trustee-key.js';
import { trusteeSecretShare } from '../ceremony/trustee-key.js';
import type { CeremonyParams } from '../ceremony/params.js';
import { signAsTrustee, verifyTrusteeSignature } from '../ceremony/signatures.js';
import { decryptionShareMessageBodyJson } from './wire.js';
import type { DecryptionShare, DecryptionShareMessage } from './message.js';

export type { DecryptionShare, DecryptionShareMessage } from './message.js';

/** Transcript kind of a decryption share's proof. */
export const DECRYPTION_SHARE_KIND = 'decryption-share';

/** The proof context of trustee j's share of ciphertext k. */
export function decryptionShareContext(context: Uint8Array, trustee: number, k: number): Uint8Array {
  return contextBytes([context, trustee, k]);
}

/**
 * Trustee `key.trustee`'s decryption shares of `ciphertexts`. s_j is secret: D and the proof
 * commitments use the constant-time paths.
 * @throws ProtocolError when `group` is not the key's group.
 */
export function decryptionShares<E>(
  group: Group<E>,
  key: TrusteeKey<E>,
  ciphertexts: readonly Ciphertext<E>[],
  context: Uint8Array,
): DecryptionShareMessage<E> {
  if (group !== key.params.group)
    throw new ProtocolError(`decryptionShares: key of group '${key.params.group.id}', not '${group.id}'`, 'wrong-group');
  const s = trusteeSecretShare(key);
  const K = key.verificationKey;
  const shares = ciphertexts.map((ct, k): DecryptionShare<E> => {
    const D = group.multiply(ct.alpha, s);
    const proof = proveDleq(
      group,
      { g1: group.generator, h1: K, g2: ct.alpha, h2: D },
      s,
      decryptionShareContext(context, key.trustee, k),
      { kind: DECRYPTION_SHARE_KIND, table1: group.G },
    );
    return { share: D, proof };
  });
  const message: DecryptionShareMessage<E> = { ceremonyId: key.params.ceremonyId, trustee: key.trustee, shares };
  if (key.params.version === 1) return message;
  if (!key.identity)
    throw new ProtocolError(
      `trustee ${key.trustee}: a version-2 key share needs its identity to sign decryption shares`,
      'unsigned-message',
    );
  const body = decryptionShareMessageBodyJson(key.params, message);
  return { ...message, identitySignature: signAsTrustee(key.params, key.identity, key.trustee, 'decryption-share', body) };
}

/** True when a version-2 message carries its trustee's identity signature (version 1: always true). */
export function isDecryptionShareSigned<E>(params: CeremonyParams<E>, m: DecryptionShareMessage<E>): boolean {
  if (params.version === 1) return true;
  return verifyTrusteeSignature(params, m.trustee, 'decryption-share', decryptionShareMessageBodyJson(params, m), m.identitySignature);
}

/**
 * Verification equations of a whole share message against K_j, or null when its length differs
 * from the ciphertext list or a challenge does not match.
 */
export function decryptionShareEquations<E>(
  group: Group<E>,
  verificationKey: E,
  ciphertexts: readonly Ciphertext<E>[],
  message: DecryptionShareMessage<E>,
  context: Uint8Array,
): Equation<E>[] | null {
  if (message.shares.length !== ciphertexts.length) return null;
  const out: Equation<E>[] = [];
  for (let k = 0; k < ciphertexts.length; k++) {
    const { share, proof } = message.shares[k]!;
    const eqs = dleqEquations(
      group,
      { g1: group.generator, h1: verificationKey, g2: ciphertexts[k]!.alpha, h2: share },
      proof,
      decryptionShareContext(context, message.trustee, k),
      DECRYPTION_SHARE_KIND,
    );
    if (eqs === null) return null;
    out.push(...eqs);
  }
  return out;
}
