/**
 * Independent, deliberately naive reference implementations for differential tests:
 * the majority value by literally removing one median vote at a time, and Fabre's primary
 * scores transcribed (in floating point) from his R package (bixiou/highest_median,
 * HighestMedianRules.R, function `score`).
 */

/** Majority value of a profile (counts best first): grade indices, best = 0. */
export function bruteMajorityValue(counts: readonly bigint[]): number[] {
  const sorted: number[] = []; // best first
  counts.forEach((c, g) => {
    for (let i = 0n; i < c; i++) sorted.push(g);
  });
  const out: number[] = [];
  while (sorted.length > 0) {
    // lower middlemost: with best-first order, the worse of the two middles is at floor(n/2)
    const m = Math.floor(sorted.length / 2);
    out.push(sorted[m]!);
    sorted.splice(m, 1);
  }
  return out;
}

/** Negative when `a` ranks first by majority value (equal totals). */
export function bruteCompareMajorityValues(a: readonly bigint[], b: readonly bigint[]): number {
  const va = bruteMajorityValue(a);
  const vb = bruteMajorityValue(b);
  if (va.length !== vb.length) throw new Error('brute force needs equal totals');
  for (let i = 0; i < va.length; i++) if (va[i] !== vb[i]) return va[i]! - vb[i]!;
  return 0;
}

/**
 * Fabre's primary score in floating point, on a profile given best first. Grades are valued
 * G−1 (best) … 0 (worst); only differences matter. Rules: 'mj' (gauge), 'd' (typical), 'n'
 * (usual), 's' (central, without the R code's ε hack).
 */
export function fabreScore(rule: 'mj' | 'd' | 'n' | 's', countsBestFirst: readonly bigint[]): number {
  const worstFirst = countsBestFirst.map(Number).reverse();
  const total = worstFirst.reduce((a, b) => a + b, 0);
  const shares = worstFirst.map((c) => c / total);
  // gauge(): cumulate from the lowest grade until at least half
  let majo = 0;
  let i = -1;
  while (majo < 0.5 - 1e-12) majo += shares[++i]!;
  const p = 1 - majo;
  const q = majo - shares[i]!;
  const g = i;
  switch (rule) {
    case 'mj':
      return g + (p > q + 1e-12 ? p : -q);
    case 'd':
      return g + p - q;
    case 'n':
      return g + (p - q) / (2 * (1 - p - q));
    case 's':
      return g + (p + q === 0 ? 0 : (0.5 * (p - q)) / (p + q));
  }
}
