/**
 * Ranking 1,000 candidates × 10 grades (every rule), and the chart of that result.
 * Profiles are pseudo-random (fixed seed) with 10^7 voters each, so that many candidates share
 * a majority grade and the tie-breaks do real work; one copy with 10^18 voters checks that
 * bigint sizes do not change the cost much.
 *
 *   npx vitest bench --run bench/mj.bench.ts
 */
import { bench, describe } from 'vitest';
import { MJ_RULES } from '../src/mj/rules.js';
import { meritProfileSvg } from '../src/mj/svg.js';
import { rank } from '../src/mj/rank.js';

function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function election(candidates: number, G: number, voters: bigint, seed: number): Record<string, bigint[]> {
  const random = xorshift(seed);
  const out: Record<string, bigint[]> = {};
  for (let c = 0; c < candidates; c++) {
    // a peaked profile around a random grade, then fixed up to sum exactly to `voters`
    const centre = random() * G;
    const weights = Array.from({ length: G }, (_, g) => Math.exp(-((g - centre) ** 2) / 4) + random() * 0.3);
    const sum = weights.reduce((a, b) => a + b, 0);
    const counts = weights.map((w) => BigInt(Math.floor((w / sum) * 1e6)) * (voters / 1_000_000n));
    counts[G - 1] = counts[G - 1]! + voters - counts.reduce((a, b) => a + b, 0n);
    out[`candidate ${String(c).padStart(4, '0')}`] = counts;
  }
  return out;
}

const G = 10;
const grades = Array.from({ length: G }, (_, i) => `grade ${i}`);
const small = election(1000, G, 10_000_000n, 2022);
const large = election(1000, G, 10n ** 18n, 2022);
const result = rank(small, grades);

describe('rank 1,000 candidates × 10 grades (10^7 voters)', () => {
  for (const rule of MJ_RULES) bench(rule, () => void rank(small, grades, { rule }));
});

describe('rank 1,000 candidates × 10 grades (10^18 voters)', () => {
  bench('majority-judgment', () => void rank(large, grades));
});

describe('chart', () => {
  bench('meritProfileSvg, 1,000 candidates', () => void meritProfileSvg(result));
});
