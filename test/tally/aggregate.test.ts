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
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: K - 1 }), { minLength: C, maxLength: C }), { minLength: 1, maxLength: 12 }), fc.nat(), (votes, cut) => {
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
          for (let k = 0; k < K; k++) expect(decrypt(g, kp.secretKey, t.cells[j]![k]!, votes.length)).toBe(BigInt(votes.filter((v) => v[j] === k).length));
        whole.add(ballots[0]!);
        whole.subtract(ballots[0]!);
        expect(talliesEqual(g, whole.result(), t)).toBe(true);
      }),
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
