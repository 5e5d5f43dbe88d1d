import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testGroups } from '../helpers/groups.js';
import { allKinds } from './kinds.js';
import { BatchVerifier } from '../../src/proofs/batch.js';

for (const { group: g, runs } of testGroups) {
  for (const kind of allKinds) {
    describe(`${kind.name} over ${g.id}`, () => {
      it('completeness: honest proofs verify one by one and in a batch', () => {
        const batch = new BatchVerifier<any, number>(g);
        for (let i = 0; i < Math.max(3, runs >> 2); i++) {
          const x = kind.make(g);
          expect(kind.verify(g, x)).toBe(true);
          batch.add(i, kind.equations(g, x));
        }
        expect(batch.verify()).toMatchObject({ ok: true, failed: [] });
      });

      const names = Object.keys(kind.mutators);
      it(`soundness: any one mutated field (${names.length} kinds of mutation) is rejected, one by one and in a batch`, () => {
        const honest = [kind.make(g), kind.make(g)];
        fc.assert(
          fc.property(fc.constantFrom(...names), fc.bigInt({ min: 1n, max: g.order - 1n }), (name, d) => {
            const bad = kind.mutators[name]!(g, honest[0]!, d);
            expect(kind.verify(g, bad)).toBe(false);
            const batch = new BatchVerifier<any, string>(g);
            batch.add('good', kind.equations(g, honest[1]!));
            batch.add('bad', kind.equations(g, bad));
            batch.add('good2', kind.equations(g, honest[0]!));
            const r = batch.verify();
            expect(r.ok).toBe(false);
            expect(r.failed).toEqual(['bad']);
          }),
          { numRuns: runs * 2 },
        );
      });
    });
  }
}
