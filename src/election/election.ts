/**
 * The election: its manifest, the ceremony's public output, and the **election fingerprint**
 * that binds them (docs/protocol.md, docs/ballot.md).
 *
 * ```
 * lp(x)       = u32(len(x)) ‖ x                                       (u32: 4 bytes big-endian)
 * msg         = lp("mjvote-v1-fingerprint") ‖ lp(group id) ‖ lp(manifest bytes)
 *               ‖ u32(number of qualified trustees)
 *               ‖ for each qualified trustee, by index: u32(t_i) ‖ enc(C_i,0) ‖ … ‖ enc(C_i,t_i−1)
 *               ‖ enc(PK)
 * fingerprint = SHA-256(msg)                                           (32 bytes)
 * ```
 * `enc` is the group's canonical element encoding (fixed length for a given group id, so it
 * needs no length prefix); the manifest bytes are its canonical serialization
 * (`manifestBytes`). Every ballot proof and signature is bound to the fingerprint, so a ballot
 * for one election never verifies in another, even one with the same manifest.
 * @module
 */
import { sha256 } from '../sha2.js';
import { FormatError, ProtocolError } from '../errors.js';
import { bigintToBytesBE, bytesEqual, concatBytes, fromHex, toHex } from '../bytes.js';
import type { Group } from '../group/group.js';
import { assertProductionGroup, groupById } from '../group/index.js';
import { publicKey, type PublicKey } from '../elgamal.js';
import { contextBytes, PROTOCOL_VERSION } from '../hash.js';
import { expectArray, expectObject } from '../json/guards.js';
import { manifestBytes, manifestToJson, parseManifest, type Manifest } from './manifest.js';

/** The domain tag hashed first into the fingerprint. */
export const FINGERPRINT_DOMAIN = `${PROTOCOL_VERSION}-fingerprint`;

/** Version of the {@link ElectionJson} wire form. */
export const ELECTION_JSON_VERSION = 1;

const u32 = (n: number): Uint8Array => bigintToBytesBE(BigInt(n), 4);

/**
 * The election fingerprint (32 bytes): SHA-256 of the layout in the module notes.
 * @param coefficientCommitments - per qualified trustee, in index order, its commitments C_i,0..C_i,t−1.
 */
export function electionFingerprint<E>(
  group: Group<E>,
  manifest: Uint8Array,
  coefficientCommitments: readonly (readonly E[])[],
  jointPublicKey: E,
): Uint8Array {
  // contextBytes([a, b, c]) = lp(a) ‖ lp(b) ‖ lp(c), strings as UTF-8.
  const parts: Uint8Array[] = [contextBytes([FINGERPRINT_DOMAIN, group.id, manifest]), u32(coefficientCommitments.length)];
  for (const row of coefficientCommitments) {
    parts.push(u32(row.length));
    for (const C of row) parts.push(group.encode(C));
  }
  parts.push(group.encode(jointPublicKey));
  return sha256(concatBytes(...parts));
}

/** The ceremony's public output the election is built from. */
export interface ElectionKeys<E> {
  /** Per qualified trustee, in index order: its coefficient commitments C_i,0..C_i,t−1. */
  readonly coefficientCommitments: readonly (readonly E[])[];
  /** The joint public key PK (Σ C_i,0 over the qualified trustees; checked by the ceremony verifier). */
  readonly jointPublicKey: E;
}

/**
 * An election, ready to encrypt and check ballots. Build with {@link createElection} or
 * {@link parseElection}; `JSON.stringify(election)` writes its {@link ElectionJson}.
 */
export interface Election<E> {
  readonly group: Group<E>;
  readonly manifest: Manifest;
  /** The manifest's canonical bytes (a copy on every read). */
  readonly manifestBytes: Uint8Array;
  readonly coefficientCommitments: readonly (readonly E[])[];
  /** The joint public key with its fixed-base table (built once here). */
  readonly publicKey: PublicKey<E>;
  /** The 32-byte fingerprint (a copy on every read). */
  readonly fingerprint: Uint8Array;
  /** The fingerprint in lowercase hex. */
  readonly fingerprintHex: string;
  /** Number of candidates M. */
  readonly candidateCount: number;
  /** Number of grades K. */
  readonly gradeCount: number;
}

/** Options of {@link createElection} and {@link parseElection}. */
export interface ElectionOptions<E> {
  /** The group object; default `groupById(manifest.group)`. Its id must equal `manifest.group`. */
  group?: Group<E>;
  /** Accept the insecure test group (tests of protocol code only). */
  allowInsecureTestGroup?: boolean;
}

/**
 * Builds the in-memory election: checks that the group matches the manifest, that there are
 * between t and n trustees each with exactly t coefficient commitments, and that the joint key
 * is not the identity; precomputes the joint key's fixed-base table; computes the fingerprint.
 * @throws ProtocolError when the ceremony output does not fit the manifest.
 */
export function createElection<E>(manifest: Manifest, keys: ElectionKeys<E>, opts: ElectionOptions<E> = {}): Election<E> {
  const group: Group<E> = opts.group ?? (groupById(manifest.group, 'manifest.group') as Group<E>);
  if (group.id !== manifest.group)
    throw new ProtocolError(`group '${group.id}' is not the manifest's group '${manifest.group}'`, 'election-mismatch');
  assertProductionGroup(group, { allowInsecureTestGroup: opts.allowInsecureTestGroup });
  const { n, t } = manifest.trustees;
  const rows = keys.coefficientCommitments;
  if (rows.length < t || rows.length > n)
    throw new ProtocolError(
      `expected the coefficient commitments of between t = ${t} and n = ${n} trustees, got ${rows.length}`,
      'election-mismatch',
    );
  rows.forEach((row, i) => {
    if (row.length !== t)
      throw new ProtocolError(`trustee #${i}: expected t = ${t} coefficient commitments, got ${row.length}`, 'election-mismatch');
  });
  if (group.isIdentity(keys.jointPublicKey)) throw new ProtocolError('the joint public key is the identity', 'election-mismatch');
  const mBytes = manifestBytes(manifest);
  const commitments = Object.freeze(rows.map((r) => Object.freeze([...r])));
  const fp = electionFingerprint(group, mBytes, commitments, keys.jointPublicKey);
  const fpHex = toHex(fp);
  const election: Election<E> = {
    group,
    manifest,
    get manifestBytes() {
      return mBytes.slice();
    },
    coefficientCommitments: commitments,
    publicKey: publicKey(group, keys.jointPublicKey),
    get fingerprint() {
      return fp.slice();
    },
    fingerprintHex: fpHex,
    candidateCount: manifest.candidates.length,
    gradeCount: manifest.grades.length,
  };
  // JSON.stringify(election) writes its parameters (non-enumerable: not a data member).
  Object.defineProperty(election, 'toJSON', { value: () => electionToJson(election) });
  return Object.freeze(election);
}

/**
 * Wire form of an election's public parameters (what a voting booth downloads):
 * `{version: 1, manifest, coefficientCommitments: hex[][], jointPublicKey: hex, fingerprint: hex}`.
 */
export interface ElectionJson {
  version: 1;
  manifest: Manifest;
  coefficientCommitments: string[][];
  jointPublicKey: string;
  fingerprint: string;
}

/** The election's public parameters as JSON. */
export function electionToJson<E>(e: Election<E>): ElectionJson {
  const g = e.group;
  return {
    version: ELECTION_JSON_VERSION,
    manifest: manifestToJson(e.manifest),
    coefficientCommitments: e.coefficientCommitments.map((row) => row.map((C) => g.toHex(C))),
    jointPublicKey: g.toHex(e.publicKey.element),
    fingerprint: e.fingerprintHex,
  };
}

/**
 * Parses and validates an {@link ElectionJson}: the manifest, every commitment (a group element,
 * not the identity), the joint key, and the published fingerprint against the recomputed one.
 * @throws FormatError naming the JSON path; ProtocolError when the ceremony output does not fit the manifest.
 */
export function parseElection<E = any>(json: unknown, opts: ElectionOptions<E> = {}, path = 'election'): Election<E> {
  const o = expectObject(json, path, ['version', 'manifest', 'coefficientCommitments', 'jointPublicKey', 'fingerprint']);
  if (o.version !== ELECTION_JSON_VERSION) throw new FormatError(`${path}.version`, `expected ${ELECTION_JSON_VERSION}`);
  const manifest = parseManifest(o.manifest, opts, `${path}.manifest`);
  const group: Group<E> = opts.group ?? (groupById(manifest.group, `${path}.manifest.group`) as Group<E>);
  if (group.id !== manifest.group) throw new FormatError(`${path}.manifest.group`, `expected '${group.id}'`);
  const rows = expectArray(o.coefficientCommitments, `${path}.coefficientCommitments`).map((row, i) =>
    expectArray(row, `${path}.coefficientCommitments[${i}]`).map((h, l) => group.fromHex(h, `${path}.coefficientCommitments[${i}][${l}]`)),
  );
  const pk = group.fromHex(o.jointPublicKey, `${path}.jointPublicKey`);
  const published = fromHex(o.fingerprint, `${path}.fingerprint`, 32);
  const election = createElection(manifest, { coefficientCommitments: rows, jointPublicKey: pk }, { ...opts, group });
  if (!bytesEqual(published, election.fingerprint))
    throw new FormatError(`${path}.fingerprint`, 'does not match the fingerprint recomputed from the parameters');
  return election;
}
