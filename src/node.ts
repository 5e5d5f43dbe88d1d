/**
 * mjvote for Node: everything in the browser-safe entry (`mjvote`) plus the parts that need
 * `node:fs` — the append-only, hash-chained ballot box (board) file.
 * @module
 */
export * from './index.js';
export { openLog, BoardLog } from './board/log.js';
export type { OpenLogOptions, OpenedLog, Recovery, NewEntry } from './board/log.js';
export { readEntries, verifyBoard, EntryReader } from './board/reader.js';
export type { ReadEntriesOptions, BoardSummary } from './board/reader.js';
export { BoardCorruptError } from './board/errors.js';
export type { BoardCorruptionDetails } from './board/errors.js';
export {
  BOARD_VERSION,
  ENTRY_HASH_DOMAIN,
  GENESIS_DOMAIN,
  DEFAULT_MAX_LINE_BYTES,
  SEAL_FIELDS,
  genesisHash,
  entryHash,
  serializeEntry,
} from './board/chain.js';
export type { BoardEntry, EntryReceipt, EntryFields, SealInfo } from './board/chain.js';
export { defineLifecycle, MJVOTE_LIFECYCLE, KIND_RE } from './board/lifecycle.js';
export type { Lifecycle, LifecycleStep, LifecycleSpec, Repeat } from './board/lifecycle.js';
export { canonicalJson, MAX_JSON_DEPTH } from './json/canonical.js';
export type { JsonValue, JsonObject } from './json/canonical.js';
export type { TornTail, TornReason } from './board/scanner.js';
export type { LockOwner } from './board/lock.js';
export { BallotBox, BallotBoxError, ELECTION_LIFECYCLE } from './board/ballot-box.js';
export { canonicalSha256 } from './json/canonical.js';
export type { CastResult, CastRejection, BallotBoxOptions } from './board/ballot-box.js';
export { RECORD_FILES, RECORD_FORMAT, RECORD_VERSION, writeJsonFile } from './record/files.js';
export type { RecordIndexJson } from './record/files.js';
export { runDemoElection, runCeremony, demoManifest } from './demo/simulate.js';
export { tallyDecryptionContext, flattenTally } from './decrypt/tally.js';
export type { DemoOptions, DemoReport } from './demo/simulate.js';
export { verifyRecord, CHECKS, RecordUnreadableError, verificationReportToJson } from './verify/index.js';
export type { VerifyOptions, VerifyProgress, VerificationReport, CheckReport, CheckNumber, CheckName, CheckStatus, VerificationFailure, RecomputedResult } from './verify/index.js';
