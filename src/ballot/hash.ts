/**
 * The ballot hash (what the credential signs and the board indexes), the tracking code that
 * renders it for people, and the replay key (docs/ballot.md).
 * @module
 */
import { sha256 } from '../sha2.js';
import { bigintIntoLE, bigintToBytesBE, concatBytes, hexInto, toHex } from '../bytes.js';
import type { Group } from '../group/group.js';
import { contextBytes, PROTOCOL_VERSION } from '../hash.js';
import { base32FromBits, base32Value, CROCKFORD_ALPHABET, groupSymbols } from '../election/base32.js';
import { FormatError } from '../errors.js';
import type { Ballot, BallotContent } from './ballot.js';
import { ballotGroup } from './encodings.js';

/** The domain tag hashed first into a ballot hash. */
export const BALLOT_HASH_DOMAIN = `${PROTOCOL_VERSION}-ballot`;
/**
 * Symbols of a tracking code: 30 × 5 = 150 bits of the ballot hash, so that making two ballots
 * with one code (a booth grinding its randomness, a clash) costs about 2^75 hash computations.
 */
export const TRACKING_CODE_SYMBOLS = 30;
/** Symbols per group of a tracking code as shown: six groups of five (a credential code has seven of four). */
export const TRACKING_CODE_GROUP = 5;

const u32 = (n: number): Uint8Array => bigintToBytesBE(BigInt(n), 4);

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
  const head = concatBytes(
    contextBytes([BALLOT_HASH_DOMAIN, group.id, b.electionId, b.fingerprint]),
    group.encode(b.credential),
    u32(M),
    u32(K),
  );
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
  const sc =
    scalarBytes !== undefined
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
  if (o !== n || (scalarBytes !== undefined && si !== scalarBytes.length))
    throw new Error('ballotHash: element or scalar encodings of unexpected length');
  return sha256(buf);
}

/**
 * The key under which boards and the verifier index a ballot to detect replays: its first
 * ciphertext's α, hex. A copied ballot carries the same α under another credential.
 */
export function ballotReplayKey<E>(b: Ballot<E>): string {
  return ballotGroup(b).toHex(b.answers[0]!.choices[0]!.alpha); // from the ballot's memory: no encoding
}

/**
 * A tracking code as a person typed it, in its canonical form `XXXXX-XXXXX`: case, spaces and
 * dashes do not matter, and Crockford's look-alikes are read as intended (O as 0, I and L as 1).
 * @throws FormatError naming `label` when it is not 10 base32 symbols.
 */
export function parseTrackingCode(code: unknown, label = 'tracking code'): string {
  if (typeof code !== 'string') throw new FormatError(label, `expected a string, got ${typeof code}`);
  const symbols = code.replace(/[\s-]/g, '');
  if (symbols.length !== TRACKING_CODE_SYMBOLS)
    throw new FormatError(label, `expected ${TRACKING_CODE_SYMBOLS} symbols (six groups of five), got ${symbols.length}`);
  let canonical = '';
  for (const ch of symbols) {
    const v = base32Value(ch);
    if (v < 0) throw new FormatError(label, `${JSON.stringify(ch)} is not a symbol of tracking codes (0-9, A-Z without U)`);
    canonical += CROCKFORD_ALPHABET[v];
  }
  return groupSymbols(canonical, TRACKING_CODE_GROUP);
}

/** The tracking code of a ballot hash: its first 150 bits in Crockford base32, `XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`. */
export function trackingCode(hash: Uint8Array): string {
  return groupSymbols(base32FromBits(hash, TRACKING_CODE_SYMBOLS), TRACKING_CODE_GROUP);
}

/** What a board indexes a ballot by. */
export interface BallotIndexKeys {
  readonly hashHex: string;
  readonly credentialHex: string;
  readonly replayKeyHex: string;
}

/**
 * The hash, credential and replay key of a ballot **already accepted on a board**, straight from
 * its JSON: the hash layout of {@link ballotHash} filled from the hex strings, with no element
 * decoded. For a ballot box rebuilding its indexes when it reopens (every ballot on the board
 * passed every check when it was cast; the verifier checks them all again). It trusts the
 * encodings to be canonical, which a checked ballot's are; for anything else it returns null and
 * the caller parses the ballot in full.
 */
export function boardBallotKeys(group: Group<unknown>, json: unknown, fingerprint: Uint8Array): BallotIndexKeys | null {
  if (typeof json !== 'object' || json === null) return null;
  const b = json as Record<string, unknown>;
  const answers = b.answers;
  if (!Array.isArray(answers) || answers.length === 0 || typeof b.electionId !== 'string' || typeof b.credential !== 'string') return null;
  const M = answers.length;
  const first = answers[0] as { choices?: unknown };
  if (!Array.isArray(first.choices)) return null;
  const K = first.choices.length;
  const eb = group.elementBytes;
  const sb = group.scalarBytes;
  const head = concatBytes(contextBytes([BALLOT_HASH_DOMAIN, group.id, b.electionId, fingerprint]), new Uint8Array(eb), u32(M), u32(K));
  const perAnswer = 2 * eb * K + K * 2 * (2 * eb + 2 * sb) + 2 * eb + 2 * sb;
  const buf = new Uint8Array(head.length + M * perAnswer);
  buf.set(head);
  let o = head.length - eb - 8;
  const put = (hex: unknown, bytes: number): boolean => {
    const ok = hexInto(hex, buf, o, bytes);
    o += bytes;
    return ok;
  };
  if (!put(b.credential, eb)) return null;
  o = head.length;
  for (const a of answers as { choices?: unknown; proofs?: unknown; exactlyOne?: unknown }[]) {
    if (!Array.isArray(a.choices) || a.choices.length !== K || !Array.isArray(a.proofs) || a.proofs.length !== K) return null;
    for (const c of a.choices as { alpha?: unknown; beta?: unknown }[]) if (!put(c.alpha, eb) || !put(c.beta, eb)) return null;
    for (const p of a.proofs as unknown[]) {
      if (!Array.isArray(p) || p.length !== 2) return null;
      for (const br of p as { a?: unknown; b?: unknown; challenge?: unknown; response?: unknown }[])
        if (!put(br.a, eb) || !put(br.b, eb) || !put(br.challenge, sb) || !put(br.response, sb)) return null;
    }
    const x = a.exactlyOne as { commitment1?: unknown; commitment2?: unknown; challenge?: unknown; response?: unknown } | undefined;
    if (!x || !put(x.commitment1, eb) || !put(x.commitment2, eb) || !put(x.challenge, sb) || !put(x.response, sb)) return null;
  }
  if (o !== buf.length) return null;
  const alpha = (first.choices[0] as { alpha?: unknown }).alpha;
  return { hashHex: toHex(sha256(buf)), credentialHex: b.credential, replayKeyHex: String(alpha) };
}
