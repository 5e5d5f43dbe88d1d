/**
 * Test elections without the ceremony module: n simulated trustees each draw t coefficients
 * a_i,l and publish C_i,l = a_i,l·G; the joint key is PK = Σ C_i,0 and the tests keep the joint
 * secret s = Σ a_i,0 to decrypt and compare with the plaintext grades.
 */
import type { Group } from '../../src/group/group.js';
import { createElection, type Election } from '../../src/election/election.js';
import { parseManifest, type Manifest } from '../../src/election/manifest.js';
import { fromHex } from '../../src/bytes.js';
import { schnorrProofToJson } from '../../src/proofs/wire.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { type BallotJson } from '../../src/ballot/json.js';
import type { Credential } from '../../src/election/credential.js';

/** A manifest with M candidates and K grades. */
export function testManifest(opts: { electionId?: string; M?: number; K?: number; group?: string; n?: number; t?: number } = {}): Manifest {
  const M = opts.M ?? 3;
  const K = opts.K ?? 4;
  const groupId = opts.group ?? 'ristretto255';
  return parseManifest(
    {
      version: 1,
      electionId: opts.electionId ?? 'test-2024',
      title: 'Test election',
      candidates: Array.from({ length: M }, (_, j) => ({ id: `c${j}`, name: `Candidate ${j}` })),
      grades: ['Excellent', 'Very good', 'Good', 'Fair', 'Passable', 'Poor', 'Reject', 'G7', 'G8', 'G9'].slice(0, K),
      group: groupId,
      trustees: { n: opts.n ?? 3, t: opts.t ?? 2 },
    },
    { allowInsecureTestGroup: groupId === 'insecure-test-group' },
  );
}

/** An election with simulated trustees, and its joint secret key. */
export function testElection<E>(group: Group<E>, manifest: Manifest): { election: Election<E>; secretKey: bigint } {
  const { n, t } = manifest.trustees;
  let s = 0n;
  const rows: E[][] = [];
  for (let i = 0; i < n; i++) {
    const coeffs = Array.from({ length: t }, () => group.randomScalar());
    s = group.Fq.add(s, coeffs[0]!);
    rows.push(coeffs.map((a) => group.G.multiply(a)));
  }
  const election = createElection(
    manifest,
    { coefficientCommitments: rows, jointPublicKey: group.G.multiply(s) },
    { group, allowInsecureTestGroup: group.insecureTestOnly },
  );
  return { election, secretKey: s };
}

/** A deep copy of a JSON value, to tamper with. */
export const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/**
 * Re-signs a (tampered) ballot's JSON with `credential` over its new hash — what a cheating
 * voting client holding the credential could do — so that checks past the signature are reached.
 */
export function resign<E>(election: Election<E>, credential: Credential<E>, json: BallotJson): BallotJson {
  const out = copy(json);
  out.credential = credential.publicKeyHex;
  const hash = fromHex(parseBallot(out, election).hashHex);
  out.signature = schnorrProofToJson(election.group, credential.signBallotHash(fromHex(out.fingerprint), hash));
  return out;
}

export { thrown } from '../helpers/errors.js';
