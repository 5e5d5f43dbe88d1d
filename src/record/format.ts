/**
 * The election record's format: its name, versions, and the file name of each role inside the
 * record (specified in docs/record.md). Browser-safe: the verifier reads records from any
 * `RecordStore` (a directory, a web server, files a user picked).
 *
 * | file | content |
 * |---|---|
 * | `record.json` | `{format: "mjvote-record", version: 2, electionId, group, boardHead, files}`: the index |
 * | `manifest.json` | the manifest (its canonical bytes are hashed into the fingerprint) |
 * | `ceremony.json` | the trustees' key-ceremony transcript (docs/ceremony.md) |
 * | `credentials.json` | the public credential list (docs/ballot.md) |
 * | `board.jsonl` | the hash-chained ballot box (docs/board.md): setup … result |
 * | `tally.json` | the encrypted tally (the board's `tally` payload) |
 * | `decryption-shares.json` | the trustees' decryption-share messages (the board's `decryption-share` payloads) |
 * | `result.json` | merit profiles and ranking (the board's `result` payload) |
 * @module
 */
/** The record format's name (`record.json`'s `format`). */
export const RECORD_FORMAT = 'mjvote-record';
/**
 * The record format's version written by this release (`record.json`'s `version`): 2, the
 * record of an election whose manifest (version 2) names its trustees' identity keys. A
 * record's version is its manifest's version (docs/record.md §4).
 */
export const RECORD_VERSION = 2;
/** Every record version this release reads: version-1 records (unauthenticated trustees) keep verifying. */
export const RECORD_VERSIONS: readonly (1 | 2)[] = [1, 2];

/** File names inside a record directory. */
export const RECORD_FILES = Object.freeze({
  index: 'record.json',
  manifest: 'manifest.json',
  ceremony: 'ceremony.json',
  credentials: 'credentials.json',
  board: 'board.jsonl',
  tally: 'tally.json',
  decryptionShares: 'decryption-shares.json',
  result: 'result.json',
});

/** `record.json`. */
export interface RecordIndexJson {
  /** Always `mjvote-record`. */
  format: typeof RECORD_FORMAT;
  /** The manifest's version: 2 (this release's) or 1. */
  version: 1 | 2;
  /** The manifest's election id. */
  electionId: string;
  /** The manifest's group id. */
  group: string;
  /** The board's final head hash (hex): pins the whole board. */
  boardHead: string;
  /** The file name of each role (this release writes the default names). */
  files: typeof RECORD_FILES;
}
