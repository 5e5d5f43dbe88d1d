/**
 * mjvote: verifiable online elections decided by majority judgment. This is the browser-safe
 * entry (it verifies records too, from a web server or files a user picked); `mjvote/node` adds
 * what needs files (the ballot box, records in directories, the demo).
 *
 * The exports are grouped by who uses them: a vote platform (define the election, register
 * voters, encrypt and check ballots, tally), a trustee (the key ceremony, the decryption of the
 * tally), anyone (the majority-judgment ranking), and the primitives underneath (for research
 * and for independent implementations). Everything else in the source tree is internal.
 * The exported surface is recorded in `api/mjvote.api.md`.
 * @module
 */

// ---- Errors: every error mjvote throws on purpose, with a stable code ----
export { MjvoteError, FormatError, ProofError, ProtocolError, BoundError } from './errors.js';
export type { MjvoteErrorCode, ProtocolErrorCode } from './errors.js';

// ---- Groups ----
export type { Group, FixedBase, ScalarField, DecodeOptions } from './group/group.js';
export { ristretto255, RistrettoPoint, ristretto255Backend, initRistretto255 } from './group/ristretto255.js';
export type { Ristretto255Backend } from './group/ristretto255.js';
export { groupById, listGroups, DEFAULT_GROUP_ID, electionGuard4096, electionGuard3072, belenios2048, helios2048 } from './group/index.js';
export type { ProductionGroupOptions } from './group/index.js';
export type { ModpGroup } from './group/modp.js';
export type { ModpParams } from './group/params.js';

// ---- Platform: the election, its voters' credentials, ballots, the tally ----
export {
  parseManifest,
  manifestToJson,
  manifestBytes,
  MIN_GRADES,
  MAX_GRADES,
  MAX_CANDIDATES,
  MAX_TRUSTEES,
  MAX_TEXT_LENGTH,
  MANIFEST_VERSION,
  MAX_TRANSLATIONS,
  manifestLabels,
} from './election/manifest.js';
export type { Manifest, Candidate, TrusteeParameters, ParseManifestOptions, ManifestTranslation } from './election/manifest.js';
export { createElection, parseElection, electionToJson } from './election/election.js';
export type { Election, ElectionJson, ElectionKeys, ElectionOptions } from './election/election.js';
export {
  Credential,
  CredentialCodeError,
  generateCredential,
  generateCredentialCode,
  credentialFromCode,
  checkCredentialCode,
  correctCredentialCode,
  parseCredentialCode,
  createCredentialList,
  parseCredentialList,
  credentialListToJson,
  CODE_SYMBOLS,
  CODE_GROUP_SIZE,
} from './election/credential.js';
export type {
  CredentialCodeCheck,
  CredentialCodeCorrection,
  CredentialCodeProblem,
  CredentialList,
  CredentialListJson,
} from './election/credential.js';
export { encryptBallot, BallotHandle } from './ballot/encrypt.js';
export type { EncryptBallotOptions, BallotHandleState } from './ballot/encrypt.js';
export type { Ballot, BallotAnswer } from './ballot/ballot.js';
export { ballotToJson } from './ballot/json.js';
export type { BallotJson, BallotAnswerJson } from './ballot/json.js';
export { parseBallot } from './ballot/parse.js';
export { parseTrackingCode } from './ballot/hash.js';
export { checkBallot, checkBallotJson } from './ballot/check.js';
export type { BallotCheck, BallotRejection, CheckBallotOptions } from './ballot/check.js';
export { openingToJson, parseOpening, checkOpening } from './ballot/opening.js';
export type { BallotOpening, BallotOpeningJson, OpeningCheck } from './ballot/opening.js';
export { TallyAccumulator, encryptedTallyToJson, parseEncryptedTally } from './tally/aggregate.js';
export type { EncryptedTally, EncryptedTallyJson } from './tally/aggregate.js';
export { electionResult } from './record/result.js';
export type { ElectionResultJson } from './record/result.js';
// The ballot box's signed receipts: the box signs them, the booth and the verifier check them.
export { ballotReceipt, parseBallotReceipt, verifyBallotReceiptSignature, RECEIPT_VERSION } from './board/receipt.js';
export type { BallotReceipt, BallotReceiptJson, ReceiptElection, ReceiptEntry, ReceiptBallot } from './board/receipt.js';
export { BallotBoxKey, generateBallotBoxKey, RECEIPT_SIGNATURE_DOMAIN } from './board/box-key.js';
// The ballot box's stateless check of submitted ballots (any thread; the server runs it on workers).
export { checkBallotTexts, maxBallotTextLength } from './server/checker.js';
export type { BallotCheckOutcome, BallotAccepted, BallotRefused, BallotKeys, CheckBallotsOptions } from './server/checker.js';

// ---- Trustees: the t-of-n key ceremony, the decryption of the tally ----
export {
  TrusteeIdentity,
  generateTrusteeIdentity,
  identityFingerprint,
  parseIdentityKey,
  verifyIdentitySignature,
  IDENTITY_KEY_BYTES,
} from './election/trustee-identity.js';
export {
  exportTrusteeIdentity,
  importTrusteeIdentity,
  trusteeIdentityPublicJson,
  parseTrusteeIdentityPublic,
  isTrusteeIdentityFile,
  TRUSTEE_IDENTITY_FILE_FORMAT,
  TRUSTEE_IDENTITY_PUBLIC_FORMAT,
  TRUSTEE_IDENTITY_FILE_VERSION,
} from './ceremony/identity-file.js';
export type { TrusteeIdentityFile, TrusteeIdentityPublicJson, TrusteeIdentityPublic } from './ceremony/identity-file.js';
export type { SealOptions, UnsealOptions, ScryptHeader, AeadHeader } from './ceremony/passphrase-seal.js';
export { ceremonyParams, ceremonyParamsForManifest, manifestSha256 } from './ceremony/params.js';
export type { CeremonyParams, CeremonyParamsOptions, CeremonyBinding } from './ceremony/params.js';
export { beginCeremony, TrusteeRound1, TrusteeRound2, TrusteeRound3, TrusteeRound4 } from './ceremony/trustee.js';
export type { BeginCeremonyOptions, TrusteeRoundNumber, TrusteeRoundState, TrusteeState } from './ceremony/trustee.js';
export { TrusteeKey } from './ceremony/trustee-key.js';
export type { DecryptedTally } from './ceremony/trustee-key.js';
export { collectCeremonyMessages, taggedMessages, checkEquivocation } from './ceremony/signatures.js';
export type { AnyCeremonyMessage, CeremonyMessageKind, CollectedMessages, Equivocation, SignedMessageKind } from './ceremony/signatures.js';
export type { CommitmentMessage, RevealMessage, EncryptedShare, Complaint } from './ceremony/messages.js';
export {
  commitmentMessageToJson,
  parseCommitmentMessage,
  revealMessageToJson,
  parseRevealMessage,
  encryptedShareToJson,
  parseEncryptedShare,
  complaintToJson,
  parseComplaint,
} from './ceremony/wire.js';
export type { CommitmentMessageJson, RevealMessageJson, EncryptedShareJson, ComplaintJson } from './ceremony/wire.js';
export { CeremonyFailedError } from './ceremony/outcome.js';
export type {
  CeremonyMessages,
  CeremonyJudgement,
  CeremonyResult,
  ComplaintOutcome,
  ComplaintVerdict,
  Disqualification,
  DisqualificationCode,
} from './ceremony/outcome.js';
export {
  buildCeremonyTranscript,
  ceremonyTranscriptToJson,
  parseCeremonyTranscript,
  verifyCeremonyTranscript,
  electionKeysFromTranscript,
  CEREMONY_TRANSCRIPT_FORMAT,
  CEREMONY_TRANSCRIPT_VERSION,
} from './ceremony/transcript.js';
export type {
  CeremonyTranscript,
  CeremonyTranscriptJson,
  EquivocationJson,
  CeremonyResultJson,
  DisqualificationJson,
  CeremonyCheckFailure,
  CeremonyVerification,
} from './ceremony/transcript.js';
export { exportTrusteeState, importTrusteeState, TRUSTEE_STATE_FORMAT, TRUSTEE_STATE_VERSION } from './ceremony/state-file.js';
export { WrongPassphraseError, TamperedStateError } from './ceremony/errors.js';
export type { TrusteeStateFile, TrusteeStateRound, ExportOptions, ImportOptions } from './ceremony/state-file.js';
export { decryptionShares, isDecryptionShareSigned } from './decrypt/shares.js';
export type { DecryptionShare, DecryptionShareMessage } from './decrypt/shares.js';
export { decryptionShareMessageToJson, parseDecryptionShareMessage } from './decrypt/wire.js';
export type { DecryptionShareMessageJson } from './decrypt/wire.js';
export {
  parseDecryptionShareFile,
  decryptionShareFileToJson,
  isDecryptionShareFile,
  DECRYPTION_SHARE_FILE_FORMAT,
  DECRYPTION_SHARE_FILE_VERSION,
} from './decrypt/share-file.js';
export type { DecryptionShareFileJson, DecryptionShareFileExpectation, DecryptionShareFileSubject } from './decrypt/share-file.js';
export { combineDecryptionShares, InsufficientSharesError } from './decrypt/combine.js';
export type { CombinedDecryption, InvalidShare, InvalidShareCode } from './decrypt/combine.js';
export { tallyDecryptionContext, flattenTally } from './decrypt/tally.js';

// ---- Auditors: the universal verifier, on a record from anywhere (docs/verification.md) ----
export { verifyRecordFrom } from './verify/verifier.js';
export type { VerifyOptions, VerifyProgress } from './verify/verifier.js';
export type { GivenReceipt } from './verify/receipts.js';
export {
  CHECKS,
  verificationReportToJson,
  TRACKING_CODE_ADVICE,
  RECEIPT_ADVICE,
  RECEIPTS_CHECK,
  UNAUTHENTICATED_TRUSTEES_NOTE,
} from './verify/report.js';
export type {
  CheckNumber,
  CheckName,
  CheckStatus,
  CheckReport,
  VerificationFailure,
  VerificationReport,
  RecomputedResult,
  TrackingCodeReport,
  TrackingCodeStatus,
  ReceiptReport,
  ReceiptStatus,
  TrusteeIdentityReport,
} from './verify/report.js';
export { webVerifyWorkers } from './verify/web-workers.js';
export type { VerifyWorker, VerifyWorkerFactory } from './verify/chunk-worker.js';
// Where a record's files come from: a web server, files picked in a page, or your own store.
export { RecordUnreadableError } from './record/store.js';
export type { RecordStore, StoreResult, ByteStream, ByteRange } from './record/store.js';
export { httpRecordStore } from './record/http-store.js';
export type { HttpRecordStoreOptions } from './record/http-store.js';
export { fileRecordStore } from './record/file-store.js';
export type { PickedFile } from './record/file-store.js';
export { RECORD_FILES, RECORD_FORMAT, RECORD_VERSION, RECORD_VERSIONS } from './record/format.js';
export type { RecordIndexJson } from './record/format.js';
export { MAX_JSON_FILE_BYTES } from './record/record-source.js';

// ---- Anyone: the majority-judgment ranking and its chart ----
export { rank } from './mj/rank.js';
export type { RankOptions, MjResult, CandidateResult, Share, Mention } from './mj/rank.js';
export { MJ_RULES } from './mj/rules.js';
export type { MjRule } from './mj/rules.js';
export type { MissingPolicy } from './mj/missing.js';
export type { VoteCount, CandidateProfile, ProfilesInput } from './mj/profile.js';
export type { Fraction } from './mj/fraction.js';
export { parseProfilesJson, mjResultToJson } from './mj/json.js';
export type { ProfilesFile, MjResultJson, CandidateResultJson, ShareJson, FractionJson } from './mj/json.js';
export { meritProfileSvg, gradeColors } from './mj/svg.js';
export type { MeritProfileSvgOptions } from './mj/svg.js';

// ---- Primitives: exponential ElGamal, proofs and their batch verification ----
export { generateKeyPair, publicKey, encrypt, decrypt, sumCiphertexts, DiscreteLogTable } from './elgamal.js';
export type { Ciphertext, KeyPair, PublicKey } from './elgamal.js';
export { contextBytes } from './hash.js';
export type { ProveOptions } from './proofs/nonces.js';
export { proveZeroOne, proveRange, verifyRange, rangeEquations } from './proofs/disjunctive.js';
export type { DisjunctiveProof, DisjunctiveBranch, RangeStatement } from './proofs/disjunctive.js';
export type { DleqProof } from './proofs/chaum-pedersen.js';
export type { SchnorrProof } from './proofs/schnorr.js';
export type { Equation, Term } from './proofs/equation.js';
export { BatchVerifier } from './proofs/batch.js';
export type { BatchOptions, BatchResult } from './proofs/batch.js';
export type { CiphertextJson, DisjunctiveBranchJson, DleqProofJson, SchnorrProofJson } from './proofs/wire.js';
