/**
 * Checks 1 (parameters), 2 (ceremony) and 3 (credential list): the files that define the
 * election, and the board's `setup` and `credentials` entries that bind them.
 *
 * Check 1 includes **who the trustees are**. A version-2 manifest lists the trustees' identity
 * keys; its ceremony transcript must be version 2, bound to that manifest (`manifestSha256`) and
 * to those keys (`identities`), and every message in it must carry its sender's identity
 * signature. Otherwise the key the votes were encrypted under was not made by the trustees the
 * election names (a platform standing in for them), which is a fault of the election's
 * parameters, not of the ceremony's arithmetic (check 2). A version-1 manifest names no
 * identities: nothing of this can be checked, and the report says so (`notes`).
 * @module
 */
import { bytesEqual, toHex } from '../bytes.js';
import { createElection, electionFingerprint, parseElection, type Election } from '../election/election.js';
import { manifestBytes } from '../election/manifest.js';
import { identityFingerprint, parseIdentityKey } from '../election/trustee-identity.js';
import { manifestSha256 } from '../ceremony/params.js';
import { isSignedBySender, messageSlot, type AnyCeremonyMessage } from '../ceremony/signatures.js';
import { parseCeremonyTranscript, verifyCeremonyTranscript, type CeremonyTranscript } from '../ceremony/transcript.js';
import { parseCredentialList } from '../election/credential.js';
import { canonicalSha256 } from '../json/canonical.js';
import { expectObject } from '../json/guards.js';
import type { JsonObject } from '../json/canonical.js';
import type { RecordContext } from './context.js';
import { shortJson } from './json-diff.js';

/** Check 1, the parts that need no board: record.json names the manifest's election and group, and has its version. */
export function checkIndex<E>(ctx: RecordContext<E>): void {
  const { index, manifest } = ctx;
  if (index !== null && index.version !== manifest.version)
    ctx.fail(
      1,
      'index',
      { path: 'version' },
      `a version-${index.version} record with a version-${manifest.version} manifest: a record has its manifest's version (docs/record.md §4)`,
    );
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
  const signed = checkTrustees(ctx, t);
  const v = verifyCeremonyTranscript(t);
  // Unsigned messages are check 1's (named by path above); verifyCeremonyTranscript then stops before adjudicating.
  for (const f of v.failures) if (f.check !== SIGNATURES_CHECK) ctx.fail(2, 'ceremony', { path: f.check }, f.reason);
  if (!signed && v.recomputed === undefined)
    ctx.findings.skip(
      2,
      "the outcome was not recomputed: messages of the transcript are not signed by their trustees' identity keys (check 1)",
    );
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

/** The check id of `verifyCeremonyTranscript` for messages without their sender's identity signature. */
const SIGNATURES_CHECK = 'ceremony.signatures';

/** The message lists of a transcript, with the JSON path of each list. */
function messageLists<E>(t: CeremonyTranscript<E>): [string, AnyCeremonyMessage<E>[]][] {
  return [
    ['commitments', t.commitments.map((message) => ({ kind: 'commitment' as const, message }))],
    ['reveals', t.reveals.map((message) => ({ kind: 'reveal' as const, message }))],
    ['shares', t.shares.map((message) => ({ kind: 'encrypted-share' as const, message }))],
    ['complaints', t.complaints.map((message) => ({ kind: 'complaint' as const, message }))],
  ];
}

/** A fingerprint for a reason text (the key as hex when it is not a usable Ed25519 key). */
function fingerprintOf(keyHex: string): string {
  try {
    return identityFingerprint(parseIdentityKey(keyHex, 'key'));
  } catch {
    return keyHex;
  }
}

/**
 * Check 1, the trustees (module notes): the transcript has the manifest's version; in version 2
 * its `manifestSha256` is the hash of manifest.json's canonical bytes, its `identities` are the
 * manifest's, and every message carries its sender's identity signature. Returns false when a
 * message is not signed (check 2 then cannot recompute the outcome).
 */
function checkTrustees<E>(ctx: RecordContext<E>, t: CeremonyTranscript<E>): boolean {
  const { manifest } = ctx;
  const p = t.params;
  if (p.version !== manifest.version)
    ctx.fail(
      1,
      'ceremony',
      { path: 'transcript.version' },
      manifest.version === 2
        ? "a version-1 transcript (no trustee identities, unsigned messages) for a version-2 manifest: nothing shows that the trustees the manifest names made the election's key"
        : 'a version-2 transcript for a version-1 manifest: the manifest names no trustee identity keys to check its signatures against',
    );
  if (p.version === 1) return true;
  const listed = manifest.trustees.identities;
  if (listed !== undefined) {
    const expected = manifestSha256(manifest);
    if (!bytesEqual(p.manifestSha256!, expected))
      ctx.fail(
        1,
        'ceremony',
        { path: 'transcript.manifestSha256' },
        `not the SHA-256 of the manifest's canonical bytes (${toHex(expected)}): this is the ceremony of another manifest`,
      );
    p.identities!.forEach((k, i) => {
      const hex = toHex(k);
      const theirs = listed[i];
      if (theirs !== undefined && hex !== theirs)
        ctx.fail(
          1,
          'ceremony',
          { path: `transcript.identities[${i}]` },
          `trustee ${i + 1}'s identity key (fingerprint ${fingerprintOf(hex)}) is not the one the manifest lists (fingerprint ${fingerprintOf(theirs)}): someone else acted as trustee ${i + 1}`,
        );
    });
    ctx.findings.count(1, 'identities', listed.length);
  }
  let signed = true;
  for (const [list, messages] of messageLists(t))
    messages.forEach((m, k) => {
      if (isSignedBySender(p, m)) return;
      signed = false;
      const signer = messageSlot(m).signer;
      ctx.fail(
        1,
        'ceremony',
        { path: `transcript.${list}[${k}].identitySignature` },
        `this ${m.kind.replace('-', ' ')} is not signed by trustee ${signer}'s identity key: trustee ${signer} did not write it`,
      );
    });
  return signed;
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

/** The setup entry's members; `receiptKey` is optional (boards made before receipts have none). */
const SETUP_MEMBERS = ['election', 'ceremonySha256'];
const SETUP_MEMBERS_WITH_RECEIPT_KEY = [...SETUP_MEMBERS, 'receiptKey'];

/**
 * Checks 1 and 2 on the board's `setup` entry: its election parses (and its fingerprint matches
 * its own parameters), its manifest is manifest.json, its commitments and joint key are the
 * ceremony's qualified ones, the fingerprint recomputed from manifest.json and ceremony.json is
 * the published one, `ceremonySha256` is the hash of ceremony.json, and its `receiptKey`, when
 * it has one, is a valid Ed25519 public key (canonical, not of small order).
 */
export function checkSetupEntry<E>(ctx: RecordContext<E>, line: number, payload: JsonObject | null): void {
  const members = payload !== null && Object.hasOwn(payload, 'receiptKey') ? SETUP_MEMBERS_WITH_RECEIPT_KEY : SETUP_MEMBERS;
  const p = ctx.attempt(1, 'board', { line }, () => expectObject(payload, 'payload', members));
  if (p === undefined) return;
  if (!Object.hasOwn(p, 'receiptKey')) ctx.receiptKey = null;
  else ctx.receiptKey = ctx.attempt(1, 'board', { line }, () => parseIdentityKey(p.receiptKey, 'payload.receiptKey'));
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
