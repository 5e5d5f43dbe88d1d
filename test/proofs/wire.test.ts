import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ristretto255 as g } from '../../src/group/ristretto255.js';
import { FormatError } from '../../src/errors.js';
import { encrypt, generateKeyPair, publicKey } from '../../src/elgamal.js';
import { proveZeroOne } from '../../src/proofs/disjunctive.js';
import {
  ciphertextToJson,
  disjunctiveProofToJson,
  parseCiphertext,
  parseDisjunctiveProof,
  parseSchnorrProof,
  schnorrProofToJson,
} from '../../src/proofs/wire.js';
import { proveSchnorr } from '../../src/proofs/schnorr.js';

const pk = publicKey(g, generateKeyPair(g).publicKey);
const { ciphertext, randomness } = encrypt(pk, 1);
const proofJson = disjunctiveProofToJson(g, proveZeroOne(pk, ciphertext, 1, randomness, new Uint8Array()));
const ctJson = ciphertextToJson(g, ciphertext);

function expectFormatError(f: () => unknown, path: string | RegExp) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    if (typeof path === 'string') expect((e as FormatError).path).toBe(path);
    else expect((e as FormatError).path).toMatch(path);
    return;
  }
  throw new Error('expected a FormatError');
}

describe('wire forms', () => {
  it('round-trip', () => {
    const ct = parseCiphertext(g, ctJson, 'ct');
    expect(ciphertextToJson(g, ct)).toEqual(ctJson);
    expect(disjunctiveProofToJson(g, parseDisjunctiveProof(g, proofJson, 'p', 2))).toEqual(proofJson);
    const s = schnorrProofToJson(g, proveSchnorr(g, g.randomScalar(), new Uint8Array()).proof);
    expect(schnorrProofToJson(g, parseSchnorrProof(g, s, 's'))).toEqual(s);
  });

  it('each malformed field is named', () => {
    expectFormatError(() => parseCiphertext(g, { ...ctJson, gamma: '00' }, 'ballot.ct'), 'ballot.ct.gamma');
    expectFormatError(() => parseCiphertext(g, { alpha: ctJson.alpha }, 'ballot.ct'), 'ballot.ct.beta');
    expectFormatError(() => parseCiphertext(g, { ...ctJson, alpha: ctJson.alpha.toUpperCase() }, 'ct'), 'ct.alpha');
    expectFormatError(() => parseCiphertext(g, { ...ctJson, alpha: ctJson.alpha.slice(2) }, 'ct'), 'ct.alpha');
    expectFormatError(() => parseCiphertext(g, { ...ctJson, alpha: 'ff'.repeat(32) }, 'ct'), 'ct.alpha');
    expectFormatError(() => parseCiphertext(g, { ...ctJson, alpha: '00'.repeat(32) }, 'ct'), 'ct.alpha'); // identity forbidden
    expectFormatError(() => parseCiphertext(g, { ...ctJson, beta: 7 }, 'ct'), 'ct.beta');
    expectFormatError(() => parseCiphertext(g, [ctJson.alpha, ctJson.beta], 'ct'), 'ct');
    expectFormatError(() => parseDisjunctiveProof(g, proofJson, 'p', 3), 'p');
    expectFormatError(
      () => parseDisjunctiveProof(g, [proofJson[0], { ...proofJson[1], response: 'ff'.repeat(32) }], 'p', 2),
      'p[1].response',
    );
    expectFormatError(
      () => parseDisjunctiveProof(g, [proofJson[0], { ...proofJson[1], challenge: g.scalarToHex(1n).slice(0, 62) }], 'p', 2),
      'p[1].challenge',
    );
  });

  it('fast-check: arbitrary JSON never crashes the parsers, it is parsed or rejected with a FormatError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        for (const f of [() => parseCiphertext(g, v, 'x'), () => parseDisjunctiveProof(g, v, 'x', 2), () => parseSchnorrProof(g, v, 'x')]) {
          try {
            f();
          } catch (e) {
            expect(e).toBeInstanceOf(FormatError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
