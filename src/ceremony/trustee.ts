/**
 * A trustee's side of the ceremony as typestates: each round is an object whose
 * one method consumes it and returns the round's public messages and the next state. A state
 * used twice throws a ProtocolError (`state-spent`), so a trustee cannot, say, reveal two
 * different polynomials. Secrets live outside the objects (a module WeakMap): no enumerable
 * field holds them and `toJSON` shows the round, ceremony and index only.
 *
 * ```
 * beginCeremony(params, j, {identity})           → TrusteeRound1   (identity: version 2)
 * TrusteeRound1.commit()                         → CommitmentMessage, TrusteeRound2
 * TrusteeRound2.reveal(allCommitments)           → RevealMessage, EncryptedShare[], TrusteeRound3
 * TrusteeRound3.check(allReveals, sharesForMe)   → Complaint[], TrusteeRound4
 * TrusteeRound4.finish(allMessages)              → TrusteeKey, CeremonyResult
 * ```
 * In a version-2 ceremony every message a round returns is signed with the trustee's identity,
 * and every message a round is given must carry its sender's signature (sort what the relay
 * delivered with `collectCeremonyMessages` first: it sets injected messages aside and turns
 * equivocations into evidence for round 4).
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ProtocolError } from '../errors.js';
import { bytesEqual, randomBytes, toHex, utf8 } from '../bytes.js';
import { proveSchnorr } from '../proofs/schnorr.js';
import {
  coefficientContext,
  commitmentHash,
  communicationKeyContext,
  createComplaint,
  SALT_BYTES,
  shareSignatureEquations,
  type CommitmentMessage,
  type Complaint,
  type EncryptedShare,
  type RevealMessage,
} from './messages.js';
import {
  adjudicateCeremony,
  batchFailures,
  checkRound1,
  checkRound2,
  indexMessages,
  type CeremonyMessages,
  type CeremonyResult,
  type Disqualification,
} from './outcome.js';
import { assertTrusteeIndex, identityKeyOf, type CeremonyParams } from './params.js';
import { evaluateCommitments, evaluatePolynomial, randomPolynomial } from './polynomial.js';
import { encryptShare, openShare } from './share-encryption.js';
import { TrusteeKey } from './trustee-key.js';
import {
  commitmentBodyJson,
  complaintBodyJson,
  encryptedShareBodyJson,
  encryptedShareToJson,
  revealBodyJson,
  revealMessageToJson,
} from './wire.js';
import { assertSignedMessages, signAsTrustee, type SignedMessageKind } from './signatures.js';
import type { TrusteeIdentity } from '../election/trustee-identity.js';

/** @internal A trustee's secret state between rounds (what a state file holds). */
export interface TrusteeSecretData<E> {
  /** a_0..a_{t−1}. */
  coefficients: bigint[];
  /** d, the communication secret key. */
  commSecret: bigint;
  /** Salt of the round-1 commitment. */
  salt: Uint8Array;
  /** Rounds 3–4: the valid round-1 messages (V1). */
  round1?: CommitmentMessage<E>[];
  /** Round 4: f_i(j) for every sender whose share checked out (and f_j(j)). */
  received?: Map<number, bigint>;
  /** Round 4: the trustees this trustee complained about. */
  complained?: number[];
  /** Round 4: per sender in V1, SHA-256 of its reveal and its share to this trustee, as checked in round 3. */
  views?: Map<number, Uint8Array>;
  /** Version 2: this trustee's identity, which signs every message it publishes. */
  identity?: TrusteeIdentity;
}

const DATA = new WeakMap<object, TrusteeSecretData<any>>();
const SPENT = new WeakSet<object>();

/** The round a state object is in. */
export type TrusteeRoundNumber = 1 | 2 | 3 | 4;

/** Common behaviour of the round states. */
export abstract class TrusteeState<E> {
  abstract readonly round: TrusteeRoundNumber;
  readonly params: CeremonyParams<E>;
  readonly trustee: number;
  /** @internal States are made by `beginCeremony` and by each round, never directly. */
  constructor(params: CeremonyParams<E>, trustee: number, data: TrusteeSecretData<E>) {
    this.params = params;
    this.trustee = trustee;
    DATA.set(this, data);
  }
  /** True once the state's round method has been called. */
  get spent(): boolean {
    return SPENT.has(this);
  }
  /** @internal Marks the state used and returns its secrets. @throws ProtocolError (`state-spent`) */
  protected consume(): TrusteeSecretData<E> {
    if (SPENT.has(this)) throw new ProtocolError(`trustee ${this.trustee}: round ${this.round} state was already used`, 'state-spent');
    SPENT.add(this);
    return DATA.get(this)!;
  }
  /** Public data only: round, ceremony and index. */
  toJSON(): { kind: 'trustee-state'; round: TrusteeRoundNumber; ceremony: string; trustee: number; spent: boolean } {
    return { kind: 'trustee-state', round: this.round, ceremony: this.params.ceremonyId, trustee: this.trustee, spent: this.spent };
  }
}

/** Any round state. */
export type TrusteeRoundState<E> = TrusteeRound1<E> | TrusteeRound2<E> | TrusteeRound3<E> | TrusteeRound4<E>;

/** @internal The secrets of an unspent state (for export). @throws ProtocolError for a spent state */
export function trusteeStateData<E>(state: TrusteeRoundState<E>): TrusteeSecretData<E> {
  if (state.spent) throw new ProtocolError(`trustee ${state.trustee}: a used round ${state.round} state cannot be exported`, 'state-spent');
  const d = DATA.get(state);
  if (!d) throw new TypeError('not a trustee state');
  return d;
}

/** @internal Rebuilds a state from its secrets (for import). */
export function restoreTrusteeState<E>(
  round: TrusteeRoundNumber,
  params: CeremonyParams<E>,
  trustee: number,
  data: TrusteeSecretData<E>,
): TrusteeRoundState<E> {
  switch (round) {
    case 1:
      return new TrusteeRound1(params, trustee, data);
    case 2:
      return new TrusteeRound2(params, trustee, data);
    case 3:
      return new TrusteeRound3(params, trustee, data);
    case 4:
      return new TrusteeRound4(params, trustee, data);
  }
}

/**
 * Starts trustee `trustee`'s part of the ceremony: draws the polynomial f (degree t−1), the
 * communication key d and the commitment salt from the platform CSPRNG.
 */
export function beginCeremony<E>(params: CeremonyParams<E>, trustee: number, opts: BeginCeremonyOptions = {}): TrusteeRound1<E> {
  assertTrusteeIndex(params, trustee);
  const identity = opts.identity;
  if (params.version === 2) {
    if (identity === undefined)
      throw new ProtocolError(
        `trustee ${trustee}: a version-2 ceremony needs the trustee's identity (it signs every message)`,
        'unsigned-message',
      );
    if (identity.publicKeyHex !== toHex(identityKeyOf(params, trustee)))
      throw new ProtocolError(
        `this identity (${identity.fingerprint}) is not trustee ${trustee}'s in the manifest of '${params.ceremonyId}'`,
        'own-message',
      );
  }
  return new TrusteeRound1(params, trustee, {
    coefficients: randomPolynomial(params.group, params.t),
    commSecret: params.group.randomScalar(),
    salt: randomBytes(SALT_BYTES),
    ...(params.version === 2 ? { identity } : {}),
  });
}

/** Options of {@link beginCeremony}. */
export interface BeginCeremonyOptions {
  /** Version 2 (required): the trustee's identity, whose key the manifest lists at its index. */
  identity?: TrusteeIdentity;
}

/** Signs a message for publication (version 2; version 1: returned as is). */
function signed<E, M extends { identitySignature?: Uint8Array }>(
  params: CeremonyParams<E>,
  d: TrusteeSecretData<E>,
  signer: number,
  kind: SignedMessageKind,
  m: M,
  body: (params: CeremonyParams<E>, m: M) => unknown,
): M {
  if (params.version === 1) return m;
  return { ...m, identitySignature: signAsTrustee(params, d.identity!, signer, kind, body(params, m)) };
}

function coefficientCommitments<E>(params: CeremonyParams<E>, d: TrusteeSecretData<E>): E[] {
  return d.coefficients.map((a) => params.group.G.multiply(a));
}

/** Round 1: publish the commitment and the communication key. */
export class TrusteeRound1<E> extends TrusteeState<E> {
  readonly round = 1 as const;
  /** Consumes the state. */
  commit(): { message: CommitmentMessage<E>; next: TrusteeRound2<E> } {
    const d = this.consume();
    const { params, trustee } = this;
    const g = params.group;
    const commitment = commitmentHash(params, trustee, d.salt, coefficientCommitments(params, d));
    const { statement, proof } = proveSchnorr(g, d.commSecret, communicationKeyContext(params, trustee, commitment));
    const message = signed<E, CommitmentMessage<E>>(
      params,
      d,
      trustee,
      'commitment',
      { ceremonyId: params.ceremonyId, trustee, commitment, communicationKey: statement.publicKey, proof },
      commitmentBodyJson,
    );
    return { message, next: new TrusteeRound2(params, trustee, d) };
  }
}

/** Round 2: reveal the coefficient commitments and send every other trustee its share. */
export class TrusteeRound2<E> extends TrusteeState<E> {
  readonly round = 2 as const;
  /**
   * Consumes the state. `allCommitments` are the round-1 messages of every trustee (this one's
   * included, unchanged). Trustees whose message is missing or whose communication-key proof
   * fails get no share (they are disqualified, see `outcome.ts`); they are listed in `excluded`.
   * @throws ProtocolError for a message of another ceremony, an index out of range, a duplicate,
   *   or when this trustee's own commitment is missing or altered.
   */
  reveal(allCommitments: readonly CommitmentMessage<E>[]): {
    reveal: RevealMessage<E>;
    shares: EncryptedShare<E>[];
    excluded: Disqualification[];
    next: TrusteeRound3<E>;
  } {
    const { params, trustee } = this;
    const g = params.group;
    assertSignedMessages(
      params,
      allCommitments.map((message) => ({ kind: 'commitment' as const, message })),
    );
    const r1 = checkRound1(params, allCommitments);
    const d = DATA.get(this)!;
    const C = coefficientCommitments(params, d);
    const own = r1.valid.get(trustee);
    const P = g.G.multiply(d.commSecret);
    if (!own || !bytesEqual(own.commitment, commitmentHash(params, trustee, d.salt, C)) || !g.equals(own.communicationKey, P))
      throw new ProtocolError(`trustee ${trustee}: own round-1 commitment is missing or altered in the message set`, 'own-message');
    this.consume();
    const proofs = d.coefficients.map((a, l) => proveSchnorr(g, a, coefficientContext(params, trustee, l)).proof);
    const reveal = signed<E, RevealMessage<E>>(
      params,
      d,
      trustee,
      'reveal',
      { ceremonyId: params.ceremonyId, trustee, salt: d.salt, coefficientCommitments: C, proofs },
      revealBodyJson,
    );
    const shares: EncryptedShare<E>[] = [];
    for (const [j, m] of [...r1.valid].sort((a, b) => a[0] - b[0])) {
      if (j === trustee) continue;
      const share = encryptShare(params, trustee, d.commSecret, P, j, m.communicationKey, evaluatePolynomial(g, d.coefficients, j));
      shares.push(signed(params, d, trustee, 'encrypted-share', share, encryptedShareBodyJson));
    }
    const next = new TrusteeRound3(params, trustee, { ...d, round1: [...r1.valid.values()] });
    return { reveal, shares, excluded: r1.findings, next };
  }
}

/**
 * Per sender in V1: SHA-256 of its reveal and its share to this trustee (null where absent), the
 * messages this trustee based its round-3 checks on. Kept per sender so that round 4 can leave
 * out a trustee disqualified for equivocation, whose messages the transcript holds as evidence.
 */
function views<E>(
  params: CeremonyParams<E>,
  me: number,
  V1: ReadonlySet<number>,
  reveals: readonly RevealMessage<E>[],
  shares: readonly EncryptedShare<E>[],
): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const i of [...V1].sort((a, b) => a - b)) {
    const r = reveals.find((x) => x.trustee === i);
    const s = shares.find((x) => x.recipient === me && x.sender === i);
    out.set(
      i,
      sha256(
        utf8(
          JSON.stringify({
            reveal: r ? revealMessageToJson(params, r) : null,
            share: s ? encryptedShareToJson(params, s) : null,
          }),
        ),
      ),
    );
  }
  return out;
}

/** Round 3: check every share received against its sender's commitments; complain about bad ones. */
export class TrusteeRound3<E> extends TrusteeState<E> {
  readonly round = 3 as const;
  /**
   * Consumes the state. `allReveals`: every round-2 reveal (this trustee's included);
   * `sharesForMe`: the encrypted shares published in round 2 (shares for other recipients are
   * ignored). Returns the complaints to publish (empty when every share checked out) and
   * `problems`: the publicly visible faults this trustee saw (missing or unopened reveals,
   * missing or unsigned shares) — those need no complaint, adjudication finds them from the
   * public messages.
   * @throws ProtocolError for structural faults (other ceremony, bad index, duplicates) and when
   *   this trustee's own reveal is missing or altered.
   */
  check(
    allReveals: readonly RevealMessage<E>[],
    sharesForMe: readonly EncryptedShare<E>[],
  ): { complaints: Complaint<E>[]; problems: Disqualification[]; next: TrusteeRound4<E> } {
    const { params, trustee: me } = this;
    const g = params.group;
    const d = DATA.get(this)!;
    const valid1 = new Map(d.round1!.map((m) => [m.trustee, m]));
    assertSignedMessages(params, [
      ...allReveals.map((message) => ({ kind: 'reveal' as const, message })),
      ...sharesForMe.filter((s) => s.recipient === me).map((message) => ({ kind: 'encrypted-share' as const, message })),
    ]);
    const r2 = checkRound2(params, valid1, allReveals);
    const ownReveal = r2.valid.get(me);
    const C = coefficientCommitments(params, d);
    if (!ownReveal || !ownReveal.coefficientCommitments.every((c, l) => g.equals(c, C[l])))
      throw new ProtocolError(`trustee ${me}: own reveal is missing or altered in the message set`, 'own-message');
    const mine = sharesForMe.filter((s) => s.recipient === me);
    const bySender = indexMessages(
      params,
      mine,
      'encrypted share',
      (s) => [s.sender],
      (s) => s.ceremonyId,
    );
    this.consume();

    const problems: Disqualification[] = [...r2.findings];
    const toCheck: [number, ReturnType<typeof shareSignatureEquations<E>>][] = [];
    for (const i of [...r2.valid.keys()].sort((a, b) => a - b)) {
      if (i === me) continue;
      const s = bySender.get(String(i));
      if (!s) problems.push({ trustee: i, code: 'missing-share', recipient: me, reason: `no encrypted share for trustee ${me}` });
      else toCheck.push([i, shareSignatureEquations(params, s, valid1.get(i)!.communicationKey)]);
    }
    const badSignature = batchFailures(params, toCheck);
    const received = new Map<number, bigint>([[me, evaluatePolynomial(g, d.coefficients, me)]]);
    const complaints: Complaint<E>[] = [];
    const P = g.G.multiply(d.commSecret);
    for (const [i] of toCheck) {
      if (badSignature.has(i)) {
        problems.push({
          trustee: i,
          code: 'invalid-share-signature',
          recipient: me,
          reason: `the encrypted share for trustee ${me} is not signed by trustee ${i}'s communication key`,
        });
        continue;
      }
      const Pi = valid1.get(i)!.communicationKey;
      const Z = g.multiply(Pi, d.commSecret);
      const value = openShare(params, bySender.get(String(i))!, Z, Pi, P);
      if (value !== null && g.equals(g.G.multiply(value), evaluateCommitments(g, r2.valid.get(i)!.coefficientCommitments, me))) {
        received.set(i, value);
        continue;
      }
      complaints.push(signed(params, d, me, 'complaint', createComplaint(params, me, d.commSecret, i, Pi), complaintBodyJson));
    }
    const next = new TrusteeRound4(params, me, {
      ...d,
      received,
      complained: complaints.map((c) => c.accused),
      views: views(params, me, new Set(valid1.keys()), allReveals, mine),
    });
    return { complaints, problems, next };
  }
}

/** Round 4: adjudicate the public messages and keep the secret share. */
export class TrusteeRound4<E> extends TrusteeState<E> {
  readonly round = 4 as const;
  /**
   * Consumes the state. `messages`: every public message of the ceremony (a
   * {@link CeremonyTranscript} will do). Runs the adjudication itself, checks that the messages
   * are the ones this trustee saw (its own messages, the reveals and its shares unchanged, its
   * complaints present), and returns s_j = Σ_{i∈Q} f_i(j) with the public result.
   * @throws CeremonyFailedError when fewer than t trustees are qualified; ProtocolError
   *   (`inconsistent-board`, `own-message`, `trustee-disqualified`) otherwise.
   */
  finish(messages: CeremonyMessages<E>): { key: TrusteeKey<E>; result: CeremonyResult<E> } {
    const { params, trustee: me } = this;
    const g = params.group;
    const d = DATA.get(this)!;
    const result = adjudicateCeremony(params, messages);
    // A trustee proven to equivocate is out; what this trustee saw of it no longer matters.
    const equivocators = new Set(result.disqualified.filter((x) => x.code === 'equivocation').map((x) => x.trustee));
    if (equivocators.has(me))
      throw new ProtocolError(
        `trustee ${me} was disqualified: the messages hold two different signed messages of its own`,
        'trustee-disqualified',
      );
    const V1 = new Set(d.round1!.map((m) => m.trustee).filter((i) => !equivocators.has(i)));
    const ownCommitment = messages.commitments.find((m) => m.trustee === me);
    const ownRound1 = d.round1!.find((m) => m.trustee === me)!;
    if (
      !ownCommitment ||
      !bytesEqual(ownCommitment.commitment, ownRound1.commitment) ||
      !g.equals(ownCommitment.communicationKey, ownRound1.communicationKey)
    )
      throw new ProtocolError(`trustee ${me}: own round-1 commitment is missing or altered`, 'own-message');
    for (const m of d.round1!) {
      if (equivocators.has(m.trustee)) continue;
      const other = messages.commitments.find((x) => x.trustee === m.trustee);
      if (!other || !bytesEqual(other.commitment, m.commitment))
        throw new ProtocolError(
          `trustee ${me}: the round-1 commitment of trustee ${m.trustee} differs from the one checked in round 2`,
          'inconsistent-board',
        );
    }
    const now = views(params, me, V1, messages.reveals, messages.shares);
    for (const [i, digest] of now)
      if (!bytesEqual(digest, d.views!.get(i) ?? new Uint8Array(0)))
        throw new ProtocolError(
          `trustee ${me}: the reveal of trustee ${i} or its share for this trustee differs from the one checked in round 3`,
          'inconsistent-board',
        );
    for (const i of d.complained!)
      if (!messages.complaints.some((c) => c.complainer === me && c.accused === i))
        throw new ProtocolError(`trustee ${me}: its complaint against trustee ${i} is missing from the messages`, 'inconsistent-board');
    if (!result.qualified.includes(me)) {
      const why = result.disqualified.filter((x) => x.trustee === me).map((x) => x.reason);
      throw new ProtocolError(`trustee ${me} was disqualified: ${why.join('; ')}`, 'trustee-disqualified');
    }
    this.consume();
    let s = 0n;
    for (const i of result.qualified) {
      const f = d.received!.get(i);
      if (f === undefined) throw new ProtocolError(`trustee ${me}: no valid share from qualified trustee ${i}`, 'inconsistent-board');
      s = g.Fq.add(s, f);
    }
    if (!g.equals(g.G.multiply(s), result.verificationKeys.get(me)!))
      throw new ProtocolError(`trustee ${me}: s_j·G differs from the verification key K_j`, 'inconsistent-board');
    return { key: new TrusteeKey(result, me, s, d.identity ? { identity: d.identity } : {}), result };
  }
}
