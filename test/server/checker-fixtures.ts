/**
 * A small election (3 candidates × 3 grades, WebAssembly backend) with listed voters, their
 * ballots as request bodies, hostile variants of them, and the reference the ballot checker
 * must agree with: `parseJson(text, 'ballot', limits)`, then `checkBallotJson` with the
 * credential list (test/server/checker*.test.ts).
 */
import { ristretto255With } from '../../src/group/ristretto255.js';
import { FormatError } from '../../src/errors.js';
import { fromHex } from '../../src/bytes.js';
import { parseJson } from '../../src/json/parse.js';
import { canonicalJson } from '../../src/json/canonical.js';
import { electionToJson, type Election } from '../../src/election/election.js';
import { createCredentialList, credentialListToJson, generateCredential, type Credential } from '../../src/election/credential.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson, type BallotJson } from '../../src/ballot/json.js';
import { ballotReplayKey, trackingCode } from '../../src/ballot/hash.js';
import { checkBallotJson } from '../../src/ballot/check.js';
import { maxBallotTextLength, type BallotCheckOutcome } from '../../src/server/checker.js';
import { copy, resign, testElection, testManifest } from '../ballot/fixtures.js';

export const W = ristretto255With('wasm');
export const { election } = testElection(W, testManifest({ M: 3, K: 3, electionId: 'serve-2025' }));
/** The same election id under other keys: its ballots are for another election. */
export const { election: otherElection } = testElection(W, testManifest({ M: 3, K: 3, electionId: 'serve-2025' }));

export const voters: Credential<any>[] = Array.from({ length: 8 }, () => generateCredential(W, election.manifest.electionId));
/** Has a credential for the election, but is not on the list. */
export const stranger = generateCredential(W, election.manifest.electionId);
export const credentials = createCredentialList(
  W,
  election.manifest.electionId,
  voters.map((v) => v.publicKey),
);
export const electionJson = electionToJson(election);
export const credentialsJson = credentialListToJson(credentials);

const grades = (i: number) => [i % 3, (i + 1) % 3, (2 * i) % 3];
/** One valid ballot per voter, as wire objects. */
export const goodJson: BallotJson[] = voters.map((v, i) => ballotToJson(encryptBallot(election, v, grades(i)).cast()));
/** The voters' ballots as a client sends them: canonical JSON (the fast path) or JSON.stringify's member order. */
export const goodTexts: string[] = goodJson.map((j, i) => (i % 2 === 0 ? canonicalJson(j) : JSON.stringify(j)));
/** A ballot of the stranger (signed and proven, but not listed). */
export const strangerJson = ballotToJson(encryptBallot(election, stranger, grades(0)).cast());
/** A ballot for the other election (same id, another fingerprint). */
export const otherElectionJson = ballotToJson(
  encryptBallot(otherElection, generateCredential(W, election.manifest.electionId), grades(1)).cast(),
);

/** The reference outcome of a submitted text. */
export function reference(e: Election<any>, text: string, limits: { maxDepth?: number; maxLength?: number } = {}): BallotCheckOutcome {
  let json: unknown;
  try {
    json = parseJson(text, 'ballot', { maxLength: maxBallotTextLength(e), ...limits });
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    return { ok: false, code: 'malformed', path: err.path, reason: err.reason };
  }
  const { check, ballot } = checkBallotJson(e, json, { credentials });
  // A ballot that could be read carries the keys the board's own refusals need.
  const keys =
    ballot === undefined
      ? undefined
      : {
          hashHex: ballot.hashHex,
          credentialHex: ballot.credentialHex,
          replayKeyHex: ballotReplayKey(ballot),
          trackingCode: trackingCode(fromHex(ballot.hashHex)),
        };
  if (!check.ok)
    return {
      ok: false,
      code: check.code,
      path: check.path,
      reason: check.reason,
      ...(keys && check.code !== 'malformed' && check.code !== 'wrong-election' ? { keys } : {}),
    };
  return { ok: true, text: canonicalJson(ballotToJson(ballot!)), ...keys! };
}

/** The string leaves of a JSON value, as paths. */
export function leaves(v: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'string') return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, [...path, i]));
  if (typeof v === 'object' && v !== null) return Object.entries(v).flatMap(([k, x]) => leaves(x, [...path, k]));
  return [];
}

function setAt(root: any, path: (string | number)[], value: unknown): void {
  let o = root;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]!] = value;
}

function getAt(root: any, path: (string | number)[]): any {
  return path.reduce((o, k) => o[k], root);
}

/** A hex string with one digit changed. */
export function flipHex(s: string, at: number): string {
  const i = at % s.length;
  const d = s[i] === '0' ? '1' : '0';
  return s.slice(0, i) + d + s.slice(i + 1);
}

/** Re-signs with the ballot's own voter when the ballot still parses (a cheating client), else leaves it. */
function resignIfParses(json: BallotJson, voter: Credential<any>): BallotJson {
  try {
    return resign(election, voter, json);
  } catch (e) {
    if (e instanceof FormatError) return json;
    throw e;
  }
}

/** The kinds of hostile ballots {@link mutate} makes. */
export const MUTATIONS = [
  'flip',
  'flip-resigned',
  'swap-proofs-resigned',
  'stranger',
  'listed-credential-unsigned',
  'other-election',
  'election-id',
  'truncated',
  'too-deep',
  'duplicate-key',
  'extra-member',
  'not-a-ballot',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/**
 * A hostile variant of voter `v`'s ballot: `kind` says what is done; `at` picks the field or
 * position; `canonical` picks the text form (canonical JSON or JSON.stringify's order).
 */
export function mutate(v: number, kind: Mutation, at: number, canonical: boolean): string {
  const voter = voters[v]!;
  let j: any = copy(goodJson[v]!);
  const paths = leaves(j);
  const path = paths[at % paths.length]!;
  const text = (x: unknown) => (canonical ? canonicalJson(x) : JSON.stringify(x));
  switch (kind) {
    case 'flip':
      setAt(j, path, flipHex(String(getAt(j, path)), at >> 4));
      break;
    case 'flip-resigned':
      setAt(j, path, flipHex(String(getAt(j, path)), at >> 4));
      j = resignIfParses(j, voter);
      break;
    case 'swap-proofs-resigned': {
      const a = at % 3;
      const b = (a + 1 + ((at >> 2) % 2)) % 3;
      const field = (['proofs', 'exactlyOne', 'choices'] as const)[(at >> 3) % 3]!;
      [j.answers[a][field], j.answers[b][field]] = [j.answers[b][field], j.answers[a][field]];
      j = resignIfParses(j, voter);
      break;
    }
    case 'stranger':
      j = copy(strangerJson);
      break;
    case 'listed-credential-unsigned':
      // The stranger's ballot under another voter's listed credential, signed by nobody.
      j = copy(strangerJson);
      j.credential = voters[(v + 1) % voters.length]!.publicKeyHex;
      break;
    case 'other-election':
      j = copy(otherElectionJson);
      break;
    case 'election-id':
      j.electionId = `other-${at % 7}`;
      break;
    case 'truncated': {
      const t = text(j);
      return t.slice(0, at % t.length);
    }
    case 'too-deep':
      // (canonicalJson refuses to write it: JSON.stringify does)
      setAt(j, path, JSON.parse('['.repeat(70) + ']'.repeat(70)));
      return JSON.stringify(j);
    case 'duplicate-key': {
      const t = text(j);
      return `{"version":1,${t.slice(1)}`;
    }
    case 'extra-member':
      getAt(j, path.slice(0, -1)).extra = 1;
      break;
    case 'not-a-ballot':
      return ['', 'null', '[]', '"ballot"', '{}', '{"version":1}', 'not json', '{"answers":'][at % 8]!;
    default:
      throw new RangeError(`mutate: no mutation ${String(kind)}`);
  }
  return text(j);
}
