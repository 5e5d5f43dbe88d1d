import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { nativeSha2, sha256, sha512 } from '../src/sha2.js';

describe('sha2 (native in Node, noble elsewhere)', () => {
  it('uses the native implementation in Node', () => expect(nativeSha2).toBe(true));
  it('agrees with @noble/hashes, one-shot and incremental', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 300 }), (a, b) => {
        expect(sha256(a)).toEqual(nobleSha256(a));
        expect(sha512(a)).toEqual(nobleSha512(a));
        expect(sha256.create().update(a).update(b).digest()).toEqual(nobleSha256.create().update(a).update(b).digest());
        expect(sha512.create().update(a).update(b).digest()).toEqual(nobleSha512.create().update(a).update(b).digest());
      }),
      { numRuns: 300 },
    );
    expect([sha256.outputLen, sha256.blockLen, sha512.outputLen, sha512.blockLen]).toEqual([32, 64, 64, 128]);
  });
});
