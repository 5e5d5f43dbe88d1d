/**
 * The batch's random weights: fresh CSPRNG bytes for every equation, drawn 64 KiB per call and
 * erased once read, never handed out twice; nonzero and below 2^128.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ristretto255With } from '../../src/group/ristretto255.js';

const W = ristretto255With('wasm');
import { BatchVerifier, type Combination } from '../../src/proofs/batch.js';

describe('BatchVerifier weights', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Adds items of `sizes` equations and returns the weights each saw. */
  function draw(sizes: number[]): bigint[][] {
    const batch = new BatchVerifier<unknown, number>(W);
    const seen: bigint[][] = [];
    sizes.forEach((n, i) =>
      batch.addCombination(i, n, (rho): Combination<unknown> => {
        seen.push([...rho]);
        return { points: [W.generator], scalars: [0n] };
      }),
    );
    expect(batch.verify().ok).toBe(true);
    return seen;
  }

  it('one CSPRNG call for many items; every weight fresh, nonzero, below 2^128', () => {
    const spy = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const sizes = Array.from({ length: 60 }, () => 155); // 60 ballots of 7 × 5: 148,800 bytes
    const seen = draw(sizes);
    expect(seen.map((r) => r.length)).toEqual(sizes);
    const all = seen.flat();
    expect(new Set(all).size).toBe(all.length);
    for (const r of all) expect(r > 0n && r < 1n << 128n).toBe(true);
    // 148,800 bytes from 64 KiB draws: three calls (four if the pool was partly used before).
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(3);
    expect(spy.mock.calls.length).toBeLessThanOrEqual(4);
  });

  it('erases the bytes it has read from the pool', () => {
    let pool: Uint8Array | undefined;
    const real = globalThis.crypto.getRandomValues.bind(globalThis.crypto);
    vi.spyOn(globalThis.crypto, 'getRandomValues').mockImplementation(<T extends ArrayBufferView | null>(b: T): T => {
      pool = b as unknown as Uint8Array;
      return real(b as unknown as Uint8Array) as unknown as T;
    });
    // Use up whatever is left of the pool, so that the next item starts a fresh one.
    draw([4096]);
    draw([155]);
    expect(pool).toBeDefined();
    expect(pool!.length).toBe(65536);
    expect(pool!.subarray(0, 16 * 155).every((x) => x === 0)).toBe(true);
    expect(pool!.subarray(16 * 155).some((x) => x !== 0)).toBe(true); // the rest is still unread
  });

  it('an item larger than the pool draws its own bytes', () => {
    const seen = draw([5000, 3]);
    expect(seen[0]!.length).toBe(5000);
    const all = seen.flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
