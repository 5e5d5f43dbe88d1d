/**
 * Reading a ballot from its JSON wire form: every field validated once (type, length, canonical
 * encoding, group membership, scalar range, unknown fields), errors naming the JSON path.
 * @module
 */
import { FormatError } from '../errors.js';
import { fromHex, hexInto } from '../bytes.js';
import type { Group } from '../group/group.js';
import { expectArray, expectObject } from '../json/guards.js';
import type { Election } from '../election/election.js';
import { ID_RE } from '../election/manifest.js';
import type { BallotAnswer, Ballot } from './ballot.js';
import { BALLOT_VERSION } from './json.js';
import { ballotFromParts } from './assemble.js';

/**
 * The element strings of a ballot in the order parseBallot reads them, decoded in one call
 * (the group's `decodeMany`); null when anything is off (parseBallot then decodes field by
 * field and reports the first problem).
 */
function preDecode<E>(json: unknown, group: Group<E>): { hex: unknown[]; points: E[]; bytes: Uint8Array } | null {
  const eb = group.elementBytes;
  const hex: unknown[] = [];
  const o = json as { credential?: unknown; answers?: unknown; signature?: { commitment?: unknown } } | null;
  if (typeof o !== 'object' || o === null || !Array.isArray(o.answers)) return null;
  hex.push(o.credential);
  for (const a of o.answers as { choices?: unknown; proofs?: unknown; exactlyOne?: { commitment1?: unknown; commitment2?: unknown } }[]) {
    if (
      typeof a !== 'object' ||
      a === null ||
      !Array.isArray(a.choices) ||
      !Array.isArray(a.proofs) ||
      typeof a.exactlyOne !== 'object' ||
      a.exactlyOne === null
    )
      return null;
    for (const c of a.choices as ({ alpha?: unknown; beta?: unknown } | null)[]) {
      if (typeof c !== 'object' || c === null) return null;
      hex.push(c.alpha, c.beta);
    }
    for (const p of a.proofs as unknown[]) {
      if (!Array.isArray(p)) return null;
      for (const br of p as ({ a?: unknown; b?: unknown } | null)[]) {
        if (typeof br !== 'object' || br === null) return null;
        hex.push(br.a, br.b);
      }
    }
    hex.push(a.exactlyOne.commitment1, a.exactlyOne.commitment2);
  }
  if (typeof o.signature !== 'object' || o.signature === null) return null;
  hex.push(o.signature.commitment);
  const bytes = new Uint8Array(eb * hex.length);
  for (let i = 0; i < hex.length; i++) if (!hexInto(hex[i], bytes, eb * i, eb)) return null;
  try {
    return { hex, points: group.decodeMany(bytes, 'elements', { allowIdentity: true }), bytes };
  } catch (e) {
    if (e instanceof FormatError) return null;
    throw e;
  }
}

/**
 * Parses a ballot for `election`, validating every field once: exact members (no unknown, none
 * missing), version, election id syntax, 32-byte fingerprint, every element (lowercase hex,
 * canonical, in the group; the credential and every α not the identity), every scalar (< q),
 * M answers of K choices, K proofs of 2 branches each. It does not check that the ballot is
 * for this election, nor any proof: that is {@link checkBallot}'s job.
 * @param path - JSON path used in errors (default `ballot`).
 * @throws FormatError naming the offending field's JSON path.
 */
export function parseBallot<E>(json: unknown, election: Election<E>, path = 'ballot'): Ballot<E> {
  const group = election.group;
  const memo = new Map<E, Uint8Array>();
  // Every element decoded in one call up front (the group's decodeMany: on the WebAssembly
  // backend, in SIMD lanes). Each elem() call below takes the next one only if its input is the
  // very string that was decoded; anything unusual (bad shape, bad hex, invalid point, identity)
  // falls back to decoding that field alone, which names it in the error exactly as before.
  const pre = preDecode(json, group);
  const eb = group.elementBytes;
  const identityHex = group.toHex(group.identity);
  let next = 0;
  const elem = (v: unknown, p: string, allowIdentity = true): E => {
    if (pre !== null && next < pre.hex.length) {
      const k = next++;
      if (pre.hex[k] === v && (allowIdentity || v !== identityHex)) {
        const e = pre.points[k]!;
        memo.set(e, pre.bytes.subarray(eb * k, eb * k + eb));
        return e;
      }
    }
    const bytes = fromHex(v, p, group.elementBytes);
    const e = group.decode(bytes, p, { allowIdentity });
    memo.set(e, bytes);
    return e;
  };
  const scalar = (v: unknown, p: string) => group.scalarFromHex(v, p);

  const o = expectObject(json, path, ['version', 'electionId', 'fingerprint', 'credential', 'answers', 'signature']);
  if (o.version !== BALLOT_VERSION) throw new FormatError(`${path}.version`, `expected ${BALLOT_VERSION}`);
  if (typeof o.electionId !== 'string' || !ID_RE.test(o.electionId)) throw new FormatError(`${path}.electionId`, 'expected an election id');
  const fingerprint = fromHex(o.fingerprint, `${path}.fingerprint`, 32);
  const credential = elem(o.credential, `${path}.credential`, false);
  const K = election.gradeCount;
  const answers = expectArray(o.answers, `${path}.answers`, election.candidateCount).map((a, j): BallotAnswer<E> => {
    const pa = `${path}.answers[${j}]`;
    const ao = expectObject(a, pa, ['choices', 'proofs', 'exactlyOne']);
    const choices = expectArray(ao.choices, `${pa}.choices`, K).map((c, g) => {
      const pc = `${pa}.choices[${g}]`;
      const co = expectObject(c, pc, ['alpha', 'beta']);
      return { alpha: elem(co.alpha, `${pc}.alpha`, false), beta: elem(co.beta, `${pc}.beta`) };
    });
    const proofs = expectArray(ao.proofs, `${pa}.proofs`, K).map((p, g) =>
      expectArray(p, `${pa}.proofs[${g}]`, 2).map((br, b) => {
        const pb = `${pa}.proofs[${g}][${b}]`;
        const bo = expectObject(br, pb, ['a', 'b', 'challenge', 'response']);
        return {
          commitmentA: elem(bo.a, `${pb}.a`),
          commitmentB: elem(bo.b, `${pb}.b`),
          challenge: scalar(bo.challenge, `${pb}.challenge`),
          response: scalar(bo.response, `${pb}.response`),
        };
      }),
    );
    const pe = `${pa}.exactlyOne`;
    const eo = expectObject(ao.exactlyOne, pe, ['commitment1', 'commitment2', 'challenge', 'response']);
    const exactlyOne = {
      commitment1: elem(eo.commitment1, `${pe}.commitment1`),
      commitment2: elem(eo.commitment2, `${pe}.commitment2`),
      challenge: scalar(eo.challenge, `${pe}.challenge`),
      response: scalar(eo.response, `${pe}.response`),
    };
    return { choices, proofs, exactlyOne };
  });
  const so = expectObject(o.signature, `${path}.signature`, ['commitment', 'challenge', 'response']);
  const signature = {
    commitment: elem(so.commitment, `${path}.signature.commitment`),
    challenge: scalar(so.challenge, `${path}.signature.challenge`),
    response: scalar(so.response, `${path}.signature.response`),
  };
  return ballotFromParts(group, memo, { electionId: o.electionId, fingerprint, credential, answers }, signature);
}
