import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tinyGroup } from '../helpers/groups.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import type { Group } from '../../src/group/group.js';
import { BoundError, FormatError } from '../../src/errors.js';
import { DiscreteLogTable, encrypt, publicKey, type Ciphertext } from '../../src/elgamal.js';
import { evaluatePolynomial, randomPolynomial } from '../../src/ceremony/polynomial.js';
import { lagrangeAtZero } from '../../src/decrypt/lagrange.js';
import { decryptionShares, type DecryptionShareMessage } from '../../src/decrypt/shares.js';
import { combineDecryptionShares, InsufficientSharesError } from '../../src/decrypt/combine.js';
import { decryptionShareMessageToJson, parseDecryptionShareMessage } from '../../src/decrypt/wire.js';
import { params, runCeremony, type Run } from '../ceremony/harness.js';
import { assertMutationsRejected, garbage } from '../ceremony/json-mutation.js';

const ctx = new TextEncoder().encode('election-fingerprint/tally-1');

function setup<E>(g: Group<E>, n: number, t: number, values: number[]) {
  const run: Run<E> = runCeremony(params(g, n, t));
  const pk = publicKey(g, run.transcript.result.jointPublicKey);
  const cts: Ciphertext<E>[] = values.map((m) => encrypt(pk, m).ciphertext);
  const msgs = new Map([...run.keys].map(([j, k]) => [j, decryptionShares(g, k, cts, ctx)]));
  return { run, cts, msgs, result: run.transcript.result };
}

/** Trustee j's message with share k replaced by D + G (its proof no longer matches). */
function corrupt<E>(g: Group<E>, m: DecryptionShareMessage<E>, k: number): DecryptionShareMessage<E> {
  return { ...m, shares: m.shares.map((s, i) => (i === k ? { ...s, share: g.add(s.share, g.generator) } : s)) };
}

describe('Lagrange coefficients at 0', () => {
  const g = tinyGroup;
  it('Σ λ_j f(j) = f(0) for any polynomial of degree < |S| and any S', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }), (S) => {
        const f = randomPolynomial(g, S.length);
        const lambda = lagrangeAtZero(g, S);
        const sum = S.reduce((acc, j) => g.Fq.add(acc, g.Fq.mul(lambda.get(j)!, evaluatePolynomial(g, f, j))), 0n);
        expect(sum).toBe(f[0]);
        if (S.length > 1) {
          const g2 = randomPolynomial(g, S.length + 1); // degree |S|: interpolation misses f(0) (except with negligible probability)
          const sum2 = S.reduce((acc, j) => g.Fq.add(acc, g.Fq.mul(lambda.get(j)!, evaluatePolynomial(g, g2, j))), 0n);
          expect(sum2).not.toBe(g2[0]);
        }
      }),
      { numRuns: 100 },
    );
    expect(() => lagrangeAtZero(g, [1, 1])).toThrow(RangeError);
  });
});

describe('threshold decryption (insecure test group)', () => {
  const g = tinyGroup;
  const values = [0, 1, 2, 3, 40, 17];
  const { run, cts, msgs, result } = setup(g, 5, 3, values);
  const m = (j: number) => msgs.get(j)!;

  it('a bad decryption share is excluded and named; decryption succeeds with t others', () => {
    const out = combineDecryptionShares(result, cts, [m(1), corrupt(g, m(2), 4), m(3), m(5)], ctx, 40);
    expect(out.plaintexts).toEqual(values.map(BigInt));
    expect(out.invalid).toMatchObject([{ trustee: 2, code: 'invalid-proof' }]);
    expect(out.used).toEqual([1, 3, 5]);
    expect(out.valid).toEqual([1, 3, 5]);
  });

  it('several bad trustees are all named (batch bisection)', () => {
    const out = combineDecryptionShares(result, cts, [corrupt(g, m(1), 0), m(2), corrupt(g, m(3), 5), m(4), m(5)], ctx, 40);
    expect(out.invalid.map((x) => x.trustee)).toEqual([1, 3]);
    expect(out.plaintexts).toEqual(values.map(BigInt));
  });

  it('fewer than t valid → InsufficientSharesError naming the missing and the invalid trustees', () => {
    let err: unknown;
    try {
      combineDecryptionShares(result, cts, [m(1), corrupt(g, m(4), 0)], ctx, 40);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InsufficientSharesError);
    expect(err).toMatchObject({
      code: 'insufficient-shares',
      t: 3,
      valid: [1],
      missing: [2, 3, 5],
      invalid: [{ trustee: 4, code: 'invalid-proof' }],
    });
    expect(() => combineDecryptionShares(result, cts, [m(1), m(2)], ctx, 40)).toThrow(
      expect.objectContaining({ missing: [3, 4, 5], invalid: [] }),
    );
  });

  it('shares made under another context, by another trustee, for another ceremony, or of the wrong length are excluded', () => {
    const other = new TextEncoder().encode('another tally');
    const otherCtx = decryptionShares(g, run.keys.get(3)!, cts, other);
    const relabelled = { ...m(4), trustee: 2 }; // trustee 4's shares presented as trustee 2's
    const out = combineDecryptionShares(
      result,
      cts,
      [m(1), otherCtx, relabelled, { ...m(5), shares: m(5).shares.slice(1) }, { ...m(3), ceremonyId: 'x' }, m(4), m(5)],
      ctx,
      40,
    );
    expect(out.invalid.map((x) => [x.trustee, x.code])).toEqual([
      [2, 'invalid-proof'],
      [3, 'invalid-proof'],
      [3, 'wrong-ceremony'],
      [5, 'wrong-count'],
    ]);
    expect(out.used).toEqual([1, 4, 5]);
    expect(out.plaintexts).toEqual(values.map(BigInt));
  });

  it('a share message of a non-qualified trustee is excluded', () => {
    const p = params(g, 3, 2);
    const run = runCeremony(p, { absent: [3] });
    const r = run.transcript.result;
    const ct = encrypt(publicKey(g, r.jointPublicKey), 1).ciphertext;
    const ms = [...run.keys.values()].map((k) => decryptionShares(g, k, [ct], ctx));
    const out = combineDecryptionShares(r, [ct], [...ms, { ...ms[0]!, trustee: 3 }], ctx, 1);
    expect(out.invalid).toMatchObject([{ trustee: 3, code: 'not-qualified' }]);
    expect(out.plaintexts).toEqual([1n]);
  });

  it('a plaintext above the bound is a BoundError naming the ciphertext; a shared table is reused', () => {
    expect(() => combineDecryptionShares(result, cts, [m(1), m(2), m(3)], ctx, 39)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/ciphertext 4/) }),
    );
    expect(() => combineDecryptionShares(result, cts, [m(1), m(2), m(3)], ctx, 39)).toThrow(BoundError);
    const table = new DiscreteLogTable(g, 100, 12);
    expect(combineDecryptionShares(result, cts, [m(5), m(4), m(2)], ctx, table).plaintexts).toEqual(values.map(BigInt));
    expect(combineDecryptionShares(result, cts, [m(3), m(1), m(2), m(4), m(5)], ctx, table).used).toEqual([1, 2, 3]);
  });
});

describe('decryption share wire form', () => {
  for (const [g, runs] of [
    [tinyGroup, 150],
    [ristretto255, 40],
  ] as [Group<any>, number][]) {
    it(`${g.id}: round trip, garbage, wrong index, wrong election, wrong count, identity share`, () => {
      const { run, cts, msgs } = setup(g, 3, 2, [1, 2]);
      const p = run.params;
      const json = decryptionShareMessageToJson(p, msgs.get(2)!);
      const parse = (v: unknown) => parseDecryptionShareMessage(p, v, 'shares', 2);
      expect(decryptionShareMessageToJson(p, parse(JSON.parse(JSON.stringify(json))))).toEqual(json);
      fc.assert(
        fc.property(garbage, (v) => {
          expect(() => parse(v)).toThrow(FormatError);
        }),
        { numRuns: 50 },
      );
      assertMutationsRejected(json, 'shares', parse, runs);
      for (const bad of [0, 4, 2.5, '2'])
        expect(() => parse({ ...json, trustee: bad })).toThrow(expect.objectContaining({ path: 'shares.trustee' }));
      expect(() => parse({ ...json, ceremony: 'another-election' })).toThrow(expect.objectContaining({ path: 'shares.ceremony' }));
      expect(() => parse({ ...json, shares: json.shares.slice(1) })).toThrow(expect.objectContaining({ path: 'shares.shares' }));
      expect(() => parse({ ...json, shares: [{ ...json.shares[0]!, share: g.toHex(g.identity) }, json.shares[1]] })).toThrow(
        expect.objectContaining({ path: 'shares.shares[0].share' }),
      );
      void cts;
    });
  }
});

describe('threshold decryption on ristretto255 (representative)', () => {
  it('5 trustees, t = 3: a bad share is excluded, any 3 valid decrypt', () => {
    const g = ristretto255;
    const values = [0, 1, 5, 9];
    const { cts, msgs, result } = setup(g, 5, 3, values);
    const out = combineDecryptionShares(result, cts, [corrupt(g, msgs.get(1)!, 2), msgs.get(3)!, msgs.get(4)!, msgs.get(5)!], ctx, 10);
    expect(out.plaintexts).toEqual(values.map(BigInt));
    expect(out.invalid).toMatchObject([{ trustee: 1, code: 'invalid-proof' }]);
    expect(out.used).toEqual([3, 4, 5]);
  });
});
