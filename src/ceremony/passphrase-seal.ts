/**
 * Sealing a secret under a passphrase, as trustee files do (state files, identity files): scrypt
 * derives 64 bytes from the passphrase, the first 32 key XChaCha20-Poly1305, the last 32 give a
 * check value that tells a wrong passphrase from an altered file.
 *
 * ```
 * "kdf":  { "name": "scrypt", "logN": 17, "r": 8, "p": 1, "salt": hex(32) }
 * "aead": { "name": "xchacha20poly1305", "nonce": hex(24) }
 * k          = scrypt(NFKC(passphrase), salt, N = 2^logN, r, p, dkLen = 64)
 * check      = HMAC-SHA-256(k[32..64], checkLabel)        (one label per file format)
 * ciphertext = XChaCha20-Poly1305(k[0..32], nonce, aad).encrypt(plaintext)
 * ```
 * `aad` is the file's public header (each format fixes its bytes), so an edited header fails
 * the AEAD. A wrong passphrase gives a wrong `check` ({@link WrongPassphraseError}; so does an
 * altered salt or cost, which cannot be told apart from a wrong passphrase); the right
 * passphrase with any other altered byte fails the AEAD ({@link TamperedStateError}).
 *
 * Cost: logN = 17 (128 MiB) by default; at least 15 without `allowWeakKdf` (tests only); at most
 * 20 on reading (it bounds the memory an untrusted file can make us allocate).
 * @module
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hmac } from '@noble/hashes/hmac.js';
import { scrypt } from '@noble/hashes/scrypt.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { FormatError } from '../errors.js';
import { bytesEqual, fromHex, randomBytes, toHex, utf8 } from '../bytes.js';
import { expectObject } from '../json/guards.js';
import { TamperedStateError, WrongPassphraseError } from './errors.js';

/** Default scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB). */
export const DEFAULT_SCRYPT_LOG_N = 17;
/** Lowest cost accepted without `allowWeakKdf`. */
export const MIN_SCRYPT_LOG_N = 15;
/** Highest cost accepted on reading (bounds the memory an untrusted file can make us allocate). */
export const MAX_SCRYPT_LOG_N = 20;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KDF_SALT_BYTES = 32;
const NONCE_BYTES = 24;

/** The `kdf` member of a sealed file. */
export interface ScryptHeader {
  name: 'scrypt';
  logN: number;
  r: number;
  p: number;
  salt: string;
}
/** The `aead` member of a sealed file. */
export interface AeadHeader {
  name: 'xchacha20poly1305';
  nonce: string;
}

/** Options of {@link sealingHeaders}. */
export interface SealOptions {
  /** scrypt cost log2(N); default {@link DEFAULT_SCRYPT_LOG_N}. */
  logN?: number;
  /** Allow logN below {@link MIN_SCRYPT_LOG_N} (tests only: such a file is cheap to brute-force). */
  allowWeakKdf?: boolean;
}

/** Options of {@link unsealWithPassphrase}. */
export interface UnsealOptions {
  /** Accept a file whose logN is below {@link MIN_SCRYPT_LOG_N} (tests only). */
  allowWeakKdf?: boolean;
}

/** Checks a scrypt cost. @throws FormatError naming `path` */
export function checkScryptLogN(logN: unknown, path: string, weak: boolean | undefined): number {
  const min = weak ? 1 : MIN_SCRYPT_LOG_N;
  if (typeof logN !== 'number' || !Number.isInteger(logN) || logN < min || logN > MAX_SCRYPT_LOG_N)
    throw new FormatError(
      path,
      `expected an integer in [${min}, ${MAX_SCRYPT_LOG_N}]${weak ? '' : ' (lower costs need allowWeakKdf, for tests only)'}`,
    );
  return logN;
}

/** k[0..32] (the AEAD key) and the check value, from the passphrase. */
export function derivePassphraseKeys(
  passphrase: string,
  salt: Uint8Array,
  logN: number,
  checkLabel: Uint8Array,
): { enc: Uint8Array; check: Uint8Array } {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new FormatError('passphrase', 'expected a non-empty string');
  const k = scrypt(utf8(passphrase.normalize('NFKC')), salt, {
    N: 2 ** logN,
    r: SCRYPT_R,
    p: SCRYPT_P,
    dkLen: 64,
    maxmem: 2 ** (logN + 10) + 2 ** 20,
  });
  return { enc: k.slice(0, 32), check: hmac(sha256, k.slice(32), checkLabel) };
}

/** Fresh `kdf` and `aead` headers (new salt and nonce) at the chosen cost. @throws FormatError for a bad cost */
export function sealingHeaders(opts: SealOptions = {}): { kdf: ScryptHeader; aead: AeadHeader } {
  const logN = checkScryptLogN(opts.logN ?? DEFAULT_SCRYPT_LOG_N, 'logN', opts.allowWeakKdf);
  return {
    kdf: { name: 'scrypt', logN, r: SCRYPT_R, p: SCRYPT_P, salt: toHex(randomBytes(KDF_SALT_BYTES)) },
    aead: { name: 'xchacha20poly1305', nonce: toHex(randomBytes(NONCE_BYTES)) },
  };
}

/** Seals `plaintext` under the passphrase with the given headers; `aad` is the file's public header bytes. */
export function sealWithPassphrase(
  passphrase: string,
  headers: { kdf: ScryptHeader; aead: AeadHeader },
  checkLabel: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
): { check: string; ciphertext: string } {
  const k = derivePassphraseKeys(passphrase, fromHex(headers.kdf.salt, 'kdf.salt', KDF_SALT_BYTES), headers.kdf.logN, checkLabel);
  const ciphertext = xchacha20poly1305(k.enc, fromHex(headers.aead.nonce, 'aead.nonce', NONCE_BYTES), aad).encrypt(plaintext);
  return { check: toHex(k.check), ciphertext: toHex(ciphertext) };
}

/** The checked `kdf` and `aead` members of a sealed file, and its `check` and `ciphertext`. */
export interface SealedParts {
  readonly kdf: ScryptHeader;
  readonly aead: AeadHeader;
  readonly salt: Uint8Array;
  readonly nonce: Uint8Array;
  readonly check: Uint8Array;
  readonly ciphertext: Uint8Array;
}

/**
 * Parses the sealing members of a file (`kdf`, `aead`, `check`, `ciphertext`) under `root`.
 * @throws FormatError naming the field (`identity.kdf.logN`, …).
 */
export function parseSealedParts(o: Record<string, unknown>, root: string, opts: UnsealOptions = {}): SealedParts {
  const kdf = expectObject(o.kdf, `${root}.kdf`, ['name', 'logN', 'r', 'p', 'salt']);
  if (kdf.name !== 'scrypt') throw new FormatError(`${root}.kdf.name`, "expected 'scrypt'");
  const logN = checkScryptLogN(kdf.logN, `${root}.kdf.logN`, opts.allowWeakKdf);
  if (kdf.r !== SCRYPT_R) throw new FormatError(`${root}.kdf.r`, `expected ${SCRYPT_R}`);
  if (kdf.p !== SCRYPT_P) throw new FormatError(`${root}.kdf.p`, `expected ${SCRYPT_P}`);
  const salt = fromHex(kdf.salt, `${root}.kdf.salt`, KDF_SALT_BYTES);
  const aead = expectObject(o.aead, `${root}.aead`, ['name', 'nonce']);
  if (aead.name !== 'xchacha20poly1305') throw new FormatError(`${root}.aead.name`, "expected 'xchacha20poly1305'");
  const nonce = fromHex(aead.nonce, `${root}.aead.nonce`, NONCE_BYTES);
  const check = fromHex(o.check, `${root}.check`, 32);
  const ciphertext = fromHex(o.ciphertext, `${root}.ciphertext`);
  if (ciphertext.length < 16) throw new FormatError(`${root}.ciphertext`, 'shorter than the AEAD tag');
  return {
    kdf: { name: 'scrypt', logN, r: SCRYPT_R, p: SCRYPT_P, salt: toHex(salt) },
    aead: { name: 'xchacha20poly1305', nonce: toHex(nonce) },
    salt,
    nonce,
    check,
    ciphertext,
  };
}

/**
 * Opens what {@link sealWithPassphrase} sealed. `what` names the file kind in the errors.
 * @throws WrongPassphraseError (wrong passphrase, or altered salt or cost); TamperedStateError
 *   (the right passphrase, but the header or ciphertext was altered).
 */
export function unsealWithPassphrase(
  passphrase: string,
  parts: SealedParts,
  checkLabel: Uint8Array,
  aad: Uint8Array,
  what?: string,
): Uint8Array {
  const k = derivePassphraseKeys(passphrase, parts.salt, parts.kdf.logN, checkLabel);
  if (!bytesEqual(k.check, parts.check)) throw new WrongPassphraseError(what);
  try {
    return xchacha20poly1305(k.enc, parts.nonce, aad).decrypt(parts.ciphertext);
  } catch {
    throw new TamperedStateError('authentication failed', what);
  }
}
