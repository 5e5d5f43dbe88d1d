/**
 * The ballot box's own key: the Ed25519 (RFC 8032) key pair with which the box signs the
 * receipts it gives voters (`receipt.ts`). Its public key is published in the board's `setup`
 * entry (`receiptKey`), so a receipt is evidence against the box that signed it.
 *
 * ```
 * box-key.json (SECRET, in the election directory, mode 600, never published):
 * { "format": "mjvote-box-key", "version": 1, "electionId": "…",
 *   "publicKey": hex(32), "secretKey": hex(32) }
 * ```
 * The secret sits unencrypted, like a TLS server's key: the box signs without a person at hand.
 * On reading, `secretKey` must give `publicKey`. A stolen key lets its holder forge receipts
 * (false accusations of a box that dropped ballots), never add a ballot (SECURITY.md).
 *
 * The key signs nothing but receipts: its one signing function prefixes the receipt domain tag.
 * The key pair, the strict verification and the refusal of non-canonical or small-order public
 * keys are those of the trustees' identity keys (`election/trustee-identity.ts`). Browser-safe.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { FormatError } from '../errors.js';
import { bytesEqual, concatBytes, fromHex, toHex, utf8 } from '../bytes.js';
import { expectObject } from '../json/guards.js';
import { IDENTITY_KEY_BYTES, parseIdentityKey } from '../election/trustee-identity.js';
import { checkElectionId } from './chain.js';

/** `format` of a box key file. */
export const BOX_KEY_FILE_FORMAT = 'mjvote-box-key';
/** `version` of a box key file. */
export const BOX_KEY_FILE_VERSION = 1;
/** The box key file's name inside an election directory. */
export const BOX_KEY_FILE = 'private/box-key.json';

const SECRETS = new WeakMap<BallotBoxKey, Uint8Array>();

/**
 * The ballot box's receipt-signing key pair. The secret key is held outside the object (a
 * module WeakMap): `toJSON` and `String()` show the public key only, so logging the key object
 * does not leak it.
 */
export class BallotBoxKey {
  /** The public key in lowercase hex (the setup entry's `receiptKey`). */
  readonly publicKeyHex: string;
  readonly #publicKey: Uint8Array;

  /** @internal Use {@link generateBallotBoxKey} or {@link parseBallotBoxKeyFile}. */
  constructor(secretKey: Uint8Array) {
    if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32) throw new TypeError('expected a 32-byte Ed25519 secret key');
    const secret = secretKey.slice();
    this.#publicKey = ed25519.getPublicKey(secret);
    this.publicKeyHex = toHex(this.#publicKey);
    SECRETS.set(this, secret);
    Object.freeze(this);
  }

  /** The Ed25519 public key (32 bytes; a copy on every read). */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  /** Public data only. */
  toJSON(): { kind: 'ballot-box-key'; publicKey: string } {
    return { kind: 'ballot-box-key', publicKey: this.publicKeyHex };
  }

  /** The public key only. */
  toString(): string {
    return `BallotBoxKey(${this.publicKeyHex})`;
  }
}

/**
 * Domain tag of a receipt signature: the signed bytes are `UTF-8("mjvote-v1-receipt\0")` followed by
 * the UTF-8 canonical JSON of the receipt without its `signature` (docs/record.md §5).
 */
export const RECEIPT_SIGNATURE_DOMAIN = 'mjvote-v1-receipt\0';
const RECEIPT_PREFIX = utf8(RECEIPT_SIGNATURE_DOMAIN);

/** The bytes a receipt signature signs: the domain tag, then `body` (the canonical JSON of the receipt without its signature). */
export function receiptSignedBytes(body: string): Uint8Array {
  return concatBytes(RECEIPT_PREFIX, utf8(body));
}

/**
 * @internal The box key's only use: an Ed25519 signature (RFC 8032, deterministic) of
 * {@link receiptSignedBytes}`(body)`. The key signs nothing but receipt-tagged bytes; `ballotReceipt`
 * (`receipt.ts`) is its caller.
 */
export function signReceiptBody(key: BallotBoxKey, body: string): Uint8Array {
  const secret = SECRETS.get(key);
  if (secret === undefined) throw new TypeError('not a BallotBoxKey');
  return ed25519.sign(receiptSignedBytes(body), secret);
}

/** A new box key pair from the platform CSPRNG. */
export function generateBallotBoxKey(): BallotBoxKey {
  return new BallotBoxKey(ed25519.utils.randomSecretKey());
}

/** The wire form of a box key file (SECRET: it holds the secret key). */
export interface BallotBoxKeyFile {
  format: typeof BOX_KEY_FILE_FORMAT;
  version: typeof BOX_KEY_FILE_VERSION;
  electionId: string;
  publicKey: string;
  secretKey: string;
}

/**
 * The box key file's content, **secret key included**: for the one writer of `box-key.json`
 * (`openElection`, mode 600). Nothing else should serialize a box key.
 */
export function ballotBoxKeyFileToJson(key: BallotBoxKey, electionId: string): BallotBoxKeyFile {
  const secret = SECRETS.get(key);
  if (secret === undefined) throw new TypeError('not a BallotBoxKey');
  return {
    format: BOX_KEY_FILE_FORMAT,
    version: BOX_KEY_FILE_VERSION,
    electionId: checkElectionId(electionId),
    publicKey: key.publicKeyHex,
    secretKey: toHex(secret),
  };
}

/**
 * Parses a box key file: exact fields, `format` and `version`, an election id, a valid public
 * key (canonical, not of small order) and a secret key that gives it.
 * @throws FormatError naming the field (`label.publicKey`, …); the secret key never appears in a
 *   message.
 */
export function parseBallotBoxKeyFile(json: unknown, label = BOX_KEY_FILE): { electionId: string; key: BallotBoxKey } {
  const o = expectObject(json, label, ['format', 'version', 'electionId', 'publicKey', 'secretKey']);
  if (o.format !== BOX_KEY_FILE_FORMAT) throw new FormatError(`${label}.format`, `expected "${BOX_KEY_FILE_FORMAT}"`);
  if (o.version !== BOX_KEY_FILE_VERSION) throw new FormatError(`${label}.version`, `expected ${BOX_KEY_FILE_VERSION}`);
  const electionId = checkElectionId(o.electionId, `${label}.electionId`);
  const publicKey = parseIdentityKey(o.publicKey, `${label}.publicKey`);
  let secret: Uint8Array;
  try {
    secret = fromHex(o.secretKey, `${label}.secretKey`, 32);
  } catch {
    // fromHex's message is about the format only, but say nothing of the value.
    throw new FormatError(`${label}.secretKey`, 'expected 64 lowercase hex digits');
  }
  const key = new BallotBoxKey(secret);
  secret.fill(0);
  if (!bytesEqual(key.publicKey, publicKey))
    throw new FormatError(`${label}.secretKey`, 'does not give the publicKey of the file: the file was altered or mixed up');
  return { electionId, key };
}

/** Bytes of a box public key (an Ed25519 public key). */
export const BOX_KEY_BYTES = IDENTITY_KEY_BYTES;
