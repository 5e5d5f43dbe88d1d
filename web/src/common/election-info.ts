/**
 * `GET /election`, decoded once at the pages' boundary (docs/server.md §2): every member the
 * API documents and no other, counts as non-negative safe integers, hashes as 64 lowercase hex
 * digits, the phase one of the five, and the election's manifest through the library's
 * `parseManifest`. What the board and results pages show comes from here, never from the raw
 * answer.
 * @module
 */
import { FormatError } from '../../../src/errors.js';
import { expectObject } from '../../../src/json/guards.js';
import { parseManifest, type Manifest } from '../../../src/election/manifest.js';
import { ApiError, call } from './api.js';

/** Where the election stands (`ElectionStatus['phase']`). */
export const PHASES = ['open', 'sealed', 'tallied', 'decrypting', 'published'] as const;
export type Phase = (typeof PHASES)[number];

/** A decoded `GET /election`. */
export interface ElectionView {
  readonly electionId: string;
  readonly manifest: Manifest;
  readonly fingerprint: string;
  readonly phase: Phase;
  /** Board entries. */
  readonly entries: number;
  /** The board's head: the chain hash of its last entry. */
  readonly head: string;
  /** Ballot entries (every cast, revotes included). */
  readonly ballots: number;
  /** Credentials with a ballot on the board: the ballots that will be counted. */
  readonly voters: number;
  readonly audits: number;
  /** Registered voters (credentials on the published list). */
  readonly registered: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

function count(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new FormatError(path, 'expected a non-negative integer');
  return v;
}

function hash(v: unknown, path: string): string {
  if (typeof v !== 'string' || !HEX64.test(v)) throw new FormatError(path, 'expected 64 lowercase hex digits');
  return v;
}

/** Decodes the body of `GET /election`. @throws FormatError naming the member. */
export function parseElectionView(body: unknown): ElectionView {
  const o = expectObject(body, 'election', [
    'electionId',
    'election',
    'fingerprint',
    'credentialsSha256',
    'registered',
    'receiptKey',
    'phase',
    'entries',
    'head',
    'ballots',
    'voters',
    'audits',
  ]);
  const e = expectObject(o.election, 'election.election', [
    'version',
    'manifest',
    'coefficientCommitments',
    'jointPublicKey',
    'fingerprint',
  ]);
  const manifest = parseManifest(e.manifest, {}, 'election.election.manifest');
  if (o.electionId !== manifest.electionId) throw new FormatError('election.electionId', "expected the manifest's election id");
  if (!(PHASES as readonly unknown[]).includes(o.phase)) throw new FormatError('election.phase', `expected one of ${PHASES.join(', ')}`);
  const view: ElectionView = {
    electionId: manifest.electionId,
    manifest,
    fingerprint: hash(o.fingerprint, 'election.fingerprint'),
    phase: o.phase as Phase,
    entries: count(o.entries, 'election.entries'),
    head: hash(o.head, 'election.head'),
    ballots: count(o.ballots, 'election.ballots'),
    voters: count(o.voters, 'election.voters'),
    audits: count(o.audits, 'election.audits'),
    registered: count(o.registered, 'election.registered'),
  };
  hash(o.credentialsSha256, 'election.credentialsSha256');
  hash(o.receiptKey, 'election.receiptKey');
  if (view.voters > view.ballots) throw new FormatError('election.voters', 'more voters than ballots');
  if (view.voters > view.registered) throw new FormatError('election.voters', 'more voters than registered voters');
  return view;
}

/** `GET /election`, decoded; an answer that does not decode is an ApiError (`shape`) naming the member. */
export async function fetchElectionView(): Promise<ElectionView> {
  const { body } = await call('election');
  try {
    return parseElectionView(body);
  } catch (e) {
    if (e instanceof FormatError) throw new ApiError(200, 'shape', `GET /election: ${e.path}: ${e.reason}`, e.path);
    throw e;
  }
}
