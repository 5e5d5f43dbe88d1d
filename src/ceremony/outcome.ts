/**
 * Adjudication: the deterministic outcome of a ceremony from its public messages alone. Trustees,
 * the transcript builder and the verifier all run this one function, so they cannot disagree.
 *
 * Steps (a trustee disqualified at one step is not examined by later steps as a sender):
 * 0. Version 2: every message must carry its sender's identity signature (else the message set
 *    is unusable: whoever assembled it should have set the message aside); each piece of
 *    equivocation evidence (two signed, different messages for one slot) disqualifies its
 *    trustee (`equivocation`), whose messages no later step examines.
 * 1. V1 = trustees with a round-1 commitment whose communication-key PoK verifies (and whose key
 *    is not the identity). Shares are owed to every member of V1.
 * 2. V2 = members of V1 whose reveal opens their commitment and whose t coefficient PoKs verify.
 * 3. Every i ∈ V2 must have sent every other j ∈ V1 an encrypted share with a valid signature.
 * 4. Complaints: the DLEQ proof must verify (else the complaint is `rejected`). If the accused
 *    was already disqualified by steps 1–3 the complaint is `moot`. Otherwise the disputed share
 *    is decrypted with the revealed Z: a ciphertext that does not open, or a share with
 *    f_i(j)·G ≠ Σ_l j^l·C_i,l, `upholds` the complaint and disqualifies i (`bad-share`); a valid
 *    share `rejects` the complaint. A false complainer is NOT disqualified (see docs/ceremony.md).
 * 5. Q = trustees never disqualified. If |Q| < t the ceremony fails ({@link CeremonyFailedError});
 *    else PK = Σ_{i∈Q} C_i,0 and K_j = Σ_{i∈Q} Σ_l j^l·C_i,l for j ∈ Q.
 *
 * Structural faults that are not any trustee's provable misbehaviour (a message of another
 * ceremony, an index out of range, two messages for one slot) make the message set unusable and
 * throw a ProtocolError: whoever assembles the set must fix it.
 * @module
 */
import { MjvoteError, ProtocolError } from '../errors.js';
import { BatchVerifier } from '../proofs/batch.js';
import type { Equation } from '../proofs/equation.js';
import {
  commitmentEquations,
  complaintEquations,
  revealEquations,
  revealOpens,
  shareSignatureEquations,
  type CommitmentMessage,
  type Complaint,
  type EncryptedShare,
  type RevealMessage,
} from './messages.js';
import { assertSameCeremony, assertTrusteeIndex, type CeremonyParams } from './params.js';
import { evaluateCommitments, powersOf } from './polynomial.js';
import { openShare } from './share-encryption.js';
import { assertSignedMessages, checkEquivocation, messageSlot, taggedMessages, type Equivocation } from './signatures.js';

/** Why a trustee was disqualified. */
export type DisqualificationCode =
  | 'equivocation'
  | 'missing-commitment'
  | 'invalid-communication-key'
  | 'missing-reveal'
  | 'reveal-mismatch'
  | 'invalid-coefficient-proof'
  | 'missing-share'
  | 'invalid-share-signature'
  | 'bad-share';

/** Every disqualification code, in the order of the adjudication steps. */
export const DISQUALIFICATION_CODES: readonly DisqualificationCode[] = [
  'equivocation',
  'missing-commitment',
  'invalid-communication-key',
  'missing-reveal',
  'reveal-mismatch',
  'invalid-coefficient-proof',
  'missing-share',
  'invalid-share-signature',
  'bad-share',
];

/** One finding against a trustee. `recipient` names the trustee a missing or bad share was for. */
export interface Disqualification {
  readonly trustee: number;
  readonly code: DisqualificationCode;
  readonly recipient?: number;
  readonly reason: string;
}

/**
 * Fewer than t trustees remain qualified: the ceremony cannot produce a key. Names every trustee
 * that was disqualified and why (`disqualified`), and the qualified ones.
 */
export class CeremonyFailedError extends MjvoteError {
  readonly qualified: readonly number[];
  readonly disqualified: readonly Disqualification[];
  readonly t: number;
  constructor(t: number, qualified: readonly number[], disqualified: readonly Disqualification[]) {
    const who = [...new Set(disqualified.map((d) => d.trustee))].sort((a, b) => a - b);
    super(
      'ceremony-failed',
      `only ${qualified.length} trustee(s) qualified (${qualified.join(', ') || 'none'}), threshold t = ${t}; disqualified: ${who.join(', ') || 'none'} (${disqualified
        .map((d) => `trustee ${d.trustee}: ${d.code}`)
        .join('; ')})`,
    );
    this.t = t;
    this.qualified = qualified;
    this.disqualified = disqualified;
  }
}

/** Verdict on a complaint. */
export type ComplaintVerdict = 'upheld' | 'rejected' | 'moot';

/** The adjudication of one complaint. */
export interface ComplaintOutcome {
  readonly complainer: number;
  readonly accused: number;
  readonly verdict: ComplaintVerdict;
  readonly reason: string;
}

/** All public messages of a ceremony. */
export interface CeremonyMessages<E> {
  readonly commitments: readonly CommitmentMessage<E>[];
  readonly reveals: readonly RevealMessage<E>[];
  readonly shares: readonly EncryptedShare<E>[];
  readonly complaints: readonly Complaint<E>[];
  /** Version 2: evidence of trustees who signed two different messages for one slot (`signatures.ts`). */
  readonly equivocations?: readonly Equivocation<E>[];
}

/** Who is qualified and why the others are not (steps 1–4), whether or not the ceremony succeeds. */
export interface CeremonyJudgement {
  /** Qualified trustees, ascending. */
  readonly qualified: readonly number[];
  /** Findings, by trustee then step. */
  readonly disqualified: readonly Disqualification[];
  /** One outcome per complaint, by (complainer, accused). */
  readonly complaints: readonly ComplaintOutcome[];
}

/** The public result of a successful ceremony. */
export interface CeremonyResult<E> extends CeremonyJudgement {
  readonly params: CeremonyParams<E>;
  /** PK = Σ_{i∈Q} C_i,0. */
  readonly jointPublicKey: E;
  /** K_j = s_j·G for every qualified j. */
  readonly verificationKeys: ReadonlyMap<number, E>;
}

/** Indexes messages by their trustee indices, checking range, ceremony and uniqueness. @throws ProtocolError */
export function indexMessages<T>(
  params: CeremonyParams<any>,
  items: readonly T[],
  what: string,
  key: (x: T) => number[],
  ceremony: (x: T) => string,
): Map<string, T> {
  const out = new Map<string, T>();
  for (const x of items) {
    const ks = key(x);
    ks.forEach((k) => assertTrusteeIndex(params, k, what));
    assertSameCeremony(params, ceremony(x), `${what} ${ks.join('→')}`);
    const id = ks.join(':');
    if (out.has(id)) throw new ProtocolError(`two ${what} messages for ${ks.join('→')}`, 'duplicate-message');
    out.set(id, x);
  }
  return out;
}

/** Checks each item's equations in one batch; returns the ids that failed. */
export function batchFailures<E, Id>(params: CeremonyParams<E>, items: Iterable<[Id, readonly Equation<E>[] | null]>): Set<Id> {
  const b = new BatchVerifier<E, Id>(params.group);
  for (const [id, eqs] of items) b.add(id, eqs);
  return new Set(b.verify().failed);
}

function finding(trustee: number, code: DisqualificationCode, reason: string, recipient?: number): Disqualification {
  return recipient === undefined ? { trustee, code, reason } : { trustee, code, recipient, reason };
}

/** A step's valid messages by trustee, and its findings against the others. */
export interface StepResult<M> {
  readonly valid: Map<number, M>;
  readonly findings: Disqualification[];
}

/** Step 1: trustees with a round-1 commitment whose communication key is proven (V1). @throws ProtocolError for a structural fault */
export function checkRound1<E>(
  params: CeremonyParams<E>,
  commitments: readonly CommitmentMessage<E>[],
  excluded: ReadonlySet<number> = new Set(),
): StepResult<CommitmentMessage<E>> {
  const g = params.group;
  const byIndex = indexMessages(
    params,
    commitments,
    'commitment',
    (m) => [m.trustee],
    (m) => m.ceremonyId,
  );
  const findings: Disqualification[] = [];
  const eqs: [number, Equation<E>[] | null][] = [];
  for (let i = 1; i <= params.n; i++) {
    if (excluded.has(i)) continue;
    const m = byIndex.get(String(i));
    if (!m) findings.push(finding(i, 'missing-commitment', 'no round-1 commitment'));
    else if (g.isIdentity(m.communicationKey)) findings.push(finding(i, 'invalid-communication-key', 'communication key is the identity'));
    else eqs.push([i, commitmentEquations(params, m)]);
  }
  const bad = batchFailures(params, eqs);
  const valid = new Map<number, CommitmentMessage<E>>();
  for (const [i] of eqs) {
    if (bad.has(i)) findings.push(finding(i, 'invalid-communication-key', 'proof of knowledge of the communication key does not verify'));
    else valid.set(i, byIndex.get(String(i))!);
  }
  return { valid, findings };
}

/** Step 2: members of V1 whose reveal opens their commitment with valid coefficient proofs (V2). Reveals from outside V1 are ignored. */
export function checkRound2<E>(
  params: CeremonyParams<E>,
  valid1: ReadonlyMap<number, CommitmentMessage<E>>,
  reveals: readonly RevealMessage<E>[],
): StepResult<RevealMessage<E>> {
  const byIndex = indexMessages(
    params,
    reveals,
    'reveal',
    (m) => [m.trustee],
    (m) => m.ceremonyId,
  );
  const findings: Disqualification[] = [];
  const eqs: [number, Equation<E>[] | null][] = [];
  for (const [i, c] of valid1) {
    const r = byIndex.get(String(i));
    if (!r) findings.push(finding(i, 'missing-reveal', 'no round-2 reveal'));
    else if (!revealOpens(params, c, r))
      findings.push(finding(i, 'reveal-mismatch', 'revealed coefficient commitments do not match the round-1 commitment'));
    else eqs.push([i, revealEquations(params, r)]);
  }
  const bad = batchFailures(params, eqs);
  const valid = new Map<number, RevealMessage<E>>();
  for (const [i] of eqs) {
    if (bad.has(i)) findings.push(finding(i, 'invalid-coefficient-proof', 'a proof of knowledge of a coefficient does not verify'));
    else valid.set(i, byIndex.get(String(i))!);
  }
  return { valid, findings };
}

/**
 * Step 0: checks each piece of equivocation evidence and disqualifies its trustee (once).
 * @throws ProtocolError for evidence that proves nothing (or any evidence in version 1).
 */
export function judgeEquivocations<E>(
  params: CeremonyParams<E>,
  evidence: readonly Equivocation<E>[],
): { trustees: Set<number>; findings: Disqualification[] } {
  const trustees = new Set<number>();
  const findings: Disqualification[] = [];
  for (const e of evidence) {
    if (params.version === 1)
      throw new ProtocolError('equivocation evidence in a version-1 ceremony (nothing is signed)', 'unsigned-message');
    assertTrusteeIndex(params, e.trustee, 'equivocating trustee');
    const why = checkEquivocation(params, e);
    if (why !== null)
      throw new ProtocolError(`the equivocation evidence against trustee ${e.trustee} proves nothing: ${why}`, 'unsigned-message');
    if (trustees.has(e.trustee)) continue;
    trustees.add(e.trustee);
    findings.push(
      finding(e.trustee, 'equivocation', `signed two different messages for ${messageSlot(e.messages[0]).slot} (both in the transcript)`),
    );
  }
  return { trustees, findings };
}

/** Steps 1–4: the qualified set, every disqualification and every complaint's verdict. Never throws for misbehaviour. */
export function judgeCeremony<E>(params: CeremonyParams<E>, msgs: CeremonyMessages<E>): CeremonyJudgement {
  const g = params.group;
  const shares = indexMessages(
    params,
    msgs.shares,
    'encrypted share',
    (m) => [m.sender, m.recipient],
    (m) => m.ceremonyId,
  );
  const complaints = indexMessages(
    params,
    msgs.complaints,
    'complaint',
    (m) => [m.complainer, m.accused],
    (m) => m.ceremonyId,
  );
  for (const s of msgs.shares)
    if (s.sender === s.recipient) throw new ProtocolError(`encrypted share from trustee ${s.sender} to itself`, 'bad-index');
  for (const c of msgs.complaints)
    if (c.complainer === c.accused) throw new ProtocolError(`complaint of trustee ${c.complainer} against itself`, 'bad-index');

  // Step 0 (version 2): every message signed by its sender; equivocators disqualified first.
  assertSignedMessages(params, taggedMessages(msgs));
  const equivocation = judgeEquivocations(params, msgs.equivocations ?? []);
  const r1 = checkRound1(params, msgs.commitments, equivocation.trustees);
  const r2 = checkRound2(params, r1.valid, msgs.reveals);
  const findings: Disqualification[] = [...equivocation.findings, ...r1.findings, ...r2.findings];
  const V1 = [...r1.valid.keys()].sort((a, b) => a - b);
  const V2 = r2.valid;
  const commKey = (i: number): E => r1.valid.get(i)!.communicationKey;

  // Step 3: every share owed by a member of V2 is present and signed.
  const step3: [string, Equation<E>[] | null][] = [];
  for (const i of [...V2.keys()].sort((a, b) => a - b))
    for (const j of V1) {
      if (j === i) continue;
      const s = shares.get(`${i}:${j}`);
      if (!s) findings.push(finding(i, 'missing-share', `no encrypted share for trustee ${j}`, j));
      else step3.push([`${i}:${j}`, shareSignatureEquations(params, s, commKey(i))]);
    }
  const badSignatures = batchFailures(params, step3);
  for (const [key] of step3) {
    if (!badSignatures.has(key)) continue;
    const [i, j] = key.split(':').map(Number) as [number, number];
    findings.push(
      finding(i, 'invalid-share-signature', `the encrypted share for trustee ${j} is not signed by trustee ${i}'s communication key`, j),
    );
  }

  // Step 4: complaints.
  const verdicts: ComplaintOutcome[] = [];
  const verdict = (c: Complaint<E>, v: ComplaintVerdict, reason: string): void => {
    verdicts.push({ complainer: c.complainer, accused: c.accused, verdict: v, reason });
  };
  const proven: [string, Equation<E>[] | null][] = [];
  for (const [key, c] of complaints) {
    if (!r1.valid.has(c.complainer)) verdict(c, 'rejected', 'the complainer has no valid round-1 communication key');
    else if (!r1.valid.has(c.accused)) verdict(c, 'moot', 'the accused was already disqualified in round 1');
    else proven.push([key, complaintEquations(params, c, commKey(c.complainer), commKey(c.accused))]);
  }
  const badProofs = batchFailures(params, proven);
  for (const [key] of proven) {
    const c = complaints.get(key)!;
    const i = c.accused;
    const j = c.complainer;
    const s = shares.get(`${i}:${j}`);
    if (badProofs.has(key)) verdict(c, 'rejected', 'the DLEQ proof of the revealed shared secret does not verify');
    else if (!V2.has(i)) verdict(c, 'moot', 'the accused was already disqualified in round 2');
    else if (!s || badSignatures.has(`${i}:${j}`))
      verdict(c, 'moot', 'the accused was already disqualified for not sending a signed share');
    else {
      const value = openShare(params, s, c.sharedSecret, commKey(i), commKey(j));
      if (value === null) verdict(c, 'upheld', 'the disputed ciphertext does not decrypt to a scalar under the revealed key');
      else if (!g.equals(g.G.multiplyUnsafe(value), evaluateCommitments(g, V2.get(i)!.coefficientCommitments, j)))
        verdict(c, 'upheld', "the disputed share does not match the sender's coefficient commitments");
      else verdict(c, 'rejected', 'the disputed share is valid');
    }
  }
  verdicts.sort((a, b) => a.complainer - b.complainer || a.accused - b.accused);
  for (const v of verdicts)
    if (v.verdict === 'upheld')
      findings.push(
        finding(v.accused, 'bad-share', `sent trustee ${v.complainer} a bad share (complaint upheld: ${v.reason})`, v.complainer),
      );

  const out = new Set(findings.map((f) => f.trustee));
  const rank = (f: Disqualification): number => DISQUALIFICATION_CODES.indexOf(f.code);
  return {
    qualified: Array.from({ length: params.n }, (_, k) => k + 1).filter((i) => !out.has(i)),
    disqualified: findings
      .map((f, k) => ({ f, k }))
      .sort((a, b) => a.f.trustee - b.f.trustee || rank(a.f) - rank(b.f) || a.k - b.k)
      .map((x) => x.f),
    complaints: verdicts,
  };
}

/** The joint key and verification keys over a qualified set (public data, variable time). */
export function ceremonyKeys<E>(
  params: CeremonyParams<E>,
  reveals: readonly RevealMessage<E>[],
  qualified: readonly number[],
): { jointPublicKey: E; verificationKeys: Map<number, E> } {
  const g = params.group;
  const byTrustee = new Map(reveals.map((r) => [r.trustee, r]));
  // A_l = Σ_{i∈Q} C_i,l, so that K_j = Σ_l j^l·A_l costs one t-point MSM per trustee.
  const A: E[] = Array.from({ length: params.t }, () => g.identity);
  for (const i of qualified) {
    const r = byTrustee.get(i);
    if (!r) throw new ProtocolError(`qualified trustee ${i} has no reveal`);
    r.coefficientCommitments.forEach((C, l) => (A[l] = g.add(A[l]!, C)));
  }
  const verificationKeys = new Map<number, E>();
  for (const j of qualified) verificationKeys.set(j, g.msm(A, powersOf(g, j, params.t)));
  return { jointPublicKey: A[0]!, verificationKeys };
}

/**
 * The full outcome: {@link judgeCeremony}, then the keys.
 * @throws CeremonyFailedError when fewer than t trustees are qualified; ProtocolError for a
 *   structurally unusable message set.
 */
export function adjudicateCeremony<E>(params: CeremonyParams<E>, msgs: CeremonyMessages<E>): CeremonyResult<E> {
  const j = judgeCeremony(params, msgs);
  if (j.qualified.length < params.t) throw new CeremonyFailedError(params.t, j.qualified, j.disqualified);
  return Object.freeze({ params, ...j, ...ceremonyKeys(params, msgs.reveals, j.qualified) });
}
