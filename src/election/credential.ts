/**
 * Voter credentials (docs/ballot.md): the secret code a voter types, the secret scalar
 * derived from it, the public credential, ballot signatures, and the published credential list.
 *
 * **Code.** 28 Crockford base32 symbols in seven groups of four, `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`:
 * 26 random data symbols (130 bits from the platform CSPRNG) and 2 check symbols. With the
 * symbols read as elements c₀ … c₂₇ of GF(32) = GF(2)[x]/(x⁵ + x² + 1) and α = x (a primitive
 * element of order 31), a valid code satisfies
 *
 *     Σᵢ cᵢ = 0   and   Σᵢ cᵢ·αⁱ = 0
 *
 * i.e. it is a Reed–Solomon codeword of length 28 with minimum distance 3. Any change to one or
 * two symbols is therefore detected: every single-character error, every transposition of two
 * characters (adjacent or not) and every pair of substitutions. A single error is even located
 * (the syndromes give α^position), which {@link parseCredentialCode} reports as a hint.
 *
 * **Secret and public credential.** x = hash_to_field(contextBytes([electionId, code]),
 * DST `mjvote-v1-credential-<group id>`), over the 28 canonical symbols (no separators); the
 * public credential is X = x·G. The election id in the message binds a code to one election.
 *
 * **Ballot signature.** A Schnorr signature by x over a ballot hash h, transcript kind
 * `ballot-signature`: R = w·G, c = H(contextBytes([fingerprint, h]), G, X, R), z = w + c·x;
 * verify z·G − R − c·X = 0 with c recomputed.
 * @module
 */
import { FormatError } from '../errors.js';
import { randomBytes, typeName } from '../bytes.js';
import type { FixedBase, Group } from '../group/group.js';
import { Transcript, contextBytes, domainTag } from '../hash.js';
import { checkEquation, type Equation } from '../proofs/equation.js';
import { csprngNonces, type ProveOptions } from '../proofs/nonces.js';
import type { SchnorrProof } from '../proofs/schnorr.js';
import { expectArray, expectObject } from '../json/guards.js';
import { base32FromBits, base32Value, CROCKFORD_ALPHABET, groupSymbols } from './base32.js';
import { ID_RE } from './manifest.js';

// ---------------------------------------------------------------------------------------------
// The code and its checksum

/** Random data symbols in a code (26 × 5 = 130 bits). */
export const CODE_DATA_SYMBOLS = 26;
/** Check symbols in a code. */
export const CODE_CHECK_SYMBOLS = 2;
/** Symbols in a code. */
export const CODE_SYMBOLS = CODE_DATA_SYMBOLS + CODE_CHECK_SYMBOLS;
/** Symbols per dash-separated group in the canonical rendering. */
export const CODE_GROUP_SIZE = 4;

// GF(32) with the primitive polynomial x⁵ + x² + 1; EXP[i] = αⁱ, doubled to skip a reduction.
const GF_EXP = new Uint8Array(62);
const GF_LOG = new Uint8Array(32);
{
  let x = 1;
  for (let i = 0; i < 31; i++) {
    GF_EXP[i] = GF_EXP[i + 31] = x;
    GF_LOG[x] = i;
    x <<= 1;
    if (x & 32) x ^= 0b100101;
  }
}
const gfMul = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : GF_EXP[GF_LOG[a]! + GF_LOG[b]!]!);
const gfDiv = (a: number, b: number): number => (a === 0 ? 0 : GF_EXP[GF_LOG[a]! + 31 - GF_LOG[b]!]!);

/** Syndromes (S₀, S₁) = (Σ cᵢ, Σ cᵢ·αⁱ) of a symbol sequence; both 0 for a valid code. */
function syndromes(symbols: readonly number[]): [number, number] {
  let s0 = 0;
  let s1 = 0;
  symbols.forEach((c, i) => {
    s0 ^= c;
    s1 ^= gfMul(c, GF_EXP[i]!);
  });
  return [s0, s1];
}

/** The two check symbols (c₂₆, c₂₇) that make data symbols c₀ … c₂₅ a codeword. */
function checkSymbols(data: readonly number[]): [number, number] {
  const [s0, s1] = syndromes(data);
  const a26 = GF_EXP[26]!;
  const a27 = GF_EXP[27]!;
  // c₂₆ + c₂₇ = S₀ and c₂₆·α²⁶ + c₂₇·α²⁷ = S₁ (characteristic 2: minus is plus).
  const c26 = gfDiv(s1 ^ gfMul(s0, a27), a26 ^ a27);
  return [c26, s0 ^ c26];
}

const symbolsToString = (symbols: readonly number[]): string => symbols.map((v) => CROCKFORD_ALPHABET[v]).join('');

/** What is wrong with a typed credential code. */
export type CredentialCodeProblem = 'type' | 'length' | 'character' | 'checksum';

/**
 * A credential code that cannot be right: wrong length, a character outside the alphabet, or a
 * failed checksum (a typo). Never carries the code or any of its characters (they are secret).
 */
export class CredentialCodeError extends FormatError {
  /** What is wrong. */
  readonly problem: CredentialCodeProblem;
  /**
   * 0-based index, among the code's symbols (separators not counted), of the bad character
   * (`character`) or of the character a single typo most likely hit (`checksum`, when the
   * checksum can locate one).
   */
  readonly position: number | undefined;
  constructor(problem: CredentialCodeProblem, reason: string, position?: number) {
    super('credential', reason);
    this.problem = problem;
    this.position = position;
  }
}

/** Separators a person may type between groups: spaces, dashes (any kind), dots, underscores. */
const SEPARATOR_RE = /[\s\-\u2010-\u2015\u2212._]/g;

/** Result of {@link checkCredentialCode}: the canonical code, or what is wrong (never the code itself). */
export type CredentialCodeCheck =
  | { readonly ok: true; readonly code: string }
  | { readonly ok: false; readonly problem: CredentialCodeProblem; readonly reason: string; readonly position?: number };

/**
 * Normalises a typed code (case, separators, Crockford's look-alikes I/L → 1 and O → 0) and
 * checks it without throwing (for a form that validates as the voter types). On success `code`
 * is the canonical grouped form `XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`.
 */
export function checkCredentialCode(code: unknown): CredentialCodeCheck {
  if (typeof code !== 'string') return { ok: false, problem: 'type', reason: `expected a string, got ${typeName(code)}` };
  const compact = code.replace(SEPARATOR_RE, '');
  const symbols: number[] = [];
  for (let i = 0; i < compact.length; i++) {
    const v = base32Value(compact[i]!);
    if (v < 0)
      return {
        ok: false,
        problem: 'character',
        reason: `character ${i + 1} of the code is not a code character (0-9 and A-Z except U)`,
        position: i,
      };
    symbols.push(v);
  }
  if (symbols.length !== CODE_SYMBOLS)
    return { ok: false, problem: 'length', reason: `expected ${CODE_SYMBOLS} code characters, got ${symbols.length}` };
  const [s0, s1] = syndromes(symbols);
  if (s0 !== 0 || s1 !== 0) {
    // A single error e at position i gives S₀ = e and S₁ = e·αⁱ.
    const i = s0 !== 0 && s1 !== 0 ? (GF_LOG[s1]! - GF_LOG[s0]! + 31) % 31 : -1;
    if (i >= 0 && i < CODE_SYMBOLS)
      return {
        ok: false,
        problem: 'checksum',
        reason: `the code has a typo: check it, most likely character ${i + 1} (group ${Math.floor(i / CODE_GROUP_SIZE) + 1})`,
        position: i,
      };
    return { ok: false, problem: 'checksum', reason: 'the code has a typo (the checksum does not match): check it character by character' };
  }
  return { ok: true, code: groupSymbols(symbolsToString(symbols), CODE_GROUP_SIZE) };
}

/**
 * Normalises and checks a typed code ({@link checkCredentialCode}), returning its canonical
 * grouped form.
 * @throws CredentialCodeError (`problem`: `type`, `length`, `character` with the position, or
 * `checksum` with the likely position of a single typo when one explains the error).
 */
export function parseCredentialCode(code: unknown): string {
  const c = checkCredentialCode(code);
  if (!c.ok) throw new CredentialCodeError(c.problem, c.reason, c.position);
  return c.code;
}

/** A code corrected by {@link correctCredentialCode}. */
export interface CredentialCodeCorrection {
  /** The canonical grouped code that passes {@link checkCredentialCode}. */
  readonly code: string;
  /**
   * 0-based index, among the code's symbols (separators not counted), of the one character that
   * was changed; absent when the typed code was valid as it was.
   */
  readonly position?: number;
}

/**
 * The code a single mistyped character would have come from, for a booth to *offer* (never to
 * apply silently). The checksum is a Reed–Solomon code of minimum distance 3, so one substituted
 * symbol is both located and corrected: an error e at position i gives S₀ = e and S₁ = e·αⁱ,
 * hence i = log S₁ − log S₀ and cᵢ ← cᵢ + S₀. Two or more errors can look like one error
 * elsewhere, so the result is a suggestion that the voter confirms against their paper.
 *
 * Returns the canonical code (without `position`) for a valid code; the corrected code and the
 * position when exactly one substitution explains the checksum; null otherwise (not a string,
 * wrong length, a character outside the alphabet, or an error no single substitution explains).
 * Never throws, never logs, and never puts the code in an error.
 */
export function correctCredentialCode(code: unknown): CredentialCodeCorrection | null {
  if (typeof code !== 'string') return null;
  const compact = code.replace(SEPARATOR_RE, '');
  if (compact.length !== CODE_SYMBOLS) return null;
  const symbols: number[] = [];
  for (let i = 0; i < compact.length; i++) {
    const v = base32Value(compact[i]!);
    if (v < 0) return null;
    symbols.push(v);
  }
  const [s0, s1] = syndromes(symbols);
  if (s0 === 0 && s1 === 0) return { code: groupSymbols(symbolsToString(symbols), CODE_GROUP_SIZE) };
  // One error needs both syndromes non-zero (e ≠ 0, so e·αⁱ ≠ 0) and a position inside the code.
  if (s0 === 0 || s1 === 0) return null;
  const i = (GF_LOG[s1]! - GF_LOG[s0]! + 31) % 31;
  if (i >= CODE_SYMBOLS) return null;
  symbols[i] = symbols[i]! ^ s0;
  const [t0, t1] = syndromes(symbols);
  if (t0 !== 0 || t1 !== 0) return null; // cannot happen (the algebra above); kept as a guard
  return { code: groupSymbols(symbolsToString(symbols), CODE_GROUP_SIZE), position: i };
}

/** A fresh random code in canonical grouped form (130 bits of entropy). */
export function generateCredentialCode(): string {
  const bits = randomBytes(17); // 136 ≥ 130 bits; each 5-bit slice of uniform bits is uniform
  const data: number[] = [];
  for (const ch of base32FromBits(bits, CODE_DATA_SYMBOLS)) data.push(base32Value(ch));
  return groupSymbols(symbolsToString([...data, ...checkSymbols(data)]), CODE_GROUP_SIZE);
}

// ---------------------------------------------------------------------------------------------
// The credential: secret scalar and public key

function assertElectionId(electionId: unknown, label: string): string {
  if (typeof electionId !== 'string' || !ID_RE.test(electionId)) throw new FormatError(label, 'expected an election id');
  return electionId;
}

/**
 * A voter's credential: the secret code, the secret scalar x derived from it, and the public
 * credential X = x·G. The secrets live in private fields: they never reach `toJSON`,
 * `JSON.stringify` or `console.log`/`util.inspect`, which show only the public part.
 */
export class Credential<E> {
  readonly #code: string;
  readonly #secret: bigint;
  /** The public credential X = x·G. */
  readonly publicKey: E;
  /** X in lowercase hex (as in the credential list and ballots). */
  readonly publicKeyHex: string;

  /** Use {@link credentialFromCode} or {@link generateCredential}. */
  private constructor(
    readonly group: Group<E>,
    readonly electionId: string,
    code: string,
    secret: bigint,
  ) {
    this.#code = code;
    this.#secret = secret;
    this.publicKey = group.G.multiply(secret);
    this.publicKeyHex = group.toHex(this.publicKey);
    Object.freeze(this);
  }

  /** @internal Builds a credential from a checked code. */
  static fromCheckedCode<E>(group: Group<E>, electionId: string, code: string): Credential<E> {
    const compact = code.replace(/-/g, '');
    const x = group.hashToScalar(contextBytes([electionId, compact]), domainTag('credential', group));
    if (x === 0n) throw new RangeError('credential scalar is 0'); // probability 1/q
    return new Credential(group, electionId, code, x);
  }

  /** The secret code in canonical grouped form, to hand to the voter. Secret: do not log it. */
  revealCode(): string {
    return this.#code;
  }

  /**
   * Signs a ballot hash (kind `ballot-signature`): R = w·G, c = H(ctx, G, X, R), z = w + c·x
   * with ctx = contextBytes([fingerprint, ballotHash]).
   */
  signBallotHash(fingerprint: Uint8Array, ballotHash: Uint8Array, opts: ProveOptions = {}): SchnorrProof<E> {
    const g = this.group;
    const w = (opts.nonces ?? csprngNonces(g))();
    const R = g.G.multiply(w);
    const c = signatureChallenge(g, fingerprint, ballotHash, this.publicKey, R);
    return { commitment: R, challenge: c, response: g.Fq.add(w, g.Fq.mul(c, this.#secret)) };
  }

  /** The public part only. */
  toJSON(): { electionId: string; publicKey: string } {
    return { electionId: this.electionId, publicKey: this.publicKeyHex };
  }

  /** Node's `util.inspect` (console.log) shows the public part only. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Credential { electionId: '${this.electionId}', publicKey: '${this.publicKeyHex}', secret: [hidden] }`;
  }
}

/**
 * The credential of a typed code in an election: normalises and checks the code
 * ({@link parseCredentialCode}), then derives x and X = x·G.
 * @throws CredentialCodeError for a mistyped code; FormatError for a malformed election id.
 */
export function credentialFromCode<E>(group: Group<E>, electionId: string, code: unknown): Credential<E> {
  return Credential.fromCheckedCode(group, assertElectionId(electionId, 'electionId'), parseCredentialCode(code));
}

/** A fresh credential for one registered voter of the election (the registrar's step). */
export function generateCredential<E>(group: Group<E>, electionId: string): Credential<E> {
  return Credential.fromCheckedCode(group, assertElectionId(electionId, 'electionId'), generateCredentialCode());
}

// ---------------------------------------------------------------------------------------------
// Ballot signatures

/** The Fiat–Shamir challenge of a ballot signature (transcript kind `ballot-signature`) by X with commitment R. */
export function signatureChallenge<E>(group: Group<E>, fingerprint: Uint8Array, ballotHash: Uint8Array, X: E, R: E): bigint {
  return new Transcript(group, 'ballot-signature')
    .bytes(contextBytes([fingerprint, ballotHash]))
    .element(group.generator)
    .element(X)
    .element(R)
    .challenge();
}

/** The signature's equation z·G − R − c·X = 0, or null when the published challenge is wrong. */
export function ballotSignatureEquations<E>(
  group: Group<E>,
  credential: E,
  fingerprint: Uint8Array,
  ballotHash: Uint8Array,
  sig: SchnorrProof<E>,
): Equation<E>[] | null {
  if (signatureChallenge(group, fingerprint, ballotHash, credential, sig.commitment) !== sig.challenge) return null;
  const F = group.Fq;
  return [
    [
      { scalar: sig.response, point: group.generator },
      { scalar: F.neg(1n), point: sig.commitment },
      { scalar: F.neg(sig.challenge), point: credential },
    ],
  ];
}

/** One-by-one verification of a ballot signature by the public credential X. */
export function verifyBallotSignature<E>(
  group: Group<E>,
  credential: E,
  fingerprint: Uint8Array,
  ballotHash: Uint8Array,
  sig: SchnorrProof<E>,
  tables: readonly FixedBase<E>[] = [],
): boolean {
  const eqs = ballotSignatureEquations(group, credential, fingerprint, ballotHash, sig);
  return eqs !== null && eqs.every((e) => checkEquation(group, e, tables));
}

// ---------------------------------------------------------------------------------------------
// The published credential list

/** Version of the {@link CredentialListJson} wire form. */
export const CREDENTIAL_LIST_VERSION = 1;

/** Wire form: `{version: 1, electionId, group, credentials: [hex X, …]}` in the registrar's order. */
export interface CredentialListJson {
  version: 1;
  electionId: string;
  group: string;
  credentials: string[];
}

/** A validated list of public credentials: distinct, valid, non-identity group elements. */
export interface CredentialList<E> {
  readonly group: Group<E>;
  readonly electionId: string;
  /** Number of registered voters. */
  readonly size: number;
  /** Whether X is listed. */
  has(credential: E): boolean;
  /** Whether the canonical hex encoding of X is listed. */
  hasHex(credentialHex: string): boolean;
  /** The credentials' hex encodings, in list order. */
  readonly hex: readonly string[];
}

function makeList<E>(group: Group<E>, electionId: string, hex: string[]): CredentialList<E> {
  const set = new Set(hex);
  Object.freeze(hex);
  return Object.freeze({
    group,
    electionId,
    size: hex.length,
    has: (X: E) => set.has(group.toHex(X)),
    hasHex: (h: string) => set.has(h),
    hex,
  });
}

/**
 * The list of the given public credentials.
 * @throws FormatError (`credentials[i]`) for the identity or a duplicate.
 */
export function createCredentialList<E>(group: Group<E>, electionId: string, credentials: readonly E[]): CredentialList<E> {
  assertElectionId(electionId, 'electionId');
  const seen = new Set<string>();
  const hex = credentials.map((X, i) => {
    if (group.isIdentity(X)) throw new FormatError(`credentials[${i}]`, 'the identity is not a credential');
    const h = group.toHex(X);
    if (seen.has(h)) throw new FormatError(`credentials[${i}]`, 'duplicate credential');
    seen.add(h);
    return h;
  });
  return makeList(group, electionId, hex);
}

/**
 * @internal The list of credentials this process just generated (their hex encodings, valid by
 * construction): for the registrar, who makes hundreds of thousands and should not hold them as
 * group elements. Duplicates are still refused.
 * @throws FormatError (`credentials[i]`) for a duplicate.
 */
export function credentialListOfGeneratedKeys<E>(group: Group<E>, electionId: string, hex: string[]): CredentialList<E> {
  assertElectionId(electionId, 'electionId');
  const seen = new Set<string>();
  hex.forEach((h, i) => {
    if (seen.has(h)) throw new FormatError(`credentials[${i}]`, 'duplicate credential');
    seen.add(h);
  });
  return makeList(group, electionId, hex);
}

/** The list's wire form. */
export function credentialListToJson<E>(list: CredentialList<E>): CredentialListJson {
  return { version: CREDENTIAL_LIST_VERSION, electionId: list.electionId, group: list.group.id, credentials: [...list.hex] };
}

/**
 * Parses a published credential list: every entry decoded (canonical encoding, in the group, not
 * the identity), duplicates rejected, the group and (if given) the election id checked.
 * @throws FormatError naming the JSON path.
 */
export function parseCredentialList<E>(
  json: unknown,
  group: Group<E>,
  opts: { electionId?: string } = {},
  path = 'credentialList',
): CredentialList<E> {
  const o = expectObject(json, path, ['version', 'electionId', 'group', 'credentials']);
  if (o.version !== CREDENTIAL_LIST_VERSION) throw new FormatError(`${path}.version`, `expected ${CREDENTIAL_LIST_VERSION}`);
  const electionId = assertElectionId(o.electionId, `${path}.electionId`);
  if (opts.electionId !== undefined && electionId !== opts.electionId)
    throw new FormatError(`${path}.electionId`, `expected '${opts.electionId}', got '${electionId}'`);
  if (o.group !== group.id) throw new FormatError(`${path}.group`, `expected '${group.id}'`);
  const seen = new Set<string>();
  const hex = expectArray(o.credentials, `${path}.credentials`).map((h, i) => {
    const p = `${path}.credentials[${i}]`;
    group.fromHex(h, p); // validation: canonical, in the group, not the identity
    const s = h as string;
    if (seen.has(s)) throw new FormatError(p, 'duplicate credential');
    seen.add(s);
    return s;
  });
  return makeList(group, electionId, hex);
}
