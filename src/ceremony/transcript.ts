/**
 * The public transcript of a ceremony: every message of every round and the outcome (qualified
 * set, disqualifications, complaint verdicts, joint key, verification keys). Anyone can check it
 * with {@link verifyCeremonyTranscript}, which recomputes the outcome from the messages alone.
 *
 * Wire form (`docs/ceremony.md` has the field-by-field description):
 * ```
 * version 1: { "format": "mjvote-ceremony-transcript", "version": 1, "group", "ceremony", "n", "t",
 *              "commitments": [..], "reveals": [..], "shares": [..], "complaints": [..], "result": {..} }
 * version 2: { "format", "version": 2, "group", "ceremony", "n", "t", "manifestSha256", "identities",
 *              "commitments", "reveals", "shares", "complaints", "equivocations": [..], "result" }
 * ```
 * A version-2 transcript is that of a version-2 ceremony: every message carries its sender's
 * identity signature, and `equivocations` holds the evidence against trustees who signed two
 * different messages for one slot: `{trustee, kind, messages: [m1, m2]}` (`signatures.ts`).
 * @module
 */
import { FormatError, MjvoteError } from '../errors.js';
import { typeName } from '../bytes.js';
import type { Group } from '../group/group.js';
import { expectArray, expectObject } from '../json/guards.js';
import type { CommitmentMessage, Complaint, EncryptedShare, RevealMessage } from './messages.js';
import {
  adjudicateCeremony,
  DISQUALIFICATION_CODES,
  type CeremonyMessages,
  type CeremonyResult,
  type ComplaintOutcome,
  type ComplaintVerdict,
  type Disqualification,
  type DisqualificationCode,
} from './outcome.js';
import { ceremonyHeaderToJson, parseCeremonyHeader, parseTrusteeIndex, type CeremonyParams, type CeremonyParamsOptions } from './params.js';
import {
  checkEquivocation,
  isSignedBySender,
  messageSlot,
  taggedMessages,
  type AnyCeremonyMessage,
  type CeremonyMessageKind,
  type Equivocation,
} from './signatures.js';
import {
  commitmentMessageToJson,
  complaintToJson,
  encryptedShareToJson,
  parseCommitmentMessage,
  parseComplaint,
  parseEncryptedShare,
  parseRevealMessage,
  revealMessageToJson,
  type CommitmentMessageJson,
  type ComplaintJson,
  type EncryptedShareJson,
  type RevealMessageJson,
} from './wire.js';

/** `format` field of a transcript. */
export const CEREMONY_TRANSCRIPT_FORMAT = 'mjvote-ceremony-transcript';
/** `version` field of a transcript written by this release for a version-2 ceremony (version 1 ceremonies: 1). */
export const CEREMONY_TRANSCRIPT_VERSION = 2;

/** Wire form of a {@link Disqualification} (`recipient` null when no other trustee is involved). */
export interface DisqualificationJson {
  trustee: number;
  code: DisqualificationCode;
  recipient: number | null;
  reason: string;
}
/** Wire form of a {@link CeremonyResult}. */
export interface CeremonyResultJson {
  qualified: number[];
  disqualified: DisqualificationJson[];
  complaints: ComplaintOutcome[];
  jointPublicKey: string;
  verificationKeys: { trustee: number; key: string }[];
}
/** Wire form of an {@link Equivocation}. */
export interface EquivocationJson {
  trustee: number;
  kind: CeremonyMessageKind;
  messages: [unknown, unknown];
}
/** Wire form of a {@link CeremonyTranscript}. */
export interface CeremonyTranscriptJson {
  format: typeof CEREMONY_TRANSCRIPT_FORMAT;
  version: 1 | 2;
  group: string;
  ceremony: string;
  n: number;
  t: number;
  /** Version 2. */
  manifestSha256?: string;
  /** Version 2. */
  identities?: string[];
  commitments: CommitmentMessageJson[];
  reveals: RevealMessageJson[];
  shares: EncryptedShareJson[];
  complaints: ComplaintJson[];
  /** Version 2. */
  equivocations?: EquivocationJson[];
  result: CeremonyResultJson;
}

/** The public record of a ceremony. */
export interface CeremonyTranscript<E> extends CeremonyMessages<E> {
  readonly params: CeremonyParams<E>;
  readonly commitments: readonly CommitmentMessage<E>[];
  readonly reveals: readonly RevealMessage<E>[];
  readonly shares: readonly EncryptedShare<E>[];
  readonly complaints: readonly Complaint<E>[];
  /** Version 2: evidence of equivocation (empty in version 1). */
  readonly equivocations: readonly Equivocation<E>[];
  /** The published outcome (recomputed by {@link buildCeremonyTranscript}; as read by the parser). */
  readonly result: CeremonyResult<E>;
  /** The wire form. */
  toJson(): CeremonyTranscriptJson;
}

function makeTranscript<E>(params: CeremonyParams<E>, msgs: CeremonyMessages<E>, result: CeremonyResult<E>): CeremonyTranscript<E> {
  const byTrustee = <T>(xs: readonly T[], k: (x: T) => number[]): T[] =>
    [...xs].sort((a, b) => {
      const ka = k(a);
      const kb = k(b);
      return ka[0]! - kb[0]! || (ka[1] ?? 0) - (kb[1] ?? 0);
    });
  const t: Omit<CeremonyTranscript<E>, 'toJson'> = {
    params,
    commitments: byTrustee(msgs.commitments, (m) => [m.trustee]),
    reveals: byTrustee(msgs.reveals, (m) => [m.trustee]),
    shares: byTrustee(msgs.shares, (m) => [m.sender, m.recipient]),
    complaints: byTrustee(msgs.complaints, (m) => [m.complainer, m.accused]),
    equivocations: [...(msgs.equivocations ?? [])].sort((a, b) => a.trustee - b.trustee),
    result,
  };
  return Object.freeze({ ...t, toJson: () => ceremonyTranscriptToJson(t) });
}

/**
 * Assembles the transcript from every public message, adjudicating the outcome. Messages are
 * stored sorted by trustee index.
 * @throws CeremonyFailedError (fewer than t qualified), ProtocolError (structurally unusable set).
 */
export function buildCeremonyTranscript<E>(params: CeremonyParams<E>, messages: CeremonyMessages<E>): CeremonyTranscript<E> {
  return makeTranscript(params, messages, adjudicateCeremony(params, messages));
}

/** Serializes a ceremony result. */
export function ceremonyResultToJson<E>(r: CeremonyResult<E>): CeremonyResultJson {
  const g = r.params.group;
  return {
    qualified: [...r.qualified],
    disqualified: r.disqualified.map((d) => ({ trustee: d.trustee, code: d.code, recipient: d.recipient ?? null, reason: d.reason })),
    complaints: r.complaints.map((c) => ({ complainer: c.complainer, accused: c.accused, verdict: c.verdict, reason: c.reason })),
    jointPublicKey: g.toHex(r.jointPublicKey),
    verificationKeys: [...r.verificationKeys].sort((a, b) => a[0] - b[0]).map(([trustee, k]) => ({ trustee, key: g.toHex(k) })),
  };
}

/** Serializes a transcript. */
export function ceremonyTranscriptToJson<E>(t: Omit<CeremonyTranscript<E>, 'toJson'>): CeremonyTranscriptJson {
  const p = t.params;
  const lists = {
    commitments: t.commitments.map((m) => commitmentMessageToJson(p, m)),
    reveals: t.reveals.map((m) => revealMessageToJson(p, m)),
    shares: t.shares.map((m) => encryptedShareToJson(p, m)),
    complaints: t.complaints.map((m) => complaintToJson(p, m)),
  };
  const head = { format: CEREMONY_TRANSCRIPT_FORMAT as typeof CEREMONY_TRANSCRIPT_FORMAT, version: p.version, ...ceremonyHeaderToJson(p) };
  if (p.version === 1) return { ...head, ...lists, result: ceremonyResultToJson(t.result) };
  return {
    ...head,
    ...lists,
    equivocations: t.equivocations.map((e) => ({
      trustee: e.trustee,
      kind: e.messages[0].kind,
      messages: [anyMessageToJson(p, e.messages[0]), anyMessageToJson(p, e.messages[1])],
    })),
    result: ceremonyResultToJson(t.result),
  };
}

/** The wire form of a tagged message. */
function anyMessageToJson<E>(p: CeremonyParams<E>, m: AnyCeremonyMessage<E>): unknown {
  switch (m.kind) {
    case 'commitment':
      return commitmentMessageToJson(p, m.message);
    case 'reveal':
      return revealMessageToJson(p, m.message);
    case 'encrypted-share':
      return encryptedShareToJson(p, m.message);
    case 'complaint':
      return complaintToJson(p, m.message);
  }
}

const MESSAGE_KINDS: readonly CeremonyMessageKind[] = ['commitment', 'reveal', 'encrypted-share', 'complaint'];

/** Parses a tagged message of `kind`. */
function parseAnyMessage<E>(p: CeremonyParams<E>, kind: CeremonyMessageKind, v: unknown, path: string): AnyCeremonyMessage<E> {
  switch (kind) {
    case 'commitment':
      return { kind, message: parseCommitmentMessage(p, v, path) };
    case 'reveal':
      return { kind, message: parseRevealMessage(p, v, path) };
    case 'encrypted-share':
      return { kind, message: parseEncryptedShare(p, v, path) };
    case 'complaint':
      return { kind, message: parseComplaint(p, v, path) };
  }
}

function parseString(v: unknown, path: string, max = 1000): string {
  if (typeof v !== 'string' || v.length > max)
    throw new FormatError(path, `expected a string of at most ${max} characters, got ${typeName(v)}`);
  return v;
}

/** Indices strictly ascending (so unique). */
function parseIndexList(v: unknown, path: string, n: number): number[] {
  const out = expectArray(v, path).map((x, k) => parseTrusteeIndex(x, `${path}[${k}]`, n));
  out.forEach((x, k) => {
    if (k > 0 && x <= out[k - 1]!) throw new FormatError(`${path}[${k}]`, 'indices must be strictly ascending');
  });
  return out;
}

function rejectDuplicates<T>(items: T[], path: string, key: (x: T) => string, field: string): T[] {
  const seen = new Set<string>();
  items.forEach((x, k) => {
    const id = key(x);
    if (seen.has(id)) throw new FormatError(`${path}[${k}].${field}`, `duplicate message for ${id}`);
    seen.add(id);
  });
  return items;
}

const VERDICTS: readonly ComplaintVerdict[] = ['upheld', 'rejected', 'moot'];

/** Parses a ceremony result for the given parameters. @throws FormatError naming the JSON path */
export function parseCeremonyResult<E>(params: CeremonyParams<E>, v: unknown, path = 'result'): CeremonyResult<E> {
  const g = params.group;
  const n = params.n;
  const o = expectObject(v, path, ['qualified', 'disqualified', 'complaints', 'jointPublicKey', 'verificationKeys']);
  const qualified = parseIndexList(o.qualified, `${path}.qualified`, n);
  const disqualified = expectArray(o.disqualified, `${path}.disqualified`).map((x, k): Disqualification => {
    const p = `${path}.disqualified[${k}]`;
    const d = expectObject(x, p, ['trustee', 'code', 'recipient', 'reason']);
    if (!DISQUALIFICATION_CODES.includes(d.code as DisqualificationCode))
      throw new FormatError(`${p}.code`, `expected one of ${DISQUALIFICATION_CODES.join(', ')}`);
    const trustee = parseTrusteeIndex(d.trustee, `${p}.trustee`, n);
    const reason = parseString(d.reason, `${p}.reason`);
    const code = d.code as DisqualificationCode;
    return d.recipient === null
      ? { trustee, code, reason }
      : { trustee, code, recipient: parseTrusteeIndex(d.recipient, `${p}.recipient`, n), reason };
  });
  const complaints = expectArray(o.complaints, `${path}.complaints`).map((x, k): ComplaintOutcome => {
    const p = `${path}.complaints[${k}]`;
    const c = expectObject(x, p, ['complainer', 'accused', 'verdict', 'reason']);
    if (!VERDICTS.includes(c.verdict as ComplaintVerdict)) throw new FormatError(`${p}.verdict`, `expected one of ${VERDICTS.join(', ')}`);
    return {
      complainer: parseTrusteeIndex(c.complainer, `${p}.complainer`, n),
      accused: parseTrusteeIndex(c.accused, `${p}.accused`, n),
      verdict: c.verdict as ComplaintVerdict,
      reason: parseString(c.reason, `${p}.reason`),
    };
  });
  const verificationKeys = new Map<number, E>();
  expectArray(o.verificationKeys, `${path}.verificationKeys`).forEach((x, k) => {
    const p = `${path}.verificationKeys[${k}]`;
    const e = expectObject(x, p, ['trustee', 'key']);
    const trustee = parseTrusteeIndex(e.trustee, `${p}.trustee`, n);
    if (verificationKeys.has(trustee)) throw new FormatError(`${p}.trustee`, `duplicate verification key for trustee ${trustee}`);
    verificationKeys.set(trustee, g.fromHex(e.key, `${p}.key`));
  });
  return Object.freeze({
    params,
    qualified,
    disqualified,
    complaints,
    jointPublicKey: g.fromHex(o.jointPublicKey, `${path}.jointPublicKey`),
    verificationKeys,
  });
}

/**
 * Parses a transcript: validates every field (shape, encodings, indices, ceremony id, group id,
 * no duplicate message) but checks no proof: that is {@link verifyCeremonyTranscript}'s job.
 * `opts.allowInsecureTestGroup` is needed for the insecure test group.
 * @throws FormatError naming the JSON path.
 */
export function parseCeremonyTranscript<E>(json: unknown, group: Group<E>, opts: CeremonyParamsOptions = {}): CeremonyTranscript<E> {
  const version = (json as { version?: unknown } | null)?.version;
  const o = expectObject(json, 'transcript', [
    'format',
    'version',
    'group',
    'ceremony',
    'n',
    't',
    ...(version === 2 ? ['manifestSha256', 'identities'] : []),
    'commitments',
    'reveals',
    'shares',
    'complaints',
    ...(version === 2 ? ['equivocations'] : []),
    'result',
  ]);
  if (o.format !== CEREMONY_TRANSCRIPT_FORMAT) throw new FormatError('transcript.format', `expected '${CEREMONY_TRANSCRIPT_FORMAT}'`);
  if (o.version !== 1 && o.version !== 2) throw new FormatError('transcript.version', 'expected 1 or 2');
  if (o.group !== group.id) throw new FormatError('transcript.group', `expected '${group.id}'`);
  const params = parseCeremonyHeader(group, o, 'transcript', opts, o.version);
  const commitments = rejectDuplicates(
    expectArray(o.commitments, 'transcript.commitments').map((x, k) => parseCommitmentMessage(params, x, `transcript.commitments[${k}]`)),
    'transcript.commitments',
    (m) => `trustee ${m.trustee}`,
    'trustee',
  );
  const reveals = rejectDuplicates(
    expectArray(o.reveals, 'transcript.reveals').map((x, k) => parseRevealMessage(params, x, `transcript.reveals[${k}]`)),
    'transcript.reveals',
    (m) => `trustee ${m.trustee}`,
    'trustee',
  );
  const shares = rejectDuplicates(
    expectArray(o.shares, 'transcript.shares').map((x, k) => parseEncryptedShare(params, x, `transcript.shares[${k}]`)),
    'transcript.shares',
    (m) => `${m.sender}→${m.recipient}`,
    'recipient',
  );
  const complaints = rejectDuplicates(
    expectArray(o.complaints, 'transcript.complaints').map((x, k) => parseComplaint(params, x, `transcript.complaints[${k}]`)),
    'transcript.complaints',
    (m) => `${m.complainer}→${m.accused}`,
    'accused',
  );
  const equivocations =
    params.version === 1
      ? []
      : expectArray(o.equivocations, 'transcript.equivocations').map((x, k): Equivocation<E> => {
          const p = `transcript.equivocations[${k}]`;
          const e = expectObject(x, p, ['trustee', 'kind', 'messages']);
          if (!MESSAGE_KINDS.includes(e.kind as CeremonyMessageKind))
            throw new FormatError(`${p}.kind`, `expected one of ${MESSAGE_KINDS.join(', ')}`);
          const kind = e.kind as CeremonyMessageKind;
          const ms = expectArray(e.messages, `${p}.messages`, 2);
          return {
            trustee: parseTrusteeIndex(e.trustee, `${p}.trustee`, params.n),
            messages: [parseAnyMessage(params, kind, ms[0], `${p}.messages[0]`), parseAnyMessage(params, kind, ms[1], `${p}.messages[1]`)],
          };
        });
  const result = parseCeremonyResult(params, o.result, 'transcript.result');
  return makeTranscript(params, { commitments, reveals, shares, complaints, equivocations }, result);
}

/** One failed check of {@link verifyCeremonyTranscript}. */
export interface CeremonyCheckFailure {
  /** Check id, e.g. `ceremony.joint-key` (listed in docs/ceremony.md). */
  readonly check: string;
  readonly reason: string;
}

/** The verification report: `ok` when the published result equals the one recomputed from the messages. */
export interface CeremonyVerification<E> {
  readonly ok: boolean;
  readonly failures: readonly CeremonyCheckFailure[];
  /** The outcome recomputed from the messages (undefined when adjudication itself failed). */
  readonly recomputed?: CeremonyResult<E>;
}

const sameIndices = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((x, k) => x === b[k]);

/**
 * Recomputes the outcome from the transcript's messages (every PoK, commit/reveal consistency,
 * share signatures, complaint adjudication, qualified set, joint key, verification keys) and
 * compares it with the published result. Misbehaviour by trustees is not a failure when the
 * result records it; a result that disagrees with the messages is. Returns every failure.
 */
export function verifyCeremonyTranscript<E>(t: CeremonyTranscript<E>): CeremonyVerification<E> {
  const failures: CeremonyCheckFailure[] = [];
  const fail = (check: string, reason: string): void => void failures.push({ check: `ceremony.${check}`, reason });
  if (t.params.version === 2) {
    // Check id ceremony.signatures: every message is its sender's (docs/ceremony.md).
    for (const m of taggedMessages(t))
      if (!isSignedBySender(t.params, m))
        fail('signatures', `the ${m.kind} ${messageSlot(m).slot} is not signed by its trustee's identity key`);
    t.equivocations.forEach((e, k) => {
      const why = checkEquivocation(t.params, e);
      if (why !== null) fail('equivocations', `equivocations[${k}] (trustee ${e.trustee}) proves nothing: ${why}`);
    });
    if (failures.length > 0) return { ok: false, failures };
  }
  let r: CeremonyResult<E>;
  try {
    r = adjudicateCeremony(t.params, t);
  } catch (e) {
    if (!(e instanceof MjvoteError)) throw e;
    fail('adjudication', e.message);
    return { ok: false, failures };
  }
  const g = t.params.group;
  const pub = t.result;
  if (!sameIndices(r.qualified, pub.qualified))
    fail('qualified-set', `recomputed qualified set [${r.qualified.join(', ')}], published [${pub.qualified.join(', ')}]`);
  const dkey = (d: Disqualification): string => `${d.trustee}/${d.code}/${d.recipient ?? '-'}`;
  const dr = r.disqualified.map(dkey).sort();
  const dp = pub.disqualified.map(dkey).sort();
  if (!sameStrings(dr, dp)) fail('disqualifications', `recomputed [${dr.join(', ')}], published [${dp.join(', ')}]`);
  const ckey = (c: ComplaintOutcome): string => `${c.complainer}→${c.accused}:${c.verdict}`;
  const cr = r.complaints.map(ckey).sort();
  const cp = pub.complaints.map(ckey).sort();
  if (!sameStrings(cr, cp)) fail('complaint-outcomes', `recomputed [${cr.join(', ')}], published [${cp.join(', ')}]`);
  if (!g.equals(r.jointPublicKey, pub.jointPublicKey))
    fail('joint-key', 'the published joint public key is not Σ C_i,0 over the qualified trustees');
  const kr = [...r.verificationKeys.keys()].sort((a, b) => a - b);
  const kp = [...pub.verificationKeys.keys()].sort((a, b) => a - b);
  if (!sameIndices(kr, kp)) fail('verification-keys', `verification keys published for [${kp.join(', ')}], expected [${kr.join(', ')}]`);
  for (const j of kr) {
    const K = pub.verificationKeys.get(j);
    if (K !== undefined && !g.equals(K, r.verificationKeys.get(j)!))
      fail('verification-keys', `the verification key of trustee ${j} is not Σ_i Σ_l ${j}^l·C_i,l`);
  }
  return { ok: failures.length === 0, failures, recomputed: r };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

/**
 * What an election is set up with after a successful ceremony: the coefficient commitments of
 * every qualified trustee, in index order, and the joint public key (the inputs of the election
 * fingerprint, see `src/election.ts`).
 */
export function electionKeysFromTranscript<E>(t: CeremonyTranscript<E>): {
  qualified: readonly number[];
  coefficientCommitments: (readonly E[])[];
  jointPublicKey: E;
} {
  const byTrustee = new Map(t.reveals.map((r) => [r.trustee, r.coefficientCommitments]));
  return {
    qualified: t.result.qualified,
    coefficientCommitments: t.result.qualified.map((i) => {
      const c = byTrustee.get(i);
      if (!c) throw new FormatError('transcript.reveals', `no reveal for qualified trustee ${i}`);
      return c;
    }),
    jointPublicKey: t.result.jointPublicKey,
  };
}
