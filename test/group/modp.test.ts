/**
 * Finite-field Schnorr groups: the named parameter sets, bad element encodings, and the
 * exponentiation algorithms differentially against bigint-crypto-utils' `modPow`.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isProbablyPrime, modInv, modPow } from 'bigint-crypto-utils';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { FormatError } from '../../src/errors.js';
import { bigintToBytesBE, concatBytes, toHex, utf8 } from '../../src/bytes.js';
import { belenios2048, electionGuard3072, electionGuard4096, helios2048 } from '../../src/group/index.js';
import { modpGroup, type ModpGroup } from '../../src/group/modp.js';
import { buildPowTable, multiExpUnsafe, powFromTable, powRegular, powUnsafe } from '../../src/group/modp-exp.js';
import { NAMED_MODP_PARAMS, type ModpParams } from '../../src/group/params.js';
import { testGroup } from './all-groups.js';

const MODP_GROUPS: ModpGroup[] = [electionGuard4096, electionGuard3072, belenios2048, helios2048, testGroup];

const bits = (n: bigint) => n.toString(2).length;

describe('named finite-field parameter sets', () => {
  const expected: Record<string, [number, number]> = {
    'electionguard-v2-standard-4096': [4096, 256],
    'electionguard-v2-reduced-3072': [3072, 256],
    'belenios-2048': [2048, 256],
    'helios-default-2048-256': [2048, 256],
  };

  it('are exactly the four production sets, with the expected sizes', () => {
    expect(NAMED_MODP_PARAMS.map((P) => P.id)).toEqual(Object.keys(expected));
    for (const P of NAMED_MODP_PARAMS) expect([bits(P.p), bits(P.q)]).toEqual(expected[P.id]);
  });

  for (const P of NAMED_MODP_PARAMS) {
    it(`${P.id}: p and q are (probable) primes, q | p − 1, 1 < g < p, g^q ≡ 1 (mod p)`, async () => {
      expect((P.p - 1n) % P.q).toBe(0n);
      expect(P.g > 1n && P.g < P.p).toBe(true);
      expect(modPow(P.g, P.q, P.p)).toBe(1n);
      // (p−1)/q is not divisible by q, so x^q = 1 characterises exactly the order-q subgroup's elements
      expect(((P.p - 1n) / P.q) % P.q).not.toBe(0n);
      expect(await isProbablyPrime(P.q, 16, true)).toBe(true);
      expect(await isProbablyPrime(P.p, 4, true)).toBe(true);
    });
  }

  it('ElectionGuard 4096: q = 2^256 − 189, g = 2^((p−1)/q), and the v2.0.0 parameter hash H_P matches the specification', () => {
    const { p, order: q, generator: g } = electionGuard4096;
    expect(q).toBe((1n << 256n) - 189n);
    expect(g).toBe(modPow(2n, (p - 1n) / q, p));
    expect(electionGuard3072.generator).toBe(modPow(2n, (electionGuard3072.p - 1n) / electionGuard3072.order, electionGuard3072.p));
    // ElectionGuard 2.0 eq. (5): H_P = HMAC-SHA-256(key = "v2.0.0" zero-padded, 0x00 ‖ p ‖ q ‖ g), fixed-width big-endian.
    const key = new Uint8Array(32);
    key.set(utf8('v2.0.0'));
    const msg = concatBytes(new Uint8Array([0]), bigintToBytesBE(p, 512), bigintToBytesBE(q, 32), bigintToBytesBE(g, 512));
    expect(toHex(hmac(sha256, key, msg))).toBe('2b3b025e50e09c119cba7e9448acd1cabc9447ef39bf06327d81c665cdd86296');
  });

  // The shared parameter file sits beside the checkout (CI clones main with shared/ beside it).
  const shared = fileURLToPath(new URL('../../../shared/params/groups.json', import.meta.url));
  it.skipIf(!existsSync(shared))('equal the numbers of shared/params/groups.json', () => {
    const file = JSON.parse(readFileSync(shared, 'utf8')) as { id: string; p: { hex: string }; q: { hex: string }; g: { hex: string } }[];
    for (const P of NAMED_MODP_PARAMS) {
      const e = file.find((x) => x.id === P.id)!;
      expect([P.p, P.q, P.g]).toEqual([BigInt('0x' + e.p.hex), BigInt('0x' + e.q.hex), BigInt('0x' + e.g.hex)]);
    }
  });
});

describe('modpGroup factory checks its parameters', () => {
  const ok: ModpParams = { id: 'x', description: 'x', source: 'x', p: testGroup.p, q: testGroup.order, g: testGroup.generator };
  it('accepts good parameters and refuses broken ones', () => {
    expect(modpGroup(ok).generator).toBe(testGroup.generator);
    expect(() => modpGroup({ ...ok, p: ok.p + 1n })).toThrow(RangeError); // even p
    expect(() => modpGroup({ ...ok, q: ok.q + 2n })).toThrow(RangeError); // q ∤ p − 1
    expect(() => modpGroup({ ...ok, g: 1n })).toThrow(RangeError);
    expect(() => modpGroup({ ...ok, g: ok.p })).toThrow(RangeError);
    expect(() => modpGroup({ ...ok, g: 2n })).toThrow(/g\^q/); // 2 is not in the subgroup
  });
});

describe('finite-field element decoding rejects bad encodings with the reason and the label', () => {
  function reject(g: ModpGroup, bytes: Uint8Array, reason: RegExp, opts?: { allowIdentity?: boolean }) {
    let caught: unknown;
    try {
      g.decode(bytes, 'pk', opts);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(FormatError);
    expect((caught as FormatError).path).toBe('pk');
    expect((caught as FormatError).reason).toMatch(reason);
  }
  for (const g of MODP_GROUPS) {
    it(g.id, () => {
      const n = g.elementBytes;
      const enc = (x: bigint) => bigintToBytesBE(x, n);
      reject(g, enc(0n), /0 is not an element/, { allowIdentity: true });
      reject(g, enc(1n), /identity/);
      expect(g.decode(enc(1n), 'pk', { allowIdentity: true })).toBe(1n);
      reject(g, enc(g.p - 1n), /not in the order-q subgroup/, { allowIdentity: true }); // order 2
      reject(g, enc(g.p - g.generator), /not in the order-q subgroup/); // −g has order 2q
      reject(g, enc(g.p), /x ≥ p/);
      reject(g, enc(g.p + 1n), /x ≥ p/);
      reject(g, new Uint8Array(n).fill(255), /x ≥ p/);
      // small integers outside the subgroup (checked independently with modPow)
      let h = 2n;
      while (modPow(h, g.order, g.p) === 1n) h++;
      reject(g, enc(h), /not in the order-q subgroup/);
      // a member times a non-member is a non-member
      reject(g, enc((g.generator * h) % g.p), /not in the order-q subgroup/);
      reject(g, enc(g.generator).subarray(1), new RegExp(`expected a ${n}-byte`));
      reject(g, concatBytes(new Uint8Array(1), enc(g.generator)), new RegExp(`expected a ${n}-byte`));
      expect(g.decode(enc(g.generator), 'pk')).toBe(g.generator);
    });
  }
});

describe('exponentiation algorithms agree with bigint-crypto-utils modPow', () => {
  const g = testGroup;
  const p = g.p;
  const elem = fc.bigInt({ min: 1n, max: g.order - 1n }).map((k) => modPow(g.generator, k, p));
  const anyResidue = fc.bigInt({ min: 1n, max: p - 1n });
  const exp = fc.oneof(
    fc.bigInt({ min: 0n, max: g.order - 1n }),
    fc.bigInt({ min: 0n, max: 300n }),
    fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }),
  );

  it('powUnsafe and powRegular, on subgroup elements and any residue, any exponent length', () => {
    fc.assert(
      fc.property(fc.oneof(elem, anyResidue), exp, (b, e) => {
        const want = modPow(b, e, p);
        expect(powUnsafe(b, e, p)).toBe(want);
        expect(powRegular(b, e, p, Math.max(1, bits(e)))).toBe(want);
        expect(powRegular(b, e, p, bits(e) + 7)).toBe(want);
      }),
      { numRuns: 300 },
    );
  });

  it('fixed-base tables for every window width 1..10, regular and unsafe', () => {
    fc.assert(
      fc.property(
        elem,
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.bigInt({ min: 0n, max: g.order - 1n }), { minLength: 1, maxLength: 5 }),
        (b, w, ks) => {
          const t = buildPowTable(b, p, 64, w);
          for (const k of ks) {
            const want = modPow(b, k, p);
            expect(powFromTable(t, k, p, true)).toBe(want);
            expect(powFromTable(t, k, p, false)).toBe(want);
          }
        },
      ),
      { numRuns: 60 },
    );
    expect(() => buildPowTable(2n, p, 64, 0)).toThrow(RangeError);
    const big = belenios2048;
    const k = big.randomScalar();
    expect(big.precomputeWindow(big.generator, 5).multiply(k)).toBe(modPow(big.generator, k, big.p));
  });

  it('multi-exponentiation: Straus (few bases) and buckets (many bases) equal the product of modPows', () => {
    const check = (n: number, maxBits: bigint) =>
      fc.assert(
        fc.property(
          fc.array(fc.tuple(elem, fc.bigInt({ min: 0n, max: (1n << maxBits) - 1n })), { minLength: n, maxLength: n }),
          (items) => {
            let want = 1n;
            for (const [b, e] of items) want = (want * modPow(b, e, p)) % p;
            expect(
              multiExpUnsafe(
                items.map((x) => x[0]),
                items.map((x) => x[1]),
                p,
              ),
            ).toBe(want);
          },
        ),
        { numRuns: 10 },
      );
    check(0, 64n);
    check(1, 64n);
    check(3, 64n); // Straus
    check(40, 64n); // Straus
    check(400, 64n); // buckets
    check(400, 8n); // buckets, short exponents
    expect(multiExpUnsafe([5n, 7n], [0n, 0n], p)).toBe(1n);
  });

  it('negate and subtract agree with modInv', () => {
    fc.assert(
      fc.property(fc.oneof(elem, anyResidue), elem, (a, b) => {
        expect(g.negate(a)).toBe(modInv(a, p));
        expect(g.subtract(b, a)).toBe((b * modInv(a, p)) % p);
      }),
      { numRuns: 200 },
    );
    const x = helios2048.G.multiplyUnsafe(helios2048.randomScalar());
    expect(helios2048.negate(x)).toBe(modInv(x, helios2048.p));
  });

  it('a 2048-bit group: multiply, fixed base and msm agree with modPow', () => {
    const G = helios2048;
    const ks = [G.randomScalar(), G.randomScalar(), 0n, 1n, G.order - 1n];
    const pts = ks.map((k) => G.G.multiplyUnsafe(k));
    for (let i = 0; i < ks.length; i++) {
      expect(G.multiply(G.generator, ks[i]!)).toBe(modPow(G.generator, ks[i]!, G.p));
      expect(pts[i]).toBe(modPow(G.generator, ks[i]!, G.p));
    }
    let want = 1n;
    const es = ks.map((_, i) => G.Fq.create(ks[i]! * 7n + BigInt(i)));
    for (let i = 0; i < pts.length; i++) want = (want * modPow(pts[i]!, es[i]!, G.p)) % G.p;
    expect(G.msm(pts, es)).toBe(want);
  });
});
