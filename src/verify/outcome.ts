/**
 * Checks 6 (tally), 7 (decryption) and 8 (result): the published tally is the sum of the counted
 * ballots; the trustees' decryption shares verify and combine into the published counts; the
 * counts add up and the majority-judgment ranking recomputed from them is the published one.
 * In a version-2 election every decryption-share message must also carry the identity signature
 * of its trustee, under the key the election's manifest lists (not the transcript's copy of it):
 * a message without it is named and left out of the combination.
 *
 * Each of `tally.json`, `decryption-shares.json` and `result.json` must equal its board entry
 * (the board is hash-chained, the files are what people read); the file is checked, and when it
 * is unreadable the board entry is used instead. A board without the entry fails the check.
 * @module
 */
import { BoundError } from '../errors.js';
import type { Group } from '../group/group.js';
import type { Ciphertext } from '../elgamal.js';
import { flattenTally, tallyDecryptionContext } from '../decrypt/tally.js';
import { checkEquation } from '../proofs/equation.js';
import { dleqEquations } from '../proofs/chaum-pedersen.js';
import { expectArray, expectObject } from '../json/guards.js';
import type { Manifest } from '../election/manifest.js';
import { parseEncryptedTally, type EncryptedTally } from '../tally/aggregate.js';
import { combineDecryptionShares, InsufficientSharesError, type CombinedDecryption, type InvalidShare } from '../decrypt/combine.js';
import { DECRYPTION_SHARE_KIND, decryptionShareContext, isDecryptionShareSigned, type DecryptionShareMessage } from '../decrypt/shares.js';
import { ceremonyParamsForManifest, type CeremonyParams } from '../ceremony/params.js';
import type { CeremonyResult } from '../ceremony/outcome.js';
import { identityFingerprint } from '../election/trustee-identity.js';
import type { Election } from '../election/election.js';
import { parseDecryptionShareMessage } from '../decrypt/wire.js';
import { mjResultToJson } from '../mj/json.js';
import { rank, type MjResult } from '../mj/rank.js';
import { FormatError } from '../errors.js';
import type { JsonObject } from '../json/canonical.js';
import type { RecordRole } from '../record/record-source.js';
import type { RecordContext } from './context.js';
import { firstDifference, joinPath, shortJson } from './json-diff.js';
import type { CheckNumber, RecomputedResult } from './report.js';

/** A board entry kept for the end of the verification (tally, share messages and result are small). */
export interface KeptEntry {
  readonly line: number;
  readonly payload: JsonObject | null;
}

/** What the ballots gave: the recomputed tally and the number of counted ballots. */
export interface CountedBallots<E> {
  /** Number of credentials with a counted ballot. */
  readonly counted: number;
  /** Σ of the counted ballots (null when a counted ballot could not be read). */
  readonly tally: EncryptedTally<E> | null;
  /** Lines of counted ballots that could not be read. */
  readonly unreadable: readonly number[];
}

/**
 * The published value of a file that has a board entry: reads the file, takes `payload[key]` of
 * the entry, reports a difference between them, and returns the file's value (or the entry's
 * when the file cannot be read). The board is the source of truth: when it has no such entry,
 * the file has nothing to be compared with, which is a failure of `check` too (check 5 reports
 * the incomplete board); the file's value is still returned, so the rest of the check runs.
 */
async function publishedValue<E>(
  ctx: RecordContext<E>,
  check: CheckNumber,
  role: RecordRole,
  entry: KeptEntry | null,
  key: string,
): Promise<unknown> {
  const file = await ctx.readJson(check, role);
  let board: unknown;
  if (entry !== null) {
    const p = ctx.attempt(check, 'board', { line: entry.line }, () => expectObject(entry.payload, 'payload', [key]));
    board = p?.[key];
  } else ctx.fail(check, role, {}, `has no board entry to be compared with: the board has no ${key} entry (check 5)`);
  if (file !== undefined && board !== undefined) {
    const d = firstDifference(file, board);
    if (d !== null)
      ctx.fail(check, role, { path: joinPath(key, d.path) }, `differs from the board's ${key} entry (line ${entry!.line}): ${d.detail}`);
  }
  return file ?? board;
}

/** Check 6. Returns the published tally (the ciphertexts the trustees decrypted), when it parses. */
export async function checkTally<E>(
  ctx: RecordContext<E>,
  entry: KeptEntry | null,
  ballots: CountedBallots<E> | null,
): Promise<EncryptedTally<E> | null> {
  const election = ctx.election;
  const value = await publishedValue(ctx, 6, 'tally', entry, 'tally');
  if (value === undefined || election === null) {
    if (election === null) ctx.findings.skip(6, 'no usable election parameters (checks 1 and 2)');
    return null;
  }
  const g = election.group;
  const published =
    ctx.attempt(6, 'tally', {}, () => parseEncryptedTally(g, value, election.candidateCount, election.gradeCount, 'tally')) ?? null;
  if (ballots === null) {
    ctx.findings.skip(6, 'the ballots could not be read (check 5)');
    return published;
  }
  ctx.findings.count(6, 'counted', ballots.counted);
  for (const line of ballots.unreadable)
    ctx.fail(6, 'board', { line }, 'this counted ballot cannot be read (check 4), so the tally cannot be recomputed without it');
  if (published === null) return null;
  if (published.ballots !== ballots.counted)
    ctx.fail(6, 'tally', { path: 'tally.ballots' }, `${published.ballots} ballots, but ${ballots.counted} are counted on the board`);
  const sum = ballots.tally;
  if (sum !== null && ballots.unreadable.length === 0)
    published.cells.forEach((row, j) =>
      row.forEach((c, k) => {
        const s = sum.cells[j]![k]!;
        if (!g.equals(c.alpha, s.alpha) || !g.equals(c.beta, s.beta))
          ctx.fail(
            6,
            'tally',
            { path: `tally.cells[${j}][${k}]` },
            `not the sum of the counted ballots' ciphertexts for candidate ${j}, grade ${k}`,
          );
      }),
    );
  return published;
}

/** The published merit profiles (result.json), parsed. */
export interface PublishedResult {
  readonly ballots: number;
  readonly meritProfiles: readonly { readonly candidate: string; readonly name: string; readonly counts: readonly bigint[] }[];
  /** The published ranking (MJ result JSON), compared as a JSON value. */
  readonly ranking: unknown;
}

const DECIMAL = /^(?:0|[1-9][0-9]{0,39})$/;

/** Parses result.json's shape for `candidates` × `grades` (candidate ids and names are compared separately). @throws FormatError */
export function parsePublishedResult(json: unknown, candidates: number, grades: number, path = 'result'): PublishedResult {
  const o = expectObject(json, path, ['version', 'ballots', 'meritProfiles', 'ranking']);
  if (o.version !== 1) throw new FormatError(`${path}.version`, 'expected 1');
  if (typeof o.ballots !== 'number' || !Number.isSafeInteger(o.ballots) || o.ballots < 0)
    throw new FormatError(`${path}.ballots`, 'expected a non-negative integer');
  const meritProfiles = expectArray(o.meritProfiles, `${path}.meritProfiles`, candidates).map((x, j) => {
    const p = `${path}.meritProfiles[${j}]`;
    const m = expectObject(x, p, ['candidate', 'name', 'counts']);
    if (typeof m.candidate !== 'string') throw new FormatError(`${p}.candidate`, 'expected a candidate id');
    if (typeof m.name !== 'string') throw new FormatError(`${p}.name`, 'expected a name');
    const counts = expectArray(m.counts, `${p}.counts`, grades).map((c, k) => {
      if (typeof c !== 'string' || !DECIMAL.test(c))
        throw new FormatError(`${p}.counts[${k}]`, 'expected a decimal string of at most 40 digits');
      return BigInt(c);
    });
    return { candidate: m.candidate, name: m.name, counts };
  });
  return { ballots: o.ballots, meritProfiles, ranking: o.ranking };
}

/** Reads result.json (check 8's file; parsed here because check 7 compares its counts). */
export async function readPublishedResult<E>(
  ctx: RecordContext<E>,
  entry: KeptEntry | null,
  manifest: Manifest,
): Promise<PublishedResult | null> {
  const value = await publishedValue(ctx, 8, 'result', entry, 'result');
  if (value === undefined) return null;
  const r = ctx.attempt(8, 'result', {}, () => parsePublishedResult(value, manifest.candidates.length, manifest.grades.length));
  return r ?? null;
}

/** Check 7. Returns the decrypted counts per candidate (best grade first), or null. */
export async function checkDecryption<E>(
  ctx: RecordContext<E>,
  entries: readonly KeptEntry[],
  tally: EncryptedTally<E> | null,
  counted: number | null,
  result: PublishedResult | null,
): Promise<bigint[][] | null> {
  const { transcript, election } = ctx;
  const fileValue = await ctx.readJson(7, 'decryptionShares');
  const fileMessages =
    fileValue === undefined
      ? undefined
      : ctx.attempt(7, 'decryptionShares', {}, () => {
          const o = expectObject(fileValue, 'decryptionShares', ['version', 'shares']);
          if (o.version !== 1) throw new FormatError('decryptionShares.version', 'expected 1');
          return expectArray(o.shares, 'decryptionShares.shares');
        });
  const boardMessages = entries.map((e) =>
    ctx.attempt(7, 'board', { line: e.line }, () => expectObject(e.payload, 'payload', ['shares']).shares),
  );
  if (fileMessages !== undefined) {
    const d = firstDifference(fileMessages, boardMessages);
    if (d !== null)
      ctx.fail(
        7,
        'decryptionShares',
        { path: joinPath('decryptionShares.shares', d.path) },
        `differs from the board's decryption-share entries: ${d.detail}`,
      );
  }
  if (transcript === null || election === null) return skip(ctx, 'no usable ceremony transcript or election parameters (checks 1 and 2)');
  if (tally === null) return skip(ctx, 'no readable encrypted tally (check 6)');
  if (counted === null) return skip(ctx, 'the number of counted ballots is unknown (checks 4 and 5)');

  // The messages: the board's entries, or the file's when the board has none.
  const n = election.candidateCount * election.gradeCount;
  const params = transcript.params;
  const fromBoard = entries.length > 0;
  const sources = fromBoard
    ? entries.map((e, i) => ({ role: 'board' as const, where: { line: e.line }, path: 'payload.shares', value: boardMessages[i] }))
    : (fileMessages ?? []).map((v, i) => ({
        role: 'decryptionShares' as const,
        where: {},
        path: `decryptionShares.shares[${i}]`,
        value: v,
      }));
  // A version-2 election's shares must be signed by the identity key its manifest lists for their trustee.
  const signing = signingParams(ctx, election);
  const messages: { m: DecryptionShareMessage<E>; role: RecordRole; where: { line?: number }; path: string; signed: boolean }[] = [];
  const unsigned: InvalidShare[] = [];
  for (const s of sources) {
    if (s.value === undefined) continue;
    if (signing !== null && isUnsignedMessage(s.value)) {
      ctx.fail(
        7,
        s.role,
        { ...s.where, path: `${s.path}.identitySignature` },
        `${trusteeOf(s.value)}: the message has no identity signature; in a version-2 election every decryption-share message is signed by its trustee's identity key`,
      );
      continue;
    }
    const m = ctx.attempt(7, s.role, s.where, () => parseDecryptionShareMessage(signing ?? params, s.value, s.path, n));
    if (m === undefined) continue;
    const signed = signing === null || isDecryptionShareSigned(signing, m);
    if (!signed)
      unsigned.push({
        trustee: m.trustee,
        code: 'unsigned',
        reason: `not signed by the identity key the manifest lists for trustee ${m.trustee} (fingerprint ${identityFingerprint(signing.identities![m.trustee - 1]!)}): trustee ${m.trustee} did not write it`,
      });
    messages.push({ m, role: s.role, where: s.where, path: s.path, signed });
  }
  const seen = new Set<number>();
  for (const x of messages) {
    if (seen.has(x.m.trustee))
      ctx.fail(7, x.role, { ...x.where, path: `${x.path}.trustee` }, `a second share message from trustee ${x.m.trustee}`);
    seen.add(x.m.trustee);
  }
  ctx.findings.count(7, 'messages', messages.length);
  ctx.findings.count(7, 'threshold', params.t);

  const ciphertexts = flattenTally(tally);
  const context = tallyDecryptionContext(election);
  let combined: CombinedDecryption<E> | undefined;
  // Unsigned messages are left out of the combination, and listed with the invalid ones.
  let invalid: readonly InvalidShare[] = unsigned;
  try {
    combined = combineDecryptionShares(
      judgedBy(transcript.result, signing),
      ciphertexts,
      messages.filter((x) => x.signed).map((x) => x.m),
      context,
      counted,
    );
    invalid = byTrustee([...unsigned, ...combined.invalid]);
  } catch (e) {
    if (e instanceof InsufficientSharesError) {
      const left = new Set(unsigned.map((x) => x.trustee));
      const all = new InsufficientSharesError(
        e.t,
        e.valid,
        e.missing.filter((j) => !left.has(j)),
        byTrustee([...unsigned, ...e.invalid]),
      );
      ctx.fail(7, messages.length > 0 ? messages[0]!.role : 'decryptionShares', {}, all.message);
      invalid = all.invalid;
    } else if (e instanceof BoundError) {
      ctx.fail(7, 'tally', {}, `the shares combine into a count outside [0, ${counted}] (${e.message}): the shares or the tally are wrong`);
    } else throw e;
  }
  for (const bad of invalid) {
    for (const x of messages.filter((y) => y.m.trustee === bad.trustee)) {
      if (bad.code !== 'invalid-proof')
        ctx.fail(7, x.role, { ...x.where, path: x.path }, `trustee ${bad.trustee}: ${bad.code}: ${bad.reason}`);
      else
        for (const k of failingShares(election.group, transcript.result.verificationKeys.get(bad.trustee)!, ciphertexts, x.m, context))
          ctx.fail(
            7,
            x.role,
            { ...x.where, path: `${x.path}.shares[${k}]` },
            `trustee ${bad.trustee}: the proof of the decryption share of tally cell ${k} does not verify`,
          );
    }
  }
  if (combined === undefined) return null;
  ctx.findings.count(7, 'valid', combined.valid.length);
  const K = election.gradeCount;
  const plaintexts = combined.plaintexts;
  const decrypted = election.manifest.candidates.map((_, j) => plaintexts.slice(j * K, (j + 1) * K));
  if (result !== null)
    decrypted.forEach((row, j) =>
      row.forEach((count, k) => {
        const published = result.meritProfiles[j]?.counts[k];
        if (published !== count)
          ctx.fail(
            7,
            'result',
            { path: `result.meritProfiles[${j}].counts[${k}]` },
            `published ${published ?? 'nothing'}, the decryption gives ${count}`,
          );
      }),
    );
  return decrypted;
}

/**
 * The published result with the manifest's ceremony parameters, when they describe the same
 * ceremony (group, id, n, t): the combination then judges identity signatures by the keys the
 * manifest lists, as the loop above did, not by the transcript's copy of them (check 1 compares
 * the two). Otherwise (check 2 fails) the transcript's, as published.
 */
function judgedBy<E>(result: CeremonyResult<E>, signing: CeremonyParams<E> | null): CeremonyResult<E> {
  const p = result.params;
  if (signing === null || signing.group.id !== p.group.id || signing.ceremonyId !== p.ceremonyId || signing.n !== p.n || signing.t !== p.t)
    return result;
  return { ...result, params: signing };
}

/** Invalid shares ordered by trustee (stable: each trustee's in the order found). */
function byTrustee(xs: readonly InvalidShare[]): InvalidShare[] {
  return [...xs].sort((a, b) => a.trustee - b.trustee);
}

/**
 * The ceremony parameters of a version-2 election's manifest (its identity keys and ceremony
 * context), which every decryption-share message must be signed under; null for version 1.
 */
function signingParams<E>(ctx: RecordContext<E>, election: Election<E>): CeremonyParams<E> | null {
  if (election.manifest.trustees.identities === undefined) return null;
  return ctx.attempt(7, 'manifest', {}, () => ceremonyParamsForManifest(election.group, election.manifest)) ?? null;
}

/** True for a JSON object without an `identitySignature` member. */
function isUnsignedMessage(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.hasOwn(v, 'identitySignature');
}

/** "trustee j" for a message whose `trustee` is an integer, else "a message". */
function trusteeOf(v: unknown): string {
  const j = (v as { trustee?: unknown }).trustee;
  return typeof j === 'number' && Number.isSafeInteger(j) ? `trustee ${j}` : 'a message';
}

function skip<E>(ctx: RecordContext<E>, reason: string): null {
  ctx.findings.skip(7, reason);
  return null;
}

/** The indices of the shares of a message whose proofs do not verify (one by one). */
function failingShares<E>(
  g: Group<E>,
  K: E,
  ciphertexts: readonly Ciphertext<E>[],
  m: DecryptionShareMessage<E>,
  context: Uint8Array,
): number[] {
  const out: number[] = [];
  m.shares.forEach(({ share, proof }, k) => {
    const eqs = dleqEquations(
      g,
      { g1: g.generator, h1: K, g2: ciphertexts[k]!.alpha, h2: share },
      proof,
      decryptionShareContext(context, m.trustee, k),
      DECRYPTION_SHARE_KIND,
    );
    if (eqs === null || !eqs.every((e) => checkEquation(g, e))) out.push(k);
  });
  return out;
}

/**
 * Check 8: candidates as in the manifest, each candidate's counts sum to the number of counted
 * ballots (and to `result.ballots`), and the ranking recomputed from the decrypted profiles (the
 * published ones when decryption failed) is the published ranking. Returns the recomputed result.
 */
export function checkResult<E>(
  ctx: RecordContext<E>,
  result: PublishedResult | null,
  decrypted: bigint[][] | null,
  counted: number | null,
): RecomputedResult | undefined {
  const manifest = ctx.election?.manifest ?? ctx.manifest;
  if (result !== null) {
    result.meritProfiles.forEach((p, j) => {
      const c = manifest.candidates[j]!;
      if (p.candidate !== c.id || p.name !== c.name)
        ctx.fail(
          8,
          'result',
          { path: `result.meritProfiles[${j}]` },
          `candidate ${shortJson(p.candidate)} (${shortJson(p.name)}), the manifest's candidate ${j} is ${JSON.stringify(c.id)} (${JSON.stringify(c.name)})`,
        );
      const sum = p.counts.reduce((a, b) => a + b, 0n);
      if (sum !== BigInt(result.ballots))
        ctx.fail(
          8,
          'result',
          { path: `result.meritProfiles[${j}].counts` },
          `the counts sum to ${sum}, not to result.ballots = ${result.ballots}`,
        );
      else if (counted !== null && sum !== BigInt(counted))
        ctx.fail(
          8,
          'result',
          { path: `result.meritProfiles[${j}].counts` },
          `the counts sum to ${sum}, not to the ${counted} counted ballots`,
        );
    });
    if (counted !== null && result.ballots !== counted)
      ctx.fail(8, 'result', { path: 'result.ballots' }, `${result.ballots}, but ${counted} ballots are counted on the board`);
  }
  const profiles = decrypted ?? result?.meritProfiles.map((p) => [...p.counts]) ?? null;
  if (profiles === null) {
    ctx.findings.skip(8, 'neither a decryption (check 7) nor a readable result.json gives merit profiles');
    return undefined;
  }
  let ranking: MjResult;
  try {
    ranking = rank(
      manifest.candidates.map((c, j) => ({ candidate: c.name, profile: profiles[j]! })),
      [...manifest.grades],
    );
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    ctx.fail(
      8,
      'result',
      { path: 'result.meritProfiles' },
      `cannot rank the ${decrypted ? 'decrypted' : 'published'} profiles: ${e.message}`,
    );
    return undefined;
  }
  if (result !== null) {
    const d = firstDifference(result.ranking, mjResultToJson(ranking));
    if (d !== null)
      ctx.fail(
        8,
        'result',
        { path: joinPath('result.ranking', d.path) },
        `the published ranking is not the one recomputed from the ${decrypted ? 'decrypted' : 'published'} merit profiles: ${d.detail} (published against recomputed)`,
      );
  }
  ctx.findings.count(8, 'candidates', manifest.candidates.length);
  return {
    source: decrypted ? 'decryption' : 'published',
    meritProfiles: manifest.candidates.map((c, j) => ({ candidate: c.id, name: c.name, counts: profiles[j]! })),
    ranking,
  };
}
