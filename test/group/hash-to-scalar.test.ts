import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expand_message_xmd, hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { expandMessageXmdSha512, hashToScalarRfc9380 } from '../../src/group/scalar-field.js';
import { fromHex, utf8 } from '../../src/bytes.js';
import { groupById } from '../../src/group/index.js';

const RISTRETTO_Q = 2n ** 252n + 27742317777372353535851937790883648493n;

describe('RFC 9380 expand_message_xmd (SHA-512) and hash_to_field, written out', () => {
  it('matches RFC 9380 appendix K.3 (expand_message_xmd, SHA-512)', () => {
    // RFC 9380 K.3, DST = QUUX-V01-CS02-with-expander-SHA512-256, msg = "" and "abc", len_in_bytes = 0x20.
    const dst = 'QUUX-V01-CS02-with-expander-SHA512-256';
    expect(expandMessageXmdSha512(utf8(''), dst, 0x20)).toEqual(
      fromHex('6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba'),
    );
    expect(expandMessageXmdSha512(utf8('abc'), dst, 0x20)).toEqual(
      fromHex('0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc'),
    );
  });

  it('agrees with @noble/curves for any message, tag and length (short and oversize tags)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.uint8Array({ minLength: 256, maxLength: 300 })),
        fc.integer({ min: 1, max: 400 }),
        (msg, dst, len) => {
          expect(expandMessageXmdSha512(msg, dst, len)).toEqual(expand_message_xmd(msg, dst, len, nobleSha512));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('string tags are cached per tag and give the bytes of the same tag', () => {
    const msg = utf8('mjvote');
    for (const dst of ['mjvote-v1-range-ristretto255', 'mjvote-v1-schnorr-ristretto255', 'mjvote-v1-range-ristretto255'])
      expect(expandMessageXmdSha512(msg, dst, 48)).toEqual(expand_message_xmd(msg, utf8(dst), 48, nobleSha512));
  });

  it('hash-to-scalar equals noble hash_to_field (k = 128) for ristretto255 and the finite-field groups', () => {
    // 2^127 − 1 (L = 32) and 2^89 − 1 (L = 28, not a multiple of 8: the general path) as well.
    const qs = [
      RISTRETTO_Q,
      groupById('belenios-2048').order,
      groupById('electionguard-v2-standard-4096').order,
      2n ** 127n - 1n,
      2n ** 89n - 1n,
    ];
    // Messages up to 2,500 bytes (the reused buffer grows), in any order (no stale bytes from a
    // longer earlier message); string tags (cached) and byte tags, oversize ones included.
    const dsts = fc.oneof(
      fc.string({ minLength: 1, maxLength: 60 }),
      fc.uint8Array({ minLength: 1, maxLength: 80 }),
      fc.uint8Array({ minLength: 256, maxLength: 300 }),
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 400 }), fc.uint8Array({ minLength: 900, maxLength: 2500 })),
        fc.constantFrom(...qs),
        dsts,
        (msg, q, dst) => {
          const u = (hash_to_field(msg, 1, { DST: dst, p: q, m: 1, k: 128, expand: 'xmd', hash: nobleSha512 }) as bigint[][])[0]![0];
          expect(hashToScalarRfc9380(q, msg, dst)).toBe(u);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('rejects lengths RFC 9380 does not allow', () => {
    expect(() => expandMessageXmdSha512(new Uint8Array(0), 'x', 0)).toThrow(RangeError);
    expect(() => expandMessageXmdSha512(new Uint8Array(0), 'x', 255 * 64 + 1)).toThrow(RangeError);
  });
});
