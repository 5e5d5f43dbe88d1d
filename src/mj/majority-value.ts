/**
 * The Balinski–Laraki majority value, compared exactly in O(number of grades).
 *
 * Definition: the majority value of a candidate is the sequence of majority grades obtained by
 * repeatedly removing one vote of the current majority grade (lower middlemost). Candidates are
 * ranked by the lexicographic order of their majority values.
 *
 * For n voters, the i-th removed vote always sits at the same *position* of the sorted list of
 * grades, whatever the grades are: removal walks outward from the centre (n+1)/2, nearest
 * position first, and between two positions at the same distance the one on the worse side
 * first (that is the lower middlemost convention). So two profiles with the same total compare
 * at the first position, in this walk order, where their sorted grades differ. The positions
 * where they differ form at most 2G intervals (G = number of grades), and the first one in walk
 * order is the interval point nearest to the centre: no vote-by-vote loop, so profiles with
 * billions of votes cost the same as small ones.
 *
 * Profiles with different totals (the `'normalize'` policy) are compared after scaling both to
 * the least common multiple of their totals. Replicating every voter k times does not change
 * any comparison (the walk maps an interval of positions to k times that interval, with the
 * same order), so the comparison is one of proportions and is transitive.
 * @module
 */
import { gcd } from './fraction.js';

/** Key of a position in the removal walk: smaller first. */
interface WalkKey {
  /** |2t − (n+1)|: doubled distance to the centre. */
  readonly distance: bigint;
  /** The position itself (best first), larger = worse side, visited first on equal distance. */
  readonly position: bigint;
}

function walksBefore(a: WalkKey, b: WalkKey): boolean {
  return a.distance < b.distance || (a.distance === b.distance && a.position > b.position);
}

function keyOf(position: bigint, n: bigint): WalkKey {
  const d = 2n * position - (n + 1n);
  return { distance: d < 0n ? -d : d, position };
}

/** The position of [lo, hi] visited first by the walk over 1..n. */
function firstVisited(lo: bigint, hi: bigint, n: bigint): WalkKey {
  const clamp = (t: bigint): bigint => (t < lo ? lo : t > hi ? hi : t);
  const a = keyOf(clamp((n + 1n) / 2n), n); // floor((n+1)/2)
  const b = keyOf(clamp((n + 2n) / 2n), n); // ceil((n+1)/2)
  return walksBefore(b, a) ? b : a;
}

/**
 * Compares two merit profiles (counts best grade first) with the same total `n > 0` by
 * majority value. Returns a negative number when `a` ranks before (better than) `b`, a
 * positive number when after, and 0 exactly when the profiles are identical.
 */
export function compareMajorityValuesSameTotal(a: readonly bigint[], b: readonly bigint[], n: bigint): number {
  // Positions 1..n hold the sorted grades, best first: position t has grade index g for
  // cum[g−1] < t ≤ cum[g]. Walk the merged breakpoints of both cumulative sums.
  let i = 0;
  let j = 0;
  let cumA = a[0]!;
  let cumB = b[0]!;
  let start = 1n;
  let best: WalkKey | undefined;
  let betterIsA = false;
  while (start <= n) {
    while (cumA < start) cumA += a[++i]!;
    while (cumB < start) cumB += b[++j]!;
    const end = cumA < cumB ? cumA : cumB;
    if (i !== j) {
      const key = firstVisited(start, end, n);
      if (best === undefined || walksBefore(key, best)) {
        best = key;
        betterIsA = i < j;
      }
    }
    start = end + 1n;
  }
  if (best === undefined) return 0;
  return betterIsA ? -1 : 1;
}

/**
 * Compares two merit profiles by majority value, as proportions when their totals differ
 * (both scaled to the least common multiple of the totals). Negative: `a` ranks first.
 */
export function compareMajorityValues(a: readonly bigint[], totalA: bigint, b: readonly bigint[], totalB: bigint): number {
  if (totalA === totalB) return compareMajorityValuesSameTotal(a, b, totalA);
  const g = gcd(totalA, totalB);
  const fa = totalB / g;
  const fb = totalA / g;
  return compareMajorityValuesSameTotal(
    a.map((c) => c * fa),
    b.map((c) => c * fb),
    totalA * fa,
  );
}
