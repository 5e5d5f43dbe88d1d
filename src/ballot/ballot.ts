/**
 * The encrypted majority-judgment ballot: its in-memory type, its JSON wire form, its hash and
 * tracking code, and the contexts its proofs are bound to (DESIGN §3 "Majority-judgment ballot").
 *
 * For candidate j ∈ [0, M) and grade g ∈ [0, K) (0 = best) the ballot holds E[j][g], an
 * encryption of 1 if the voter gave j grade g and 0 otherwise, with
 * - a 0/1 proof (`disjunctive01`) with context `contextBytes([fingerprint, X, j, g])`;
 * - per candidate, an exactly-one proof (`encrypts-k`, k = 1) on Σ_g E[j][g] with context
 *   `contextBytes([fingerprint, X, j])`;
 * where X is the canonical encoding of the voter's public credential. The **ballot hash** is
 * SHA-256 over the canonical bytes of everything but the signature (layout in
 * {@link ballotHash} and `docs/ballot.md`); the credential signs it; the **tracking code** is
 * its first 50 bits in Crockford base32, `XXXXX-XXXXX`.
 *
 * A {@link Ballot} is built only by `encryptBallot` or {@link parseBallot}. It remembers the
 * canonical encoding of each of its elements, so hashing and re-checking a parsed ballot never
 * re-encodes a point (an encoding costs as much as ~40 point additions).
 * @module
 */
import { sha256 } from '../sha2.js';
import { FormatError } from '../errors.js';
import { bigintIntoLE, bigintToBytesBE, concatBytes, fromHex, hexInto, toHex } from '../bytes.js';
import type { DecodeOptions, Group } from '../group/group.js';
import type { Ciphertext } from '../elgamal.js';
import { contextBytes, putContextU32, PROTOCOL_VERSION } from '../hash.js';
import type { DleqProof } from '../proofs/chaum-pedersen.js';
import type { DisjunctiveProof } from '../proofs/disjunctive.js';
import type { SchnorrProof } from '../proofs/schnorr.js';
import {
  expectArray,
  expectObject,
  type CiphertextJson,
  type DisjunctiveBranchJson,
  type DleqProofJson,
  type SchnorrProofJson,
} from '../proofs/wire.js';
import type { Election } from '../election.js';
import { ID_RE } from './manifest.js';
import { base32FromBits, groupSymbols } from './base32.js';

/** Version of the {@link BallotJson} wire form. */
export const BALLOT_VERSION = 1;
/** The domain tag hashed first into a ballot hash. */
export const BALLOT_HASH_DOMAIN = `${PROTOCOL_VERSION}-ballot`;
/** Symbols of a tracking code (10 × 5 = 50 bits of the ballot hash). */
export const TRACKING_CODE_SYMBOLS = 10;

/** One candidate's part of a ballot: K ciphertexts, K 0/1 proofs, one exactly-one proof. */
export interface BallotAnswer<E> {
  /** E[j][g] for g = 0 (best) … K−1. */
  readonly choices: readonly Ciphertext<E>[];
  /** The 0/1 proof of each E[j][g]. */
  readonly proofs: readonly DisjunctiveProof<E>[];
  /** Proof that Σ_g E[j][g] encrypts exactly 1. */
  readonly exactlyOne: DleqProof<E>;
}

/** An encrypted ballot (deeply frozen). `JSON.stringify(ballot)` writes its {@link BallotJson}. */
export interface Ballot<E> {
  readonly group: Group<E>;
  readonly electionId: string;
  /** The election fingerprint the ballot claims, hex. */
  readonly fingerprintHex: string;
  /** The voter's public credential X. */
  readonly credential: E;
  readonly credentialHex: string;
  /** One answer per candidate, in manifest order. */
  readonly answers: readonly BallotAnswer<E>[];
  /** Schnorr signature by the credential over the ballot hash. */
  readonly signature: SchnorrProof<E>;
  /** SHA-256 ballot hash, hex (32 bytes). */
  readonly hashHex: string;
  /** Short human-checkable rendering of the hash, `XXXXX-XXXXX`. */
  readonly trackingCode: string;
}

/** One candidate's answer on the wire. */
export interface BallotAnswerJson {
  choices: CiphertextJson[];
  proofs: DisjunctiveBranchJson[][];
  exactlyOne: DleqProofJson;
}

/**
 * Wire form, members in this order: `{version, electionId, fingerprint, credential, answers,
 * signature}`; elements and scalars as lowercase hex of their canonical encodings. The hash and
 * tracking code are not on the wire: they are recomputed.
 */
export interface BallotJson {
  version: 1;
  electionId: string;
  fingerprint: string;
  credential: string;
  answers: BallotAnswerJson[];
  signature: SchnorrProofJson;
}

// ---------------------------------------------------------------------------------------------
// Canonical encodings, remembered per ballot

/**
 * A view of `group` whose `encode` answers from (and fills) `memo`. Elements are keyed by
 * identity (objects) or value (bigints), so a memo is only ever filled with the canonical
 * encoding of the very element it is asked about.
 */
export function memoizedGroup<E>(group: Group<E>, memo: Map<E, Uint8Array>): Group<E> {
  const encode = (e: E): Uint8Array => {
    let b = memo.get(e);
    if (b === undefined) {
      b = group.encode(e);
      memo.set(e, b);
    }
    return b;
  };
  return Object.create(group, { encode: { value: encode }, toHex: { value: (e: E) => toHex(encode(e)) } }) as Group<E>;
}

const MEMOS = new WeakMap<object, Map<unknown, Uint8Array>>();
const VIEWS = new WeakMap<object, Group<unknown>>();

/** The group view that encodes this ballot's elements from memory (internal to the ballot layer). */
export function ballotGroup<E>(ballot: Ballot<E>): Group<E> {
  let view = VIEWS.get(ballot) as Group<E> | undefined;
  if (view === undefined) VIEWS.set(ballot, (view = memoizedGroup(ballot.group, ballotMemo(ballot))));
  return view;
}

/** The encodings a ballot remembers (made empty for a ballot that has none yet). */
function ballotMemo<E>(ballot: Ballot<E>): Map<E, Uint8Array> {
  let memo = MEMOS.get(ballot) as Map<E, Uint8Array> | undefined;
  if (!memo) MEMOS.set(ballot, (memo = new Map()));
  return memo;
}

// ---------------------------------------------------------------------------------------------
// Contexts

/** Context of the 0/1 proof of E[j][g]: `contextBytes([fingerprint, X, j, g])`. */
export function cellContext(fingerprint: Uint8Array, credential: Uint8Array, candidate: number, grade: number): Uint8Array {
  return contextBytes([fingerprint, credential, candidate, grade]);
}

/** Context of candidate j's exactly-one proof: `contextBytes([fingerprint, X, j])`. */
export function candidateContext(fingerprint: Uint8Array, credential: Uint8Array, candidate: number): Uint8Array {
  return contextBytes([fingerprint, credential, candidate]);
}

/** The proof contexts of one ballot (fingerprint and credential X fixed), built from one prefix. */
export interface BallotContexts {
  /** {@link cellContext}(fingerprint, X, j, g). */
  cell(candidate: number, grade: number): Uint8Array;
  /** {@link candidateContext}(fingerprint, X, j). */
  candidate(candidate: number): Uint8Array;
}

/**
 * The same bytes as {@link cellContext} and {@link candidateContext}, from `contextBytes([fingerprint, X])`
 * computed once: `contextBytes` is a concatenation of length-prefixed parts, so appending
 * `u32(4) ‖ u32(j)` (and `u32(4) ‖ u32(g)`) to the prefix gives `contextBytes([fingerprint, X, j(, g)])`.
 * A ballot has 42 contexts; this builds each with one allocation.
 */
export function ballotContexts(fingerprint: Uint8Array, credential: Uint8Array): BallotContexts {
  const prefix = contextBytes([fingerprint, credential]);
  const n = prefix.length;
  return {
    cell(j: number, g: number): Uint8Array {
      const out = new Uint8Array(n + 16);
      out.set(prefix);
      putContextU32(out, n, j);
      putContextU32(out, n + 8, g);
      return out;
    },
    candidate(j: number): Uint8Array {
      const out = new Uint8Array(n + 8);
      out.set(prefix);
      putContextU32(out, n, j);
      return out;
    },
  };
}

/**
 * Encodes `points` in one call (the group's `encodeMany`: on the WebAssembly backend two
 * exponentiations per SIMD vector) and remembers the encodings for {@link ballotGroup}: the
 * exactly-one sums of a ballot, whose encodings its check needs.
 */
export function rememberEncodings<E>(ballot: Ballot<E>, points: readonly E[]): void {
  const memo = ballotMemo(ballot);
  const todo = points.filter((p) => !memo.has(p));
  if (todo.length < 2) return;
  const eb = ballot.group.elementBytes;
  const bytes = ballot.group.encodeMany(todo);
  for (let i = 0; i < todo.length; i++) memo.set(todo[i]!, bytes.subarray(eb * i, eb * i + eb));
}

// ---------------------------------------------------------------------------------------------
// Hash and tracking code

const u32 = (n: number): Uint8Array => bigintToBytesBE(BigInt(n), 4);

/** The unsigned content of a ballot: what the hash covers. */
export interface BallotContent<E> {
  readonly electionId: string;
  readonly fingerprint: Uint8Array;
  readonly credential: E;
  readonly answers: readonly BallotAnswer<E>[];
}

const LITTLE_ENDIAN = new Map<string, boolean>();
/** Whether the group (by id: both ristretto255 backends alike) encodes scalars little-endian. */
export function littleEndianScalars(group: Group<unknown>): boolean {
  let le = LITTLE_ENDIAN.get(group.id);
  if (le === undefined) LITTLE_ENDIAN.set(group.id, (le = group.encodeScalar(1n)[0] === 1));
  return le;
}

/**
 * The ballot hash, SHA-256 of
 * ```
 * lp("mjvote-v1-ballot") ‖ lp(group id) ‖ lp(electionId) ‖ lp(fingerprint) ‖ enc(X) ‖ u32(M) ‖ u32(K)
 * ‖ for j in 0..M−1:  for g: enc(α_jg) ‖ enc(β_jg)
 *                     for g: for branch b in 0, 1: enc(A_b) ‖ enc(B_b) ‖ sc(c_b) ‖ sc(z_b)
 *                     enc(A₁) ‖ enc(A₂) ‖ sc(c) ‖ sc(z)              (exactly-one proof)
 * ```
 * with lp(x) = u32(len x) ‖ x, enc/sc the group's canonical element/scalar encodings (fixed
 * length per group). `group` should be a memoized view (encodings are then free).
 *
 * `scalarBytes`, when given, holds the canonical encodings of the content's scalars in the order
 * above (per answer: every branch's c and z, then the exactly-one proof's c and z), read from a
 * canonical text by its parser: they are copied instead of encoded again. The caller vouches
 * that they encode the very scalars of `b`.
 */
export function ballotHash<E>(group: Group<E>, b: BallotContent<E>, scalarBytes?: Uint8Array): Uint8Array {
  const M = b.answers.length;
  const K = M > 0 ? b.answers[0]!.choices.length : 0;
  // contextBytes([a, …]) = lp(a) ‖ …, strings as UTF-8.
  const head = concatBytes(contextBytes([BALLOT_HASH_DOMAIN, group.id, b.electionId, b.fingerprint]), group.encode(b.credential), u32(M), u32(K));
  // The content is assembled in one buffer and hashed in one call, not one call per element.
  const eb = group.elementBytes;
  const sb = group.scalarBytes;
  let n = head.length;
  for (const a of b.answers) {
    n += 2 * eb * a.choices.length + 2 * eb + 2 * sb;
    for (const p of a.proofs) n += (2 * eb + 2 * sb) * p.length;
  }
  const buf = new Uint8Array(n);
  buf.set(head);
  let o = head.length;
  const put = (bytes: Uint8Array) => {
    buf.set(bytes, o);
    o += bytes.length;
  };
  const enc = (e: E) => put(group.encode(e));
  // Scalars: copied from `scalarBytes` when given; little-endian ones (ristretto255) written in
  // place by bigintIntoLE; others through the group's encoding.
  const q = group.order;
  let si = 0;
  const sc = scalarBytes !== undefined
    ? () => {
        put(scalarBytes.subarray(si, si + sb));
        si += sb;
      }
    : littleEndianScalars(group)
    ? (k: bigint) => {
        if (k < 0n || k >= q) throw new RangeError('scalar out of range [0, q)');
        bigintIntoLE(k, buf, o, sb);
        o += sb;
      }
    : (k: bigint) => put(group.encodeScalar(k));
  for (const a of b.answers) {
    for (const ct of a.choices) {
      enc(ct.alpha);
      enc(ct.beta);
    }
    for (const p of a.proofs)
      for (const br of p) {
        enc(br.commitmentA);
        enc(br.commitmentB);
        sc(br.challenge);
        sc(br.response);
      }
    enc(a.exactlyOne.commitment1);
    enc(a.exactlyOne.commitment2);
    sc(a.exactlyOne.challenge);
    sc(a.exactlyOne.response);
  }
  if (o !== n || (scalarBytes !== undefined && si !== scalarBytes.length)) throw new Error('ballotHash: element or scalar encodings of unexpected length');
  return sha256(buf);
}

/**
 * The key under which boards and the verifier index a ballot to detect replays: its first
 * ciphertext's α, hex. A copied ballot carries the same α under another credential.
 */
export function ballotReplayKey<E>(b: Ballot<E>): string {
  return ballotGroup(b).toHex(b.answers[0]!.choices[0]!.alpha); // from the ballot's memory: no encoding
}

/** The tracking code of a ballot hash: its first 50 bits in Crockford base32, `XXXXX-XXXXX`. */
export function trackingCode(hash: Uint8Array): string {
  return groupSymbols(base32FromBits(hash, TRACKING_CODE_SYMBOLS), 5);
}

/**
 * Assembles and freezes a ballot from its content and signature (encryption and parsing).
 * `view` is `memoizedGroup(group, memo)` when the caller has made it already; it becomes the
 * ballot's {@link ballotGroup}.
 */
export function assembleBallot<E>(group: Group<E>, memo: Map<E, Uint8Array>, content: BallotContent<E>, signature: SchnorrProof<E>, hash: Uint8Array, view = memoizedGroup(group, memo)): Ballot<E> {
  for (const a of content.answers) {
    for (const c of a.choices) Object.freeze(c);
    for (const p of a.proofs) {
      for (const br of p) Object.freeze(br);
      Object.freeze(p);
    }
    Object.freeze(a.choices);
    Object.freeze(a.proofs);
    Object.freeze(a.exactlyOne);
    Object.freeze(a);
  }
  const ballot: Ballot<E> = {
    group,
    electionId: content.electionId,
    fingerprintHex: toHex(content.fingerprint),
    credential: content.credential,
    credentialHex: view.toHex(content.credential),
    answers: Object.freeze([...content.answers]),
    signature: Object.freeze({ ...signature }),
    hashHex: toHex(hash),
    trackingCode: trackingCode(hash),
  };
  // JSON.stringify(ballot) writes the wire form (non-enumerable: not a data member).
  Object.defineProperty(ballot, 'toJSON', { value: () => ballotToJson(ballot) });
  Object.freeze(ballot);
  MEMOS.set(ballot, memo as Map<unknown, Uint8Array>);
  VIEWS.set(ballot, view as Group<unknown>); // ballotGroup's view: the same group and memo
  return ballot;
}

// ---------------------------------------------------------------------------------------------
// Wire form

const IDENTITY_HEX = '00'.repeat(32);

/**
 * The element strings of a ballot in the order parseBallot reads them, decoded in one call
 * (the group's `decodeMany`); null when anything is off (parseBallot then decodes field by
 * field and reports the first problem).
 */
function preDecode<E>(json: unknown, group: Group<E>): { hex: unknown[]; points: E[]; bytes: Uint8Array } | null {
  const eb = group.elementBytes;
  const hex: unknown[] = [];
  const o = json as { credential?: unknown; answers?: unknown; signature?: { commitment?: unknown } } | null;
  if (typeof o !== 'object' || o === null || !Array.isArray(o.answers)) return null;
  hex.push(o.credential);
  for (const a of o.answers as { choices?: unknown; proofs?: unknown; exactlyOne?: { commitment1?: unknown; commitment2?: unknown } }[]) {
    if (typeof a !== 'object' || a === null || !Array.isArray(a.choices) || !Array.isArray(a.proofs) || typeof a.exactlyOne !== 'object' || a.exactlyOne === null) return null;
    for (const c of a.choices as ({ alpha?: unknown; beta?: unknown } | null)[]) {
      if (typeof c !== 'object' || c === null) return null;
      hex.push(c.alpha, c.beta);
    }
    for (const p of a.proofs as unknown[]) {
      if (!Array.isArray(p)) return null;
      for (const br of p as ({ a?: unknown; b?: unknown } | null)[]) {
        if (typeof br !== 'object' || br === null) return null;
        hex.push(br.a, br.b);
      }
    }
    hex.push(a.exactlyOne.commitment1, a.exactlyOne.commitment2);
  }
  if (typeof o.signature !== 'object' || o.signature === null) return null;
  hex.push(o.signature.commitment);
  const bytes = new Uint8Array(eb * hex.length);
  for (let i = 0; i < hex.length; i++) if (!hexInto(hex[i], bytes, eb * i, eb)) return null;
  try {
    return { hex, points: group.decodeMany(bytes, 'elements', { allowIdentity: true }), bytes };
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }
}

/** The ballot's wire form (a fresh object; encodings come from the ballot's memory). */
export function ballotToJson<E>(ballot: Ballot<E>): BallotJson {
  const g = ballotGroup(ballot);
  const hex = (e: E) => g.toHex(e);
  const sc = (k: bigint) => g.scalarToHex(k);
  return {
    version: BALLOT_VERSION,
    electionId: ballot.electionId,
    fingerprint: ballot.fingerprintHex,
    credential: ballot.credentialHex,
    answers: ballot.answers.map((a) => ({
      choices: a.choices.map((c) => ({ alpha: hex(c.alpha), beta: hex(c.beta) })),
      proofs: a.proofs.map((p) => p.map((br) => ({ a: hex(br.commitmentA), b: hex(br.commitmentB), challenge: sc(br.challenge), response: sc(br.response) }))),
      exactlyOne: {
        commitment1: hex(a.exactlyOne.commitment1),
        commitment2: hex(a.exactlyOne.commitment2),
        challenge: sc(a.exactlyOne.challenge),
        response: sc(a.exactlyOne.response),
      },
    })),
    signature: { commitment: hex(ballot.signature.commitment), challenge: sc(ballot.signature.challenge), response: sc(ballot.signature.response) },
  };
}

/**
 * Parses a ballot for `election`, validating every field once: exact members (no unknown, none
 * missing), version, election id syntax, 32-byte fingerprint, every element (lowercase hex,
 * canonical, in the group; the credential and every α not the identity), every scalar (< q),
 * M answers of K choices, K proofs of 2 branches each. It does not check that the ballot is
 * for this election, nor any proof: that is {@link checkBallot}'s job.
 * @param path - JSON path used in errors (default `ballot`).
 * @throws FormatError naming the offending field's JSON path.
 */
export function parseBallot<E>(json: unknown, election: Election<E>, path = 'ballot'): Ballot<E> {
  const group = election.group;
  const memo = new Map<E, Uint8Array>();
  // Every element decoded in one call up front (the group's decodeMany: on the WebAssembly
  // backend, in SIMD lanes). Each elem() call below takes the next one only if its input is the
  // very string that was decoded; anything unusual (bad shape, bad hex, invalid point, identity)
  // falls back to decoding that field alone, which names it in the error exactly as before.
  const pre = preDecode(json, group);
  const eb = group.elementBytes;
  let next = 0;
  const elem = (v: unknown, p: string, allowIdentity = true): E => {
    if (pre !== null && next < pre.hex.length) {
      const k = next++;
      if (pre.hex[k] === v && (allowIdentity || v !== IDENTITY_HEX)) {
        const e = pre.points[k]!;
        memo.set(e, pre.bytes.subarray(eb * k, eb * k + eb));
        return e;
      }
    }
    const bytes = fromHex(v, p, group.elementBytes);
    const e = group.decode(bytes, p, { allowIdentity });
    memo.set(e, bytes);
    return e;
  };
  const scalar = (v: unknown, p: string) => group.scalarFromHex(v, p);

  const o = expectObject(json, path, ['version', 'electionId', 'fingerprint', 'credential', 'answers', 'signature']);
  if (o.version !== BALLOT_VERSION) throw new FormatError(`${path}.version`, `expected ${BALLOT_VERSION}`);
  if (typeof o.electionId !== 'string' || !ID_RE.test(o.electionId)) throw new FormatError(`${path}.electionId`, 'expected an election id');
  const fingerprint = fromHex(o.fingerprint, `${path}.fingerprint`, 32);
  const credential = elem(o.credential, `${path}.credential`, false);
  const K = election.gradeCount;
  const answers = expectArray(o.answers, `${path}.answers`, election.candidateCount).map((a, j): BallotAnswer<E> => {
    const pa = `${path}.answers[${j}]`;
    const ao = expectObject(a, pa, ['choices', 'proofs', 'exactlyOne']);
    const choices = expectArray(ao.choices, `${pa}.choices`, K).map((c, g) => {
      const pc = `${pa}.choices[${g}]`;
      const co = expectObject(c, pc, ['alpha', 'beta']);
      return { alpha: elem(co.alpha, `${pc}.alpha`, false), beta: elem(co.beta, `${pc}.beta`) };
    });
    const proofs = expectArray(ao.proofs, `${pa}.proofs`, K).map((p, g) =>
      expectArray(p, `${pa}.proofs[${g}]`, 2).map((br, b) => {
        const pb = `${pa}.proofs[${g}][${b}]`;
        const bo = expectObject(br, pb, ['a', 'b', 'challenge', 'response']);
        return { commitmentA: elem(bo.a, `${pb}.a`), commitmentB: elem(bo.b, `${pb}.b`), challenge: scalar(bo.challenge, `${pb}.challenge`), response: scalar(bo.response, `${pb}.response`) };
      }),
    );
    const pe = `${pa}.exactlyOne`;
    const eo = expectObject(ao.exactlyOne, pe, ['commitment1', 'commitment2', 'challenge', 'response']);
    const exactlyOne = {
      commitment1: elem(eo.commitment1, `${pe}.commitment1`),
      commitment2: elem(eo.commitment2, `${pe}.commitment2`),
      challenge: scalar(eo.challenge, `${pe}.challenge`),
      response: scalar(eo.response, `${pe}.response`),
    };
    return { choices, proofs, exactlyOne };
  });
  const so = expectObject(o.signature, `${path}.signature`, ['commitment', 'challenge', 'response']);
  const signature = {
    commitment: elem(so.commitment, `${path}.signature.commitment`),
    challenge: scalar(so.challenge, `${path}.signature.challenge`),
    response: scalar(so.response, `${path}.signature.response`),
  };
  return ballotFromParts(group, memo, { electionId: o.electionId, fingerprint, credential, answers }, signature);
}

/**
 * The end of parsing (here and in canonical-text.ts): hashes the content with the encodings
 * read (`memo`, and the scalars' `scalarBytes` in hash order when the caller has them: see
 * {@link ballotHash}) and assembles the ballot.
 */
export function ballotFromParts<E>(group: Group<E>, memo: Map<E, Uint8Array>, content: BallotContent<E>, signature: SchnorrProof<E>, scalarBytes?: Uint8Array): Ballot<E> {
  // One memoized view for the hash, the ballot's credential and (through ballotGroup) its checks.
  const view = memoizedGroup(group, memo);
  return assembleBallot(group, memo, content, signature, ballotHash(view, content, scalarBytes), view);
}
