/**
 * mjvote for Node: everything in the browser-safe entry (`mjvote`, the same code: the two
 * entries share their modules, so `instanceof` works across them) plus what needs files — the
 * append-only, hash-chained ballot box, the board reader, the election record in a directory and
 * its universal verifier on worker threads, and the simulated election of `mjvote demo`.
 * The exported surface is recorded in `api/mjvote-node.api.md`.
 * @module
 */
export * from './index.js';

// ---- Platform: the ballot box and its board ----
export { BallotBox, BallotBoxError } from './board/ballot-box.js';
export type { Recovery } from './board/log.js';
export { canonicalSha256 } from './json/canonical.js';
export type { JsonValue, JsonObject } from './json/canonical.js';
export type {
  BallotBoxOptions,
  CreateBallotBoxOptions,
  OpenBallotBoxOptions,
  BoardCheckpoint,
  CastResult,
  CastRejection,
  CastOptions,
  PrecheckedBallot,
  BoxTracking,
} from './board/ballot-box.js';
export { BOX_KEY_FILE } from './board/box-key.js';
export { readEntries, verifyBoard } from './board/reader.js';
export type { EntryReader, ReadEntriesOptions, BoardSummary } from './board/reader.js';
export type { BoardEntry, EntryReceipt, SealInfo } from './board/chain.js';
export type { Lifecycle, LifecycleStep, Repeat } from './board/lifecycle.js';
export type { TornTail, TornReason } from './board/scanner.js';
export { BoardCorruptError } from './board/errors.js';
export type { BoardCorruptionDetails } from './board/errors.js';

// ---- The election record in a directory ----
export { openRecord, readRecordIndex } from './record/reader.js';
export type { RecordSource, RecordIndex, RecordRole, OpenRecordOptions, JsonFileRead } from './record/reader.js';
export { directoryRecordStore } from './record/directory-store.js';

// ---- Auditors: the universal verifier on a directory, with worker threads ----
export { verifyRecord } from './verify/verify-record.js';
export { nodeVerifyWorkers } from './verify/node-workers.js';

// ---- The simulated election of `mjvote demo` ----
// ---- The election authority: an election directory from open to publish, voter registration ----
export {
  openElection,
  readElectionDirectory,
  checkElectionInputs,
  castBallots,
  closeElection,
  tallyElection,
  publishElection,
  electionStatus,
  withBallotBox,
  readBoxKey,
  PRIVATE_DIR,
  openBallotBox,
  saveCheckpoint,
  ElectionDirectoryError,
  CHECKPOINT_FILE,
} from './authority/election-directory.js';
export type {
  ElectionDirectory,
  ElectionDirectoryOptions,
  CastAnswer,
  MalformedLine,
  AuditAnswer,
  Publication,
  ElectionStatus,
  StepOptions,
} from './authority/election-directory.js';
export { registerVoters, parseVoterList, numberedVoters, deliveryCsv, MAX_VOTERS, MAX_VOTER_ID_LENGTH } from './authority/register.js';
export type { Delivery, Registration } from './authority/register.js';

// ---- The ballot box as an HTTP service (mjvote serve; docs/server.md) ----
export { BallotBoxService, BallotBoxServiceError } from './server/service.js';
export type {
  BallotBoxServiceOptions,
  SubmitAnswer,
  AuditSubmitAnswer,
  TrackingAnswer,
  ElectionInfo,
  BoardLine,
  CredentialAnswer,
} from './server/service.js';
export { ballotBoxHandler, defaultMaxBodyBytes, byteRange, BALLOT_BOX_ROUTES, BALLOT_REFUSAL_STATUS } from './server/handler.js';
export type { HandlerOptions, AccessLogLine } from './server/handler.js';
export { serveBallotBox, nodeRequestListener, ADMIN_TOKEN_FILE, SERVER_FILE } from './server/node-http.js';
export type { ServeOptions, RunningBallotBox, FetchHandler, ServerFileJson } from './server/node-http.js';
export { adminHandler } from './server/admin.js';
export { loadPages, defaultPagesDir, PAGES_CSP } from './server/pages.js';
export { recordArchive } from './server/record-archive.js';
export type { RecordArchive } from './server/record-archive.js';
export type { Pages } from './server/pages.js';
export { BallotCheckerPool } from './server/checker-pool.js';
export type { CheckerPoolOptions } from './server/checker-pool.js';
export type { CheckerBackend } from './server/checker.js';

export { runDemoElection } from './demo/simulate.js';
export type { DemoOptions, DemoReport } from './demo/simulate.js';
