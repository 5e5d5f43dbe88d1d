/**
 * Checks 1 (parameters), 2 (ceremony) and 3 (credential list): the files that define the
 * election, and the board's `setup` and `credentials` entries that bind them.
 * @module
 */
import { bytesEqual } from '../bytes.js';
import { createElection, electionFingerprint, parseElection, type Election } from '../election/election.js';
import { manifestBytes } from '../election/manifest.js';
import { parseCeremonyTranscript, verifyCeremonyTranscript, type CeremonyTranscript } from '../ceremony/transcript.js';
import { parseCredentialList } from '../election/credential.js';
import { canonicalSha256 } from '../json/canonical.js';
import { expectObject } from '../json/guards.js';
import type { JsonObject } from '../json/canonical.js';
import type { RecordContext } from './context.js';
import { shortJson } from './json-diff.js';

/** Check 1, the parts that need no board: record.json names the manifest's election and group. */
export function checkIndex<E>(ctx: RecordContext<E>): void {
  const { index, manifest } = ctx;
  if (index !== null && index.electionId !== manifest.electionId)
    ctx.fail(1, 'index', { path: 'electionId' }, `"${index.electionId}" is not the manifest's election id "${manifest.electionId}"`);
  if (index !== null && index.group !== manifest.group)
    ctx.fail(1, 'index', { path: 'group' }, `"${index.group}" is not the manifest's group "${manifest.group}"`);
  ctx.findings.count(1, 'candidates', manifest.candidates.length);
  ctx.findings.count(1, 'grades', manifest.grades.length);
}

/** The qualified trustees' coefficient commitments, in index order, from a transcript. */
function qualifiedCommitments<E>(t: CeremonyTranscript<E>): (readonly E[])[] | null {
  const rows = t.result.qualified.map((i) => t.reveals.find((r) => r.trustee === i)?.coefficientCommitments);
  return rows.every((r) => r !== undefined) ? rows : null;
}

/**
 * Check 2 (the transcript): ceremony.json parses, is for this election (id, group, n, t), and
 * `verifyCeremonyTranscript` recomputes the published outcome from the messages. Then builds the
 * fallback election from manifest.json and the transcript's published result.
 */
export async function checkCeremony<E>(ctx: RecordContext<E>): Promise<void> {
  const json = await ctx.readJson(2, 'ceremony');
  if (json === undefined) return;
  ctx.ceremonyJson = json;
  const t = ctx.attempt(2, 'ceremony', {}, () => parseCeremonyTranscript(json, ctx.group));
  if (t === undefined) return;
  const { manifest } = ctx;
  const p = t.params;
  if (p.ceremonyId !== manifest.electionId)
    ctx.fail(2, 'ceremony', { path: 'transcript.ceremony' }, `the ceremony "${p.ceremonyId}" is not the election "${manifest.electionId}"`);
  if (p.n !== manifest.trustees.n || p.t !== manifest.trustees.t)
    ctx.fail(
      2,
      'ceremony',
      { path: 'transcript.n' },
      `(n, t) = (${p.n}, ${p.t}), the manifest says (${manifest.trustees.n}, ${manifest.trustees.t})`,
    );
  const v = verifyCeremonyTranscript(t);
  for (const f of v.failures) ctx.fail(2, 'ceremony', { path: f.check }, f.reason);
  ctx.findings.count(2, 'trustees', p.n);
  ctx.findings.count(2, 'qualified', t.result.qualified.length);
  ctx.findings.count(2, 'threshold', p.t);
  ctx.transcript = t;
  const rows = qualifiedCommitments(t);
  if (rows === null) {
    ctx.fail(2, 'ceremony', { path: 'transcript.result.qualified' }, 'a qualified trustee has no reveal message');
    return;
  }
  ctx.buildFallbackElection = () =>
    ctx.attempt(1, 'ceremony', {}, () =>
      createElection(manifest, { coefficientCommitments: rows, jointPublicKey: t.result.jointPublicKey }, { group: ctx.group }),
    ) ?? null;
}

/** Check 3 (the file): credentials.json parses (canonical elements, no identity, no duplicate) for this election and group. */
export async function checkCredentialList<E>(ctx: RecordContext<E>): Promise<void> {
  const json = await ctx.readJson(3, 'credentials');
  if (json === undefined) return;
  ctx.credentialsJson = json;
  const list = ctx.attempt(3, 'credentials', {}, () =>
    parseCredentialList(json, ctx.group, { electionId: ctx.manifest.electionId }, 'credentials'),
  );
  if (list === undefined) return;
  ctx.credentials = list;
  ctx.findings.count(3, 'registered', list.size);
}

/**
 * Checks 1 and 2 on the board's `setup` entry: its election parses (and its fingerprint matches
 * its own parameters), its manifest is manifest.json, its commitments and joint key are the
 * ceremony's qualified ones, the fingerprint recomputed from manifest.json and ceremony.json is
 * the published one, and `ceremonySha256` is the hash of ceremony.json.
 */
export function checkSetupEntry<E>(ctx: RecordContext<E>, line: number, payload: JsonObject | null): void {
  const p = ctx.attempt(1, 'board', { line }, () => expectObject(payload, 'payload', ['election', 'ceremonySha256']));
  if (p === undefined) return;
  const election = ctx.attempt(1, 'board', { line }, () => parseElection<E>(p.election, { group: ctx.group }, 'payload.election'));
  if (election !== undefined) {
    ctx.setupElection = election;
    if (!bytesEqual(manifestBytes(election.manifest), manifestBytes(ctx.manifest)))
      ctx.fail(1, 'manifest', {}, `differs from the manifest of the board's setup entry (line ${line})`);
    compareWithCeremony(ctx, election, line);
  }
  if (ctx.ceremonyJson !== undefined) {
    const h = ctx.attempt(2, 'ceremony', {}, () => canonicalSha256(ctx.ceremonyJson));
    if (h !== undefined && h !== p.ceremonySha256)
      ctx.fail(
        2,
        'ceremony',
        {},
        `its canonical SHA-256 is not the ceremonySha256 of the board's setup entry (line ${line}): the transcript was changed`,
      );
  }
}

function compareWithCeremony<E>(ctx: RecordContext<E>, election: Election<E>, line: number): void {
  const t = ctx.transcript;
  if (t === null) return;
  const g = ctx.group;
  const rows = qualifiedCommitments(t);
  if (rows === null) return;
  const same =
    rows.length === election.coefficientCommitments.length &&
    rows.every(
      (r, i) =>
        r.length === election.coefficientCommitments[i]!.length && r.every((C, l) => g.equals(C, election.coefficientCommitments[i]![l]!)),
    );
  if (!same)
    ctx.fail(
      1,
      'board',
      { line, path: 'payload.election.coefficientCommitments' },
      "not the qualified trustees' coefficient commitments of ceremony.json, in index order",
    );
  if (!g.equals(election.publicKey.element, t.result.jointPublicKey))
    ctx.fail(1, 'board', { line, path: 'payload.election.jointPublicKey' }, 'not the joint public key of ceremony.json');
  const recomputed = electionFingerprint(g, manifestBytes(ctx.manifest), rows, t.result.jointPublicKey);
  if (!bytesEqual(recomputed, election.fingerprint))
    ctx.fail(
      1,
      'board',
      { line, path: 'payload.election.fingerprint' },
      'not the fingerprint recomputed from manifest.json and ceremony.json',
    );
}

/** Check 3 on the board's `credentials` entry: its count and hash are those of credentials.json. */
export function checkCredentialsEntry<E>(ctx: RecordContext<E>, line: number, payload: JsonObject | null): void {
  const p = ctx.attempt(3, 'board', { line }, () => expectObject(payload, 'payload', ['count', 'credentialsSha256']));
  if (p === undefined) return;
  if (ctx.credentials !== null && p.count !== ctx.credentials.size)
    ctx.fail(
      3,
      'board',
      { line, path: 'payload.count' },
      `${shortJson(p.count)} registered voters, credentials.json lists ${ctx.credentials.size}`,
    );
  if (ctx.credentialsJson !== undefined) {
    const h = ctx.attempt(3, 'credentials', {}, () => canonicalSha256(ctx.credentialsJson));
    if (h !== undefined && h !== p.credentialsSha256)
      ctx.fail(
        3,
        'credentials',
        {},
        `its canonical SHA-256 is not the credentialsSha256 of the board's credentials entry (line ${line}): the list was changed`,
      );
  }
}
