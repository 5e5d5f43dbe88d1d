/**
 * Fiat–Shamir transcripts (src/hash.ts) against a reference encoding written out here:
 * item = tag (1 byte) ‖ length (4 bytes, big-endian) ‖ bytes. Transcripts share slabs of
 * memory for their first 512 bytes, so many are built interleaved (crossing slab boundaries,
 * some growing past 512 bytes) and each must hold exactly its own items.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Transcript, domainTag } from '../src/hash.js';
import { ristretto255 as g } from '../src/group/ristretto255.js';
import { concatBytes } from '../src/bytes.js';

type Item = { kind: 'bytes'; b: Uint8Array } | { kind: 'u32'; n: number } | { kind: 'scalar'; k: bigint };

function reference(items: readonly Item[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const it of items) {
    const [tag, b] =
      it.kind === 'bytes'
        ? [1, it.b]
        : it.kind === 'scalar'
          ? [3, g.encodeScalar(it.k)]
          : [4, new Uint8Array([it.n >>> 24, (it.n >>> 16) & 255, (it.n >>> 8) & 255, it.n & 255])];
    const n = b.length;
    parts.push(new Uint8Array([tag, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]), b);
  }
  return concatBytes(...parts);
}

const item: fc.Arbitrary<Item> = fc.oneof(
  fc.uint8Array({ maxLength: 700 }).map((b) => ({ kind: 'bytes' as const, b })),
  fc.integer({ min: 0, max: 0xffffffff }).map((n) => ({ kind: 'u32' as const, n })),
  fc.bigInt({ min: 0n, max: g.order - 1n }).map((k) => ({ kind: 'scalar' as const, k })),
);

describe('Fiat–Shamir transcripts', () => {
  it('interleaved transcripts (hundreds, across slabs) each hold exactly their own items', () => {
    fc.assert(
      fc.property(fc.array(fc.array(item, { maxLength: 6 }), { minLength: 150, maxLength: 300 }), (lists) => {
        const ts = lists.map(() => new Transcript(g, 'test'));
        const longest = Math.max(...lists.map((l) => l.length));
        // round-robin: item r of every transcript, then item r + 1 …
        for (let r = 0; r < longest; r++)
          lists.forEach((l, i) => {
            const it = l[r];
            if (it === undefined) return;
            if (it.kind === 'bytes') ts[i]!.bytes(it.b);
            else if (it.kind === 'u32') ts[i]!.u32(it.n);
            else ts[i]!.scalar(it.k);
          });
        lists.forEach((l, i) => {
          const want = reference(l);
          expect(ts[i]!.message()).toEqual(want);
          expect(ts[i]!.challenge()).toBe(g.hashToScalar(want, domainTag('test', g)));
        });
      }),
      { numRuns: 8 },
    );
  });
});
