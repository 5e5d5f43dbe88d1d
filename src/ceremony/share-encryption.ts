/**
 * Encryption of a share f_i(j) from trustee i to trustee j, and its public opening in a complaint.
 *
 * ```
 * Z       = d_i·P_j = d_j·P_i                                  (static DH on the election group)
 * binding = contextBytes([context, "share", u32 i, u32 j, enc(P_i), enc(P_j)])
 * key     = HKDF-SHA-256(ikm = enc(Z), salt = "mjvote-v1-ceremony-share-kdf", info = binding, 32 bytes)
 * ct      = XChaCha20-Poly1305(key, nonce = 24 random bytes, aad = binding).encrypt(encodeScalar(f_i(j)))
 * ```
 * The ciphertext is signed by the sender's communication key (see `messages.ts`), because the DH
 * key alone authenticates it only to the two parties who both know Z: the signature lets third
 * parties attribute it to i when a complaint reveals Z.
 * @module
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8 } from '../bytes.js';
import { PROTOCOL_VERSION } from '../hash.js';
import { proveSchnorr } from '../proofs/schnorr.js';
import type { EncryptedShare } from './messages.js';
import { shareSignatureContext } from './messages.js';
import { purposeContext, type CeremonyParams } from './params.js';

/** Bytes of the XChaCha20-Poly1305 nonce. */
export const SHARE_NONCE_BYTES = 24;
/** Bytes of the Poly1305 tag appended to a share ciphertext. */
export const SHARE_TAG_BYTES = 16;
const KDF_SALT = utf8(`${PROTOCOL_VERSION}-ceremony-share-kdf`);

/** The bytes that bind a share's key and AEAD to (ceremony, sender, recipient, both keys). */
export function shareBinding<E>(params: CeremonyParams<E>, sender: number, recipient: number, senderKey: E, recipientKey: E): Uint8Array {
  const g = params.group;
  return purposeContext(params, 'share', sender, recipient, g.encode(senderKey), g.encode(recipientKey));
}

function shareKey<E>(params: CeremonyParams<E>, Z: E, binding: Uint8Array): Uint8Array {
  return hkdf(sha256, params.group.encode(Z), KDF_SALT, binding, 32);
}

/**
 * Encrypts and signs f_i(j) for trustee j. `senderSecret` is d_i (secret: constant-time
 * multiplication for Z and the signature).
 */
export function encryptShare<E>(
  params: CeremonyParams<E>,
  sender: number,
  senderSecret: bigint,
  senderKey: E,
  recipient: number,
  recipientKey: E,
  value: bigint,
): EncryptedShare<E> {
  const g = params.group;
  const Z = g.multiply(recipientKey, senderSecret);
  const binding = shareBinding(params, sender, recipient, senderKey, recipientKey);
  const nonce = randomBytes(SHARE_NONCE_BYTES);
  const ciphertext = xchacha20poly1305(shareKey(params, Z, binding), nonce, binding).encrypt(g.encodeScalar(value));
  const { proof } = proveSchnorr(g, senderSecret, shareSignatureContext(params, sender, recipient, nonce, ciphertext));
  return { ceremonyId: params.ceremonyId, sender, recipient, nonce, ciphertext, signature: proof };
}

/**
 * Opens a share with the DH secret Z (held by the recipient, or revealed in a complaint).
 * Returns f_i(j), or null when the AEAD rejects the ciphertext or the plaintext is not a canonical
 * scalar — both are the sender's fault once Z is proven correct.
 */
export function openShare<E>(params: CeremonyParams<E>, share: EncryptedShare<E>, Z: E, senderKey: E, recipientKey: E): bigint | null {
  const g = params.group;
  const binding = shareBinding(params, share.sender, share.recipient, senderKey, recipientKey);
  let plain: Uint8Array;
  try {
    plain = xchacha20poly1305(shareKey(params, Z, binding), share.nonce, binding).decrypt(share.ciphertext);
  } catch {
    return null;
  }
  try {
    return g.decodeScalar(plain, 'share');
  } catch {
    return null;
  }
}
