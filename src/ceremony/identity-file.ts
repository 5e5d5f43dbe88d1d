/**
 * A trustee's identity on disk: the secret identity file, sealed under a passphrase, which the
 * trustee keeps, and the public identity file, which it sends to the election organiser, who
 * lists its key in the manifest (`election/trustee-identity.ts`).
 *
 * ```
 * identity file (secret, kept by the trustee; mode 600):
 * { "format": "mjvote-trustee-identity-secret", "version": 1,
 *   "publicKey": hex(32), "fingerprint": "7QK2-M0ZD-…",
 *   "kdf":  { "name": "scrypt", "logN": 17, "r": 8, "p": 1, "salt": hex(32) },
 *   "aead": { "name": "xchacha20poly1305", "nonce": hex(24) },
 *   "check": hex(32), "ciphertext": hex(32 + 16) }
 * check      = HMAC-SHA-256(k[32..64], "mjvote-v2-trustee-identity-file-check")
 * aad        = UTF-8 of the JSON of the header: the object above without "check" and
 *              "ciphertext", keys in the order shown
 * ciphertext = XChaCha20-Poly1305(k[0..32], nonce, aad).encrypt(the 32-byte Ed25519 secret key)
 *
 * public identity file (sent to the organiser):
 * { "format": "mjvote-trustee-identity", "version": 1, "publicKey": hex(32), "fingerprint": "7QK2-…" }
 * ```
 * k and the cost are those of `passphrase-seal.ts` (the same as trustee state files). The public
 * key and its fingerprint are in clear in both files, so that they can be shown without the
 * passphrase; on reading, the fingerprint must be the public key's, and the secret key, once
 * decrypted, must give the public key.
 * @module
 */
import { FormatError } from '../errors.js';
import { toHex, utf8 } from '../bytes.js';
import { expectObject } from '../json/guards.js';
import { identityFingerprint, parseIdentityKey, TrusteeIdentity, trusteeIdentitySecret } from '../election/trustee-identity.js';
import {
  parseSealedParts,
  sealingHeaders,
  sealWithPassphrase,
  unsealWithPassphrase,
  type AeadHeader,
  type ScryptHeader,
  type SealOptions,
  type UnsealOptions,
} from './passphrase-seal.js';
import { TamperedStateError } from './errors.js';

/** `format` of a (secret) identity file. */
export const TRUSTEE_IDENTITY_FILE_FORMAT = 'mjvote-trustee-identity-secret';
/** `format` of a public identity file. */
export const TRUSTEE_IDENTITY_PUBLIC_FORMAT = 'mjvote-trustee-identity';
/** `version` of both identity files. */
export const TRUSTEE_IDENTITY_FILE_VERSION = 1;

const CHECK_LABEL = utf8('mjvote-v2-trustee-identity-file-check');
const WHAT = 'trustee identity file';

/** The wire form of a (secret) identity file. */
export interface TrusteeIdentityFile {
  format: typeof TRUSTEE_IDENTITY_FILE_FORMAT;
  version: typeof TRUSTEE_IDENTITY_FILE_VERSION;
  publicKey: string;
  fingerprint: string;
  kdf: ScryptHeader;
  aead: AeadHeader;
  check: string;
  ciphertext: string;
}

/** The wire form of a public identity file. */
export interface TrusteeIdentityPublicJson {
  format: typeof TRUSTEE_IDENTITY_PUBLIC_FORMAT;
  version: typeof TRUSTEE_IDENTITY_FILE_VERSION;
  publicKey: string;
  fingerprint: string;
}

/** The public part of an identity, as read from either file. */
export interface TrusteeIdentityPublic {
  /** The Ed25519 public key (32 bytes). */
  readonly publicKey: Uint8Array;
  /** Lowercase hex of {@link TrusteeIdentityPublic.publicKey}: what a manifest lists. */
  readonly publicKeyHex: string;
  /** The fingerprint a person compares. */
  readonly fingerprint: string;
  /** Which file it came from. */
  readonly kind: 'secret' | 'public';
}

/** The AEAD's associated data: the header members in their fixed order. */
function headerBytes(h: Omit<TrusteeIdentityFile, 'check' | 'ciphertext'>): Uint8Array {
  const kdf = { name: h.kdf.name, logN: h.kdf.logN, r: h.kdf.r, p: h.kdf.p, salt: h.kdf.salt };
  const aead = { name: h.aead.name, nonce: h.aead.nonce };
  return utf8(JSON.stringify({ format: h.format, version: h.version, publicKey: h.publicKey, fingerprint: h.fingerprint, kdf, aead }));
}

/**
 * Seals an identity's secret key under a passphrase (scrypt cost `opts.logN`, default 2^17).
 * @throws FormatError for an empty passphrase or a bad cost.
 */
export function exportTrusteeIdentity(identity: TrusteeIdentity, passphrase: string, opts: SealOptions = {}): TrusteeIdentityFile {
  const header: Omit<TrusteeIdentityFile, 'check' | 'ciphertext'> = {
    format: TRUSTEE_IDENTITY_FILE_FORMAT,
    version: TRUSTEE_IDENTITY_FILE_VERSION,
    publicKey: identity.publicKeyHex,
    fingerprint: identity.fingerprint,
    ...sealingHeaders(opts),
  };
  const sealed = sealWithPassphrase(passphrase, header, CHECK_LABEL, headerBytes(header), trusteeIdentitySecret(identity));
  return { ...header, ...sealed };
}

/** The public identity file of an identity (or of a public key read from a file). */
export function trusteeIdentityPublicJson(identity: TrusteeIdentity | TrusteeIdentityPublic): TrusteeIdentityPublicJson {
  return {
    format: TRUSTEE_IDENTITY_PUBLIC_FORMAT,
    version: TRUSTEE_IDENTITY_FILE_VERSION,
    publicKey: identity.publicKeyHex,
    fingerprint: identity.fingerprint,
  };
}

/** The public key and fingerprint of `o` (either file), checked against each other. */
function publicPart(o: Record<string, unknown>, root: string, kind: 'secret' | 'public'): TrusteeIdentityPublic {
  if (o.version !== TRUSTEE_IDENTITY_FILE_VERSION) throw new FormatError(`${root}.version`, `expected ${TRUSTEE_IDENTITY_FILE_VERSION}`);
  const publicKey = parseIdentityKey(o.publicKey, `${root}.publicKey`);
  const fingerprint = identityFingerprint(publicKey);
  if (o.fingerprint !== fingerprint)
    throw new FormatError(`${root}.fingerprint`, `not the fingerprint of publicKey (which is ${fingerprint})`);
  return Object.freeze({ publicKey, publicKeyHex: toHex(publicKey), fingerprint, kind });
}

/** True when `json` says it is an identity file, secret or public (its `format`). */
export function isTrusteeIdentityFile(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  const f = (json as Record<string, unknown>).format;
  return f === TRUSTEE_IDENTITY_FILE_FORMAT || f === TRUSTEE_IDENTITY_PUBLIC_FORMAT;
}

/**
 * The public key and fingerprint of a secret or public identity file, without any passphrase.
 * @throws FormatError naming the field (`identity.fingerprint`, …).
 */
export function parseTrusteeIdentityPublic(json: unknown): TrusteeIdentityPublic {
  const format = (json as { format?: unknown } | null)?.format;
  if (format === TRUSTEE_IDENTITY_PUBLIC_FORMAT)
    return publicPart(expectObject(json, 'identity', ['format', 'version', 'publicKey', 'fingerprint']), 'identity', 'public');
  if (format === TRUSTEE_IDENTITY_FILE_FORMAT) {
    const o = expectObject(json, 'identity', ['format', 'version', 'publicKey', 'fingerprint', 'kdf', 'aead', 'check', 'ciphertext']);
    return publicPart(o, 'identity', 'secret');
  }
  throw new FormatError('identity.format', `expected '${TRUSTEE_IDENTITY_FILE_FORMAT}' or '${TRUSTEE_IDENTITY_PUBLIC_FORMAT}'`);
}

/**
 * Decrypts a (secret) identity file with its passphrase and rebuilds the identity.
 * @throws FormatError (malformed file, or a public identity file: it holds no secret, naming the
 *   field); WrongPassphraseError; TamperedStateError (altered file, or a secret key that does not
 *   give the file's public key).
 */
export function importTrusteeIdentity(json: unknown, passphrase: string, opts: UnsealOptions = {}): TrusteeIdentity {
  const format = (json as { format?: unknown } | null)?.format;
  if (format === TRUSTEE_IDENTITY_PUBLIC_FORMAT)
    throw new FormatError('identity.format', 'a public identity file: it holds no secret key (give the identity file it was made with)');
  if (format !== TRUSTEE_IDENTITY_FILE_FORMAT) throw new FormatError('identity.format', `expected '${TRUSTEE_IDENTITY_FILE_FORMAT}'`);
  const o = expectObject(json, 'identity', ['format', 'version', 'publicKey', 'fingerprint', 'kdf', 'aead', 'check', 'ciphertext']);
  const pub = publicPart(o, 'identity', 'secret');
  const parts = parseSealedParts(o, 'identity', opts);
  const header: Omit<TrusteeIdentityFile, 'check' | 'ciphertext'> = {
    format: TRUSTEE_IDENTITY_FILE_FORMAT,
    version: TRUSTEE_IDENTITY_FILE_VERSION,
    publicKey: pub.publicKeyHex,
    fingerprint: pub.fingerprint,
    kdf: parts.kdf,
    aead: parts.aead,
  };
  const secret = unsealWithPassphrase(passphrase, parts, CHECK_LABEL, headerBytes(header), WHAT);
  if (secret.length !== 32) throw new TamperedStateError('the secret key is not 32 bytes', WHAT);
  const identity = new TrusteeIdentity(secret);
  if (identity.publicKeyHex !== pub.publicKeyHex) throw new TamperedStateError('the secret key is not the public key’s', WHAT);
  return identity;
}
