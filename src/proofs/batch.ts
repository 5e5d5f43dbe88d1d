/**
 * Batch verification by random linear combination.
 *
 * Each item (a proof, a ballot, a decryption share …) contributes equations Σ sᵢ·Pᵢ = 0.
 * The batch draws a fresh 128-bit weight ρ_e for every equation e from the platform CSPRNG and
 * checks Σ_e ρ_e·(Σ sᵢ·Pᵢ) = 0 with one multi-scalar multiplication in which equal bases
 * (the generator, an election key — the same object) are merged. In a prime-order group, if
 * any equation is false the combination is the identity with probability ≤ 2⁻¹²⁸.
 *
 * Weights go onto the commitments: equations whose commitment has coefficient −1 are scaled
 * by −ρ, so the commitment's scalar is the short ρ (cheaper MSM).
 *
 * Within an item, the weighted scalars of equal points (same object) are summed as exact
 * (signed, unreduced) integers and each sum is reduced mod q once: a 7 × 5 ballot has ≈ 560
 * terms on ≈ 228 points, so the item keeps 228 scalars, not 560, until the batch runs (less
 * for the garbage collector to copy meanwhile), with one division per point instead of one
 * per term. Across items, equal points (the generator, the election key) are merged by
 * modular addition when the MSM is built.
 *
 * {@link BatchVerifier.addCombination} takes an item already combined by its caller from the
 * batch's weights (a ballot: `ballotCombination`, which knows where each point is and builds no
 * term objects); it must equal {@link combineEquations} of the item's equations mod q.
 *
 * When the combination fails, the batch bisects (re-checking halves with the same weights) to
 * name every failing item; an item whose equations could not even be formed (wrong shape,
 * challenge mismatch) fails at once.
 * @module
 */
import { withRandom } from '../bytes.js';
import type { Group } from '../group/group.js';
import type { Equation } from './equation.js';

interface Item<E, Id> {
  id: Id;
  /** The item's points (distinct by object identity when made by `add`) and their weighted scalars, summed over every equation of the item and reduced mod q. */
  scalars: bigint[];
  points: E[];
  /** Its first `shared` points may also be other items' (merged across items); the rest are passed on as they are. */
  shared: number;
}

/** Result of a batch: `ok` when every item verified; otherwise the ids of the failing ones. */
export interface BatchResult<Id> {
  readonly ok: boolean;
  readonly failed: Id[];
  /** Number of items checked. */
  readonly count: number;
}

/** Options of a batch verifier. */
export interface BatchOptions {
  /** Largest number of MSM points per combined check (default 2^16; bigger batches are split). */
  maxPoints?: number;
}

/**
 * n fresh weights ρ for one item's equations: 128-bit integers from the platform CSPRNG
 * (big-endian 16-byte draws; a zero draw becomes 1), from bytes never used before and erased
 * once read ({@link withRandom}: one CSPRNG call per ≈ 26 ballots' weights).
 */
function drawWeights(n: number): bigint[] {
  return withRandom(16 * n, (view, at) => {
    const rho: bigint[] = new Array(n);
    for (let e = 0; e < n; e++) {
      const r = (view.getBigUint64(at + 16 * e) << 64n) | view.getBigUint64(at + 16 * e + 8);
      rho[e] = r === 0n ? 1n : r;
    }
    return rho; // the weights live on in the item's scalars only
  });
}

/**
 * An item's random linear combination: its points (distinct by object identity in
 * {@link combineEquations}' output) and, for each, the sum over the item's equations of the
 * weighted scalars, as exact integers (signed, unreduced; the batch reduces them mod q).
 */
export interface Combination<E> {
  readonly points: E[];
  readonly scalars: bigint[];
  /**
   * Only the first `shared` points (default: all) can be other items' too, such as G and the
   * election key; the batch merges those across items and gives the others to the MSM as they
   * are, without looking them up. Merging only makes the MSM smaller: a point that appears in
   * two items unmerged is still counted right.
   */
  readonly shared?: number;
}

/**
 * The combination of `equations` with the weights `rho` (one per equation, in order): the
 * batch's rule. An equation that has a commitment (a term with scalar −1 = q − 1) is weighted
 * by w = −ρ, so the commitment's scalar is the short ρ; any other equation by w = ρ. A term s·P
 * adds w·s to P's sum (−w for s = q − 1, w for s = 1, without a multiplication).
 */
export function combineEquations<E>(group: Group<E>, equations: readonly Equation<E>[], rho: readonly bigint[]): Combination<E> {
  if (rho.length !== equations.length) throw new RangeError('combineEquations: one weight per equation');
  const q1 = group.order - 1n;
  const scalars: bigint[] = [];
  const points: E[] = [];
  const at = new Map<E, number>();
  for (let e = 0; e < equations.length; e++) {
    const eq = equations[e]!;
    let commitment = false;
    for (const t of eq) if (t.scalar === q1) commitment = true;
    const w = commitment ? -rho[e]! : rho[e]!;
    for (const t of eq) {
      // Products stay unreduced until the item's sums are complete.
      const s = t.scalar === q1 ? -w : t.scalar === 1n ? w : w * t.scalar;
      const k = at.get(t.point);
      if (k === undefined) {
        at.set(t.point, points.length);
        points.push(t.point);
        scalars.push(s);
      } else scalars[k]! += s;
    }
  }
  return { points, scalars };
}

/** Collects proof equations and checks them together. Ids name the items in reports. */
export class BatchVerifier<E, Id = string> {
  private readonly items: Item<E, Id>[] = [];
  private readonly failedEarly: Id[] = [];
  private readonly maxPoints: number;

  constructor(
    readonly group: Group<E>,
    opts: BatchOptions = {},
  ) {
    this.maxPoints = opts.maxPoints ?? 1 << 16;
  }

  /** Number of items added. */
  get size(): number {
    return this.items.length + this.failedEarly.length;
  }

  /**
   * Adds an item's equations (as returned by a proof's `*Equations` function); `null` means
   * the proof already failed structurally and is reported as failed.
   */
  add(id: Id, equations: readonly Equation<E>[] | null): void {
    if (equations === null) this.failedEarly.push(id);
    else this.push(id, combineEquations(this.group, equations, drawWeights(equations.length)));
  }

  /**
   * @internal
   * Adds an item of `count` equations whose combination the caller computes itself from the
   * batch's fresh weights: `combine(rho)` must return, for the item's equations E in their
   * order, the same points and sums mod q as `combineEquations(group, E, rho)`, or null when
   * the item fails structurally (reported as failed). For hot paths that know their equations'
   * shape and need neither term objects nor a map (a ballot: `ballotCombination`).
   */
  addCombination(id: Id, count: number, combine: (rho: readonly bigint[]) => Combination<E> | null): void {
    const c = combine(drawWeights(count));
    if (c === null) this.failedEarly.push(id);
    else this.push(id, c);
  }

  /** Reduces an item's sums (once per point; a lone commitment's ρ is already in range) and keeps it. */
  private push(id: Id, { points, scalars, shared = points.length }: Combination<E>): void {
    if (points.length !== scalars.length) throw new RangeError('BatchVerifier: a combination needs one scalar per point');
    if (!Number.isSafeInteger(shared) || shared < 0 || shared > points.length)
      throw new RangeError('BatchVerifier: shared must count some of the points');
    const q = this.group.order;
    for (let k = 0; k < scalars.length; k++) {
      const s = scalars[k]!;
      if (s >= 0n && s < q) continue;
      const r = s % q;
      scalars[k] = r < 0n ? r + q : r;
    }
    this.items.push({ id, scalars, points, shared });
  }

  /** Runs the batch (all items added so far) and clears it. */
  verify(): BatchResult<Id> {
    const failed = [...this.failedEarly];
    const count = this.size;
    // Split into chunks of at most maxPoints points, then bisect failing chunks.
    let chunk: Item<E, Id>[] = [];
    let n = 0;
    for (const it of this.items) {
      if (n + it.points.length > this.maxPoints && chunk.length > 0) {
        this.bisect(chunk, failed);
        chunk = [];
        n = 0;
      }
      chunk.push(it);
      n += it.points.length;
    }
    if (chunk.length > 0) this.bisect(chunk, failed);
    this.items.length = 0;
    this.failedEarly.length = 0;
    return { ok: failed.length === 0, failed, count };
  }

  private combined(items: readonly Item<E, Id>[]): boolean {
    const q = this.group.order;
    // Merge equal bases (same object) across items so G and the election key appear once;
    // item scalars are reduced, so a sum needs at most one subtraction. An item's points past
    // its `shared` ones go in as they are.
    const index = new Map<E, number>();
    const points: E[] = [];
    const scalars: bigint[] = [];
    for (const it of items) {
      for (let i = it.shared; i < it.points.length; i++) {
        points.push(it.points[i]!);
        scalars.push(it.scalars[i]!);
      }
      for (let i = 0; i < it.shared; i++) {
        const P = it.points[i]!;
        const k = index.get(P);
        if (k === undefined) {
          index.set(P, points.length);
          points.push(P);
          scalars.push(it.scalars[i]!);
        } else {
          const s = scalars[k]! + it.scalars[i]!;
          scalars[k] = s >= q ? s - q : s;
        }
      }
    }
    return this.group.isIdentity(this.group.msm(points, scalars));
  }

  private bisect(items: readonly Item<E, Id>[], failed: Id[]): void {
    if (this.combined(items)) return;
    if (items.length === 1) {
      failed.push(items[0]!.id);
      return;
    }
    const mid = items.length >> 1;
    this.bisect(items.slice(0, mid), failed);
    this.bisect(items.slice(mid), failed);
  }
}
