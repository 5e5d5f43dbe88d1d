/**
 * Trustee identities: the long-term Ed25519 (RFC 8032) signing key a trustee makes once, whose
 * public key the election manifest lists before the key ceremony starts (manifest version 2).
 * Every ceremony message and every decryption-share message of a version-2 election is signed
 * with it, so whoever relays the messages (the election platform) cannot stand in for a trustee.
 *
 * ```
 * identity key  = Ed25519 public key, 32 bytes (lowercase hex on the wire)
 * fingerprint   = Crockford base32 of the first 160 bits of
 *                 SHA-256(contextBytes(["mjvote-v2-trustee-identity", identity key])),
 *                 in 8 groups of 4 symbols: "7QK2-M0ZD-…"
 * signed bytes  = contextBytes(["mjvote-v2-trustee-signature", context, kind, canonical JSON of the message
 *                 without its "identitySignature" member])        (see ceremony/signatures.ts)
 * ```
 * Verification is @noble/curves' strict RFC 8032 mode (`zip215: false`: canonical encodings of
 * the key, R and S < L are required; the equation checked is the cofactored one,
 * [8][S]B = [8]R + [8][k]A); an identity key of small order is refused, so no key verifies every
 * message.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '../sha2.js';
import { FormatError } from '../errors.js';
import { bytesEqual, fromHex, toHex, typeName } from '../bytes.js';
import { contextBytes } from '../hash.js';
import { base32FromBits, groupSymbols } from './base32.js';

/** Bytes of an identity (public) key. */
export const IDENTITY_KEY_BYTES = 32;
/** Bytes of an identity signature. */
export const IDENTITY_SIGNATURE_BYTES = 64;
/** Domain tag of the identity fingerprint. */
export const IDENTITY_FINGERPRINT_DOMAIN = 'mjvote-v2-trustee-identity';
/** Symbols of a fingerprint (160 bits), shown in groups of {@link IDENTITY_FINGERPRINT_GROUP}. */
export const IDENTITY_FINGERPRINT_SYMBOLS = 32;
/** Symbols per group of a printed fingerprint. */
export const IDENTITY_FINGERPRINT_GROUP = 4;

const SECRETS = new WeakMap<TrusteeIdentity, Uint8Array>();

/**
 * A trustee's identity key pair. The secret key is held outside the object (a module WeakMap):
 * `toJSON` and `String()` show the public key and fingerprint only.
 */
export class TrusteeIdentity {
  /** The Ed25519 public key (32 bytes; a copy on every read). */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }
  /** The public key in lowercase hex (what a manifest lists). */
  readonly publicKeyHex: string;
  /** The fingerprint a person compares (8 groups of 4 base32 symbols). */
  readonly fingerprint: string;
  readonly #publicKey: Uint8Array;

  /** @internal Use {@link generateTrusteeIdentity} or `importTrusteeIdentity`. */
  constructor(secretKey: Uint8Array) {
    if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) throw new TypeError('expected a 32-byte Ed25519 secret key');
    const secret = secretKey.slice();
    this.#publicKey = ed25519.getPublicKey(secret);
    this.publicKeyHex = toHex(this.#publicKey);
    this.fingerprint = identityFingerprint(this.#publicKey);
    SECRETS.set(this, secret);
    Object.freeze(this);
  }

  /** Signs `message` (RFC 8032 Ed25519, deterministic). */
  sign(message: Uint8Array): Uint8Array {
    return ed25519.sign(message, SECRETS.get(this)!);
  }

  /** Public data only. */
  toJSON(): { kind: 'trustee-identity'; publicKey: string; fingerprint: string } {
    return { kind: 'trustee-identity', publicKey: this.publicKeyHex, fingerprint: this.fingerprint };
  }
}

/** @internal The 32-byte secret key (for the passphrase-protected export only). */
export function trusteeIdentitySecret(id: TrusteeIdentity): Uint8Array {
  const s = SECRETS.get(id);
  if (s === undefined) throw new TypeError('not a TrusteeIdentity');
  return s.slice();
}

/** A new identity key pair from the platform CSPRNG. */
export function generateTrusteeIdentity(): TrusteeIdentity {
  return new TrusteeIdentity(ed25519.utils.randomSecretKey());
}

/** The fingerprint of an identity key: 8 groups of 4 Crockford base32 symbols (160 bits). */
export function identityFingerprint(publicKey: Uint8Array): string {
  const h = sha256(contextBytes([IDENTITY_FINGERPRINT_DOMAIN, publicKey]));
  return groupSymbols(base32FromBits(h, IDENTITY_FINGERPRINT_SYMBOLS), IDENTITY_FINGERPRINT_GROUP);
}

/** True when two identity keys are the same bytes. */
export function sameIdentityKey(a: Uint8Array, b: Uint8Array): boolean {
  return bytesEqual(a, b);
}

/**
 * Parses an identity key: 64 lowercase hex digits encoding a canonical Ed25519 point that is not
 * of small order. @throws FormatError naming `path`
 */
export function parseIdentityKey(v: unknown, path: string): Uint8Array {
  if (typeof v !== 'string') throw new FormatError(path, `expected an Ed25519 public key in hex, got ${typeName(v)}`);
  const bytes = fromHex(v, path, IDENTITY_KEY_BYTES);
  let ok: boolean;
  try {
    ok = !ed25519.Point.fromBytes(bytes, false).isSmallOrder();
  } catch {
    throw new FormatError(path, 'not a canonical Ed25519 public key');
  }
  if (!ok) throw new FormatError(path, 'an Ed25519 key of small order (it would verify forged signatures)');
  return bytes;
}

/** Parses a 64-byte signature in hex. @throws FormatError naming `path` */
export function parseIdentitySignature(v: unknown, path: string): Uint8Array {
  return fromHex(v, path, IDENTITY_SIGNATURE_BYTES);
}

/** Strict RFC 8032 verification of `signature` on `message` under `publicKey`; false on any fault. */
export function verifyIdentitySignature(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
