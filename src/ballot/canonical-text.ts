/**
 * A fast path for reading a ballot from its canonical JSON text, the form a board line holds
 * it in: one left-to-right scan of the text that expects every key, bracket and separator where
 * canonical JSON puts them (keys sorted, no whitespace) and notes where each hex value starts;
 * then every hex value is decoded into one buffer in one call (WebAssembly SIMD on the
 * WebAssembly backend), and all the ballot's elements are decoded in one call. No JSON tree, no
 * per-field path strings.
 *
 * It is a shortcut, never a second judge: it returns `null` for anything it does not take (a
 * group whose encodings are not 32 bytes, any deviation from the canonical layout, a value parseBallot
 * would reject), and the caller then parses the text with `JSON.parse` and {@link parseBallot},
 * which gives the verdict and names the field. When it does return a ballot, that ballot is the
 * one `parseBallot(JSON.parse(text …))` gives: same elements, scalars, encodings, hash
 * (test/ballot/canonical-text.test.ts checks this on mutated texts).
 * @module
 */
import { hexIntoAt, isZeroAt } from '../bytes.js';
import { uint256At } from '../group/scalar-field.js';
import { FormatError } from '../errors.js';
import type { Election } from '../election/election.js';
import type { DisjunctiveProof } from '../proofs/disjunctive.js';
import { hex32Many } from '../wasm/hex.js';
import { BALLOT_VERSION } from './json.js';
import { ballotFromParts } from './assemble.js';
import { littleEndianScalars } from './hash.js';
import { type Ballot, type BallotAnswer } from './ballot.js';
import { ID_RE } from '../election/manifest.js';

const QUOTE = 0x22;

/**
 * Reads the ballot whose canonical JSON text starts at `text[start]` (its opening brace).
 * Returns the ballot and the index just after its closing brace, or null (see the module notes:
 * then parse the text the usual way).
 */
export function parseCanonicalBallotText<E>(text: string, start: number, election: Election<E>): { ballot: Ballot<E>; end: number } | null {
  const group = election.group;
  if (group.elementBytes !== 32 || group.scalarBytes !== 32) return null;
  const M = election.candidateCount;
  const K = election.gradeCount;
  // Elements in text order: per answer 2K choices, 2 exactly-one commitments, 4K branch
  // commitments; then the credential and the signature's commitment.
  const pointsPerAnswer = 6 * K + 2;
  const NP = M * pointsPerAnswer + 2;
  // The content's scalars as read, in the ballot hash's order (per answer: the branches' c and
  // z, then the exactly-one proof's c and z), so the hash copies them instead of encoding them
  // again. The text gives each answer's exactly-one proof before its branches.
  // The signature's two scalars go after them (not hashed).
  const scalarsPerAnswer = 4 * K + 2;
  const hashed = M * scalarsPerAnswer;
  const NS = hashed + 2;
  // The scan checks the text's shape and notes where each value's 64 digits start: points in
  // text order at [0, NP), scalars by their hash-order index at NP + at. The digits are then
  // decoded in one go (hex32Many), points to the first 32·NP bytes
  // of `all`, scalars after them.
  const at = new Int32Array(NP + NS);
  const textOrder = new Int32Array(NS); // the scalars' hash-order indices in text order
  const all = new Uint8Array(32 * (NP + NS));
  const bytes = all.subarray(0, 32 * NP);
  const scalarBytes = all.subarray(32 * NP);
  let pos = start;
  let np = 0;
  let ns = 0;

  const lit = (s: string): boolean => {
    if (!text.startsWith(s, pos)) return false;
    pos += s.length;
    return true;
  };
  // A string value of 64 characters (lowercase hex digits, checked when decoded), its opening
  // quote already read.
  const point = (): boolean => {
    if (text.charCodeAt(pos + 64) !== QUOTE) return false;
    at[np++] = pos;
    pos += 65;
    return true;
  };
  // A scalar's 64 digits, to be decoded into scalarBytes[h] (h: its index in the hash order).
  const scalar = (h: number): boolean => {
    if (text.charCodeAt(pos + 64) !== QUOTE) return false;
    at[NP + h] = pos;
    textOrder[ns++] = h;
    pos += 65;
    return true;
  };

  if (!lit('{"answers":[')) return null;
  for (let j = 0; j < M; j++) {
    if ((j > 0 && !lit(',')) || !lit('{"choices":[')) return null;
    for (let g = 0; g < K; g++)
      if ((g > 0 && !lit(',')) || !lit('{"alpha":"') || !point() || !lit(',"beta":"') || !point() || !lit('}')) return null;
    const hj = j * scalarsPerAnswer;
    if (
      !lit('],"exactlyOne":{"challenge":"') ||
      !scalar(hj + 4 * K) ||
      !lit(',"commitment1":"') ||
      !point() ||
      !lit(',"commitment2":"') ||
      !point()
    )
      return null;
    if (!lit(',"response":"') || !scalar(hj + 4 * K + 1) || !lit('},"proofs":[')) return null;
    for (let g = 0; g < K; g++) {
      if ((g > 0 && !lit(',')) || !lit('[')) return null;
      for (let b = 0; b < 2; b++) {
        if ((b > 0 && !lit(',')) || !lit('{"a":"') || !point() || !lit(',"b":"') || !point()) return null;
        const hb = hj + 4 * g + 2 * b;
        if (!lit(',"challenge":"') || !scalar(hb) || !lit(',"response":"') || !scalar(hb + 1) || !lit('}')) return null;
      }
      if (!lit(']')) return null;
    }
    if (!lit(']}')) return null;
  }
  if (!lit('],"credential":"') || !point() || !lit(',"electionId":"')) return null;
  // An election id has no character that JSON escapes: the text between the quotes is the value.
  const idEnd = text.indexOf('"', pos);
  if (idEnd < 0) return null;
  const electionId = text.substring(pos, idEnd);
  if (!ID_RE.test(electionId)) return null;
  pos = idEnd + 1;
  const fingerprint = new Uint8Array(32);
  if (!lit(',"fingerprint":"') || text.charCodeAt(pos + 64) !== QUOTE || !hexIntoAt(text, pos, fingerprint, 0, 32)) return null;
  pos += 65;
  if (
    !lit(',"signature":{"challenge":"') ||
    !scalar(hashed) ||
    !lit(',"commitment":"') ||
    !point() ||
    !lit(',"response":"') ||
    !scalar(hashed + 1)
  )
    return null;
  if (!lit(`},"version":${BALLOT_VERSION}}`)) return null;
  if (np !== NP || ns !== NS) return null;

  // Every value's digits at once. The scan accepted only JSON punctuation, keys and an election
  // id of [A-Za-z0-9._-] between them, so the text from the first value to the last is ASCII
  // unless a value itself is not (hex32Many refuses it then).
  if (!hex32Many(text, at, NP + NS, all)) return null;
  // Scalars in text order, each read from its decoded bytes (its canonical encoding when it is
  // accepted): little-endian as two 128-bit halves, < q required as scalarFromHex requires it;
  // other groups through scalarFromHex.
  const le = littleEndianScalars(group);
  const q = group.order;
  const scalarView = new DataView(all.buffer, all.byteOffset + 32 * NP, 32 * NS);
  const scalars: bigint[] = new Array(NS);
  for (let i = 0; i < NS; i++) {
    const h = textOrder[i]!;
    if (le) {
      const k = uint256At(scalarView, 32 * h, true);
      if (k >= q) return null;
      scalars[i] = k;
    } else {
      const p = at[NP + h]!;
      try {
        scalars[i] = group.scalarFromHex(text.substring(p, p + 64));
      } catch (e) {
        if (e instanceof FormatError) return null;
        throw e;
      }
    }
  }

  // The credential and every α must not be the identity (parseBallot refuses them by name).
  const credentialAt = 32 * M * pointsPerAnswer;
  if (isZeroAt(bytes, credentialAt, 32)) return null;
  for (let j = 0; j < M; j++) for (let g = 0; g < K; g++) if (isZeroAt(bytes, 32 * (j * pointsPerAnswer + 2 * g), 32)) return null;
  let points: E[];
  try {
    points = group.decodeMany(bytes, 'elements', { allowIdentity: true });
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }

  const memo = new Map<E, Uint8Array>();
  let k = 0;
  let s = 0;
  const elem = (): E => {
    const e = points[k]!;
    memo.set(e, bytes.subarray(32 * k, 32 * k + 32));
    k++;
    return e;
  };
  const sc = (): bigint => scalars[s++]!;
  const answers: BallotAnswer<E>[] = new Array(M);
  for (let j = 0; j < M; j++) {
    const choices = new Array(K);
    for (let g = 0; g < K; g++) choices[g] = { alpha: elem(), beta: elem() };
    const challenge = sc();
    const commitment1 = elem();
    const commitment2 = elem();
    const exactlyOne = { commitment1, commitment2, challenge, response: sc() };
    const proofs: DisjunctiveProof<E>[] = new Array(K);
    for (let g = 0; g < K; g++) {
      const branches = new Array(2);
      for (let b = 0; b < 2; b++) branches[b] = { commitmentA: elem(), commitmentB: elem(), challenge: sc(), response: sc() };
      proofs[g] = branches;
    }
    answers[j] = { choices, proofs, exactlyOne };
  }
  const credential = elem();
  const challenge = sc();
  const signature = { commitment: elem(), challenge, response: sc() };
  const ballot = ballotFromParts(
    group,
    memo,
    { electionId, fingerprint, credential, answers },
    signature,
    scalarBytes.subarray(0, 32 * hashed),
  );
  return { ballot, end: pos };
}
