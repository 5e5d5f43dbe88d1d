/**
 * JSON wire forms of ciphertexts and proofs: `*Json` types hold lowercase hex
 * strings; `parse*` validates every field once (type, length, canonical encoding, group
 * membership, scalar range, unknown fields) and throws a FormatError naming its JSON path;
 * `*ToJson` serializes. Elements are the group's canonical encodings, scalars its canonical
 * scalar encodings (see docs/protocol.md).
 * @module
 */
import type { Group } from '../group/group.js';
import { expectArray, expectObject } from '../json/guards.js';
import type { Ciphertext } from '../elgamal.js';
import type { SchnorrProof } from './schnorr.js';
import type { DleqProof } from './chaum-pedersen.js';
import type { DisjunctiveBranch, DisjunctiveProof } from './disjunctive.js';

/** `{alpha, beta}` as hex. */
export interface CiphertextJson {
  alpha: string;
  beta: string;
}
/** `{commitment, challenge, response}` as hex. */
export interface SchnorrProofJson {
  commitment: string;
  challenge: string;
  response: string;
}
/** `{commitment1, commitment2, challenge, response}` as hex. */
export interface DleqProofJson {
  commitment1: string;
  commitment2: string;
  challenge: string;
  response: string;
}
/** One branch `{a, b, challenge, response}` as hex; a disjunctive proof is an array of them. */
export interface DisjunctiveBranchJson {
  a: string;
  b: string;
  challenge: string;
  response: string;
}

export function ciphertextToJson<E>(g: Group<E>, c: Ciphertext<E>): CiphertextJson {
  return { alpha: g.toHex(c.alpha), beta: g.toHex(c.beta) };
}
/** α may not be the identity (r ≠ 0); β may (it is m·G + r·K). */
export function parseCiphertext<E>(g: Group<E>, v: unknown, path: string): Ciphertext<E> {
  const o = expectObject(v, path, ['alpha', 'beta']);
  return { alpha: g.fromHex(o.alpha, `${path}.alpha`), beta: g.fromHex(o.beta, `${path}.beta`, { allowIdentity: true }) };
}

export function schnorrProofToJson<E>(g: Group<E>, p: SchnorrProof<E>): SchnorrProofJson {
  return { commitment: g.toHex(p.commitment), challenge: g.scalarToHex(p.challenge), response: g.scalarToHex(p.response) };
}
export function parseSchnorrProof<E>(g: Group<E>, v: unknown, path: string): SchnorrProof<E> {
  const o = expectObject(v, path, ['commitment', 'challenge', 'response']);
  return {
    commitment: g.fromHex(o.commitment, `${path}.commitment`, { allowIdentity: true }),
    challenge: g.scalarFromHex(o.challenge, `${path}.challenge`),
    response: g.scalarFromHex(o.response, `${path}.response`),
  };
}

export function dleqProofToJson<E>(g: Group<E>, p: DleqProof<E>): DleqProofJson {
  return {
    commitment1: g.toHex(p.commitment1),
    commitment2: g.toHex(p.commitment2),
    challenge: g.scalarToHex(p.challenge),
    response: g.scalarToHex(p.response),
  };
}
export function parseDleqProof<E>(g: Group<E>, v: unknown, path: string): DleqProof<E> {
  const o = expectObject(v, path, ['commitment1', 'commitment2', 'challenge', 'response']);
  return {
    commitment1: g.fromHex(o.commitment1, `${path}.commitment1`, { allowIdentity: true }),
    commitment2: g.fromHex(o.commitment2, `${path}.commitment2`, { allowIdentity: true }),
    challenge: g.scalarFromHex(o.challenge, `${path}.challenge`),
    response: g.scalarFromHex(o.response, `${path}.response`),
  };
}

export function disjunctiveProofToJson<E>(g: Group<E>, p: DisjunctiveProof<E>): DisjunctiveBranchJson[] {
  return p.map((b) => ({
    a: g.toHex(b.commitmentA),
    b: g.toHex(b.commitmentB),
    challenge: g.scalarToHex(b.challenge),
    response: g.scalarToHex(b.response),
  }));
}
/** Parses a disjunctive proof with exactly `branches` branches. */
export function parseDisjunctiveProof<E>(g: Group<E>, v: unknown, path: string, branches: number): DisjunctiveProof<E> {
  return expectArray(v, path, branches).map((x, j): DisjunctiveBranch<E> => {
    const p = `${path}[${j}]`;
    const o = expectObject(x, p, ['a', 'b', 'challenge', 'response']);
    return {
      commitmentA: g.fromHex(o.a, `${p}.a`, { allowIdentity: true }),
      commitmentB: g.fromHex(o.b, `${p}.b`, { allowIdentity: true }),
      challenge: g.scalarFromHex(o.challenge, `${p}.challenge`),
      response: g.scalarFromHex(o.response, `${p}.response`),
    };
  });
}
