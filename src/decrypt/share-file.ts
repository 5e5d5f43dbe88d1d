/**
 * The decryption-share file a trustee publishes after `mjvote trustee decrypt` (docs/trustees.md):
 * its share message with what it decrypted, so that whoever combines the shares can tell a share
 * of this election's tally from a share of anything else.
 * ```
 * { "format": "mjvote-decryption-share", "version": 1, "election": id, "fingerprint": hex,
 *   "tallySha256": hex, "boardHead": hex, "message": DecryptionShareMessageJson }
 * ```
 * @module
 */
import { FormatError } from '../errors.js';
import { expectObject } from '../json/guards.js';
import type { CeremonyParams } from '../ceremony/params.js';
import type { DecryptionShareMessage } from './shares.js';
import { decryptionShareMessageToJson, parseDecryptionShareMessage, type DecryptionShareMessageJson } from './wire.js';

/** `format` of a decryption-share file. */
export const DECRYPTION_SHARE_FILE_FORMAT = 'mjvote-decryption-share';
/** `version` of a decryption-share file. */
export const DECRYPTION_SHARE_FILE_VERSION = 1;

/** Wire form of a decryption-share file. */
export interface DecryptionShareFileJson {
  format: typeof DECRYPTION_SHARE_FILE_FORMAT;
  version: typeof DECRYPTION_SHARE_FILE_VERSION;
  /** The election id. */
  election: string;
  /** The election fingerprint (hex). */
  fingerprint: string;
  /** canonicalSha256 of `tally.json`: the tally these shares decrypt. */
  tallySha256: string;
  /** The head of the sealed board the trustee checked. */
  boardHead: string;
  message: DecryptionShareMessageJson;
}

/** What a share file must be about. */
export interface DecryptionShareFileExpectation {
  readonly electionId: string;
  readonly fingerprintHex: string;
  readonly tallySha256: string;
}

/** What a share file says it decrypted: the election and tally (see {@link DecryptionShareFileJson}). */
export interface DecryptionShareFileSubject {
  readonly electionId: string;
  readonly fingerprintHex: string;
  readonly tallySha256: string;
  readonly boardHead: string;
}

/** The decryption-share file of `message` (the inverse of {@link parseDecryptionShareFile}). */
export function decryptionShareFileToJson<E>(
  params: CeremonyParams<E>,
  subject: DecryptionShareFileSubject,
  message: DecryptionShareMessage<E>,
): DecryptionShareFileJson {
  return {
    format: DECRYPTION_SHARE_FILE_FORMAT,
    version: DECRYPTION_SHARE_FILE_VERSION,
    election: subject.electionId,
    fingerprint: subject.fingerprintHex,
    tallySha256: subject.tallySha256,
    boardHead: subject.boardHead,
    message: decryptionShareMessageToJson(params, message),
  };
}

/** True when `json` says it is a decryption-share file (its `format`), whatever else it holds. */
export function isDecryptionShareFile(json: unknown): boolean {
  return (
    typeof json === 'object' &&
    json !== null &&
    !Array.isArray(json) &&
    (json as Record<string, unknown>).format === DECRYPTION_SHARE_FILE_FORMAT
  );
}

/**
 * Parses a decryption-share file of the ceremony `params` and checks that it is about the
 * expected election (id and fingerprint) and tally.
 * @throws FormatError naming the field (a share of another election or tally names `fingerprint` or `tallySha256`).
 */
export function parseDecryptionShareFile<E>(
  params: CeremonyParams<E>,
  json: unknown,
  expected: DecryptionShareFileExpectation,
  path = 'file',
): DecryptionShareMessage<E> {
  const w = expectObject(json, path, ['format', 'version', 'election', 'fingerprint', 'tallySha256', 'boardHead', 'message']);
  if (w.format !== DECRYPTION_SHARE_FILE_FORMAT) throw new FormatError(`${path}.format`, `expected "${DECRYPTION_SHARE_FILE_FORMAT}"`);
  if (w.version !== DECRYPTION_SHARE_FILE_VERSION) throw new FormatError(`${path}.version`, `expected ${DECRYPTION_SHARE_FILE_VERSION}`);
  if (w.election !== expected.electionId || w.fingerprint !== expected.fingerprintHex)
    throw new FormatError(`${path}.fingerprint`, 'shares of another election');
  if (w.tallySha256 !== expected.tallySha256) throw new FormatError(`${path}.tallySha256`, 'shares of another tally than tally.json');
  return parseDecryptionShareMessage(params, w.message, `${path}.message`);
}
