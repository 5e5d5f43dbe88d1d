import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tinyGroup as g } from '../helpers/groups.js';
import { decrypt, encrypt, generateKeyPair, publicKey } from '../../src/elgamal.js';
import { encryptedTallyToJson, parseEncryptedTally, TallyAccumulator, talliesEqual } from '../../src/tally/aggregate.js';
import { FormatError } from '../../src/errors.js';

const kp = generateKeyPair(g);
const pk = publicKey(g, kp.publicKey);
const C = 3;
const K = 4;
const ballotOf = (grades: number[]) => grades.map((gr) => Array.from({ length: K }, (_, k) => encrypt(pk, k === gr ? 1 : 0).ciphertext));

describe('encrypted tally', () => {
  it('decrypts to the merit profiles; merge is associative and order-free; subtract undoes add', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: K - 1 }), { minLength: C, maxLength: C }), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        (votes, cut) => {
          const ballots = votes.map(ballotOf);
          const whole = new TallyAccumulator(g, C, K);
          ballots.forEach((b) => whole.add(b));
          const i = cut % (ballots.length + 1);
          const left = new TallyAccumulator(g, C, K);
          const right = new TallyAccumulator(g, C, K);
          ballots.slice(0, i).forEach((b) => left.add(b));
          ballots.slice(i).forEach((b) => right.add(b));
          const merged = new TallyAccumulator(g, C, K);
          merged.merge(right.result());
          merged.merge(left.result());
          expect(talliesEqual(g, merged.result(), whole.result())).toBe(true);
          const t = whole.result();
          for (let j = 0; j < C; j++)
            for (let k = 0; k < K; k++)
              expect(decrypt(g, kp.secretKey, t.cells[j]![k]!, votes.length)).toBe(BigInt(votes.filter((v) => v[j] === k).length));
          whole.add(ballots[0]!);
          whole.subtract(ballots[0]!);
          expect(talliesEqual(g, whole.result(), t)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('JSON round trip and validation', () => {
    const acc = new TallyAccumulator(g, C, K);
    expect(talliesEqual(g, parseEncryptedTally(g, encryptedTallyToJson(g, acc.result()), C, K), acc.result())).toBe(true); // identity cells allowed
    acc.add(ballotOf([0, 1, 2]));
    const json = encryptedTallyToJson(g, acc.result());
    expect(talliesEqual(g, parseEncryptedTally(g, JSON.parse(JSON.stringify(json)), C, K), acc.result())).toBe(true);
    expect(() => parseEncryptedTally(g, json, C + 1, K)).toThrow(FormatError);
    expect(() => parseEncryptedTally(g, { ...json, ballots: -1 }, C, K)).toThrow(/tally.ballots/);
    expect(() => parseEncryptedTally(g, { ...json, extra: 1 }, C, K)).toThrow(/tally.extra/);
    expect(() => acc.add(ballotOf([0, 1]))).toThrow(RangeError);
  });
});

describe('encrypted tally on the WebAssembly backend (sumMany in one call into WebAssembly)', () => {
  it('summing cells in batches of pending ballots gives the tally of one add at a time (noble), across flushes, subtract, merge and result', async () => {
    const { ristretto255With } = await import('../../src/group/ristretto255.js');
    const N = ristretto255With('noble');
    const W = ristretto255With('wasm');
    const nkp = generateKeyPair(N);
    const npk = publicKey(N, nkp.publicKey);
    const M = 2;
    const G = 3;
    // 150 ballots: more than two batches of pending ballots (64), so flushes happen on add and on read.
    const ballots = Array.from({ length: 150 }, (_, i) =>
      Array.from({ length: M }, (_, j) => Array.from({ length: G }, (_, k) => encrypt(npk, (i + j) % G === k ? 1 : 0).ciphertext)),
    );
    const toW = (cells: (typeof ballots)[number]) =>
      cells.map((row) =>
        row.map((c) => ({
          alpha: W.decode(N.encode(c.alpha), 'a', { allowIdentity: true }),
          beta: W.decode(N.encode(c.beta), 'b', { allowIdentity: true }),
        })),
      );
    const same = (a: { cells: readonly (readonly { alpha: unknown; beta: unknown }[])[]; ballots: number }, b: typeof a) => {
      expect(a.ballots).toBe(b.ballots);
      a.cells.forEach((row, j) =>
        row.forEach((c, k) => {
          expect(W.toHex(c.alpha as never)).toBe(N.toHex(b.cells[j]![k]!.alpha as never));
          expect(W.toHex(c.beta as never)).toBe(N.toHex(b.cells[j]![k]!.beta as never));
        }),
      );
    };
    const n = new TallyAccumulator(N, M, G);
    const w = new TallyAccumulator(W, M, G);
    ballots.slice(0, 100).forEach((b) => (n.add(b), w.add(toW(b))));
    expect(w.ballots).toBe(100); // counted at once, summed later
    same(w.result(), n.result());
    ballots.slice(100).forEach((b) => (n.add(b), w.add(toW(b))));
    n.subtract(ballots[7]!);
    w.subtract(toW(ballots[7]!)); // with 50 ballots pending
    const other = new TallyAccumulator(W, M, G);
    ballots.slice(0, 3).forEach((b) => other.add(toW(b)));
    w.merge(other.result());
    ballots.slice(0, 3).forEach((b) => n.add(b));
    same(w.result(), n.result());
  });

  it('sumMany equals a chain of add, for 0, 1, 2 and many points, the identity and cancelling pairs included', async () => {
    const W = (await import('../../src/group/ristretto255.js')).ristretto255With('wasm');
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.bigInt({ min: 0n, max: W.order - 1n }), fc.constantFrom(0n, 1n, W.order - 1n)), { maxLength: 40 }),
        fc.boolean(),
        (ks, cancel) => {
          const pts = ks.map((k) => W.G.multiplyUnsafe(k));
          if (cancel && pts.length > 0) pts.push(W.negate(pts[0]!));
          const chain = pts.reduce((a, b) => W.add(a, b), W.identity);
          expect(W.toHex(W.sumMany(pts))).toBe(W.toHex(chain));
        },
      ),
      { numRuns: 60 },
    );
  });
});
