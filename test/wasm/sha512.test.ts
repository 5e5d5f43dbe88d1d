/**
 * SHA-512 and expand_message_xmd in WebAssembly (wasm/assembly/sha512.ts) against node:crypto,
 * RFC 9380's vectors and the JavaScript hash_to_field the noble group uses: every length around
 * the block and padding boundaries, random messages, short, long and oversize tags.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { wasmRuntime } from '../../src/wasm/runtime.js';
import { ristretto255With } from '../../src/group/ristretto255.js';

const N = ristretto255With('noble');
const W = ristretto255With('wasm');
import { dstPrime, hashToScalarRfc9380 } from '../../src/group/scalar-field.js';
import { fromHex, toHex, utf8 } from '../../src/bytes.js';

const rt = wasmRuntime();

function wasmSha512(msg: Uint8Array): string {
  const at = rt.scratch(msg.length + 64);
  rt.u8.set(msg, at);
  rt.x.sha512(at + msg.length, at, msg.length);
  return toHex(rt.u8.slice(at + msg.length, at + msg.length + 64));
}

/** expand_message_xmd(msg, dst, len) for len ≤ 64 through the xmdSha512 export. */
function wasmXmd(msg: Uint8Array, dst: string | Uint8Array, len: number): Uint8Array {
  const dp = dstPrime(dst);
  const n = msg.length + 3 + dp.length;
  const at = rt.scratch(n + 64);
  rt.u8.set(msg, at);
  rt.u8.set([len >> 8, len & 0xff, 0], at + msg.length);
  rt.u8.set(dp, at + msg.length + 3);
  rt.x.xmdSha512(at + n, at, n, at + msg.length + 3, dp.length, len);
  return rt.u8.slice(at + n, at + n + len);
}

const nodeSha512 = (m: Uint8Array) => createHash('sha512').update(m).digest('hex');

describe('wasm SHA-512', () => {
  it('equals node:crypto for every length from 0 to 400 bytes (one, two and three blocks, every padding case)', () => {
    for (let n = 0; n <= 400; n++) {
      const m = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      expect(wasmSha512(m), `length ${n}`).toBe(nodeSha512(m));
    }
  });

  it('equals node:crypto on random messages up to 2,000 bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (m) => {
        expect(wasmSha512(m)).toBe(nodeSha512(m));
      }),
      { numRuns: 200 },
    );
  });

  it('FIPS 180-4 example: "abc"', () => {
    expect(wasmSha512(utf8('abc'))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    );
  });
});

describe('wasm expand_message_xmd (SHA-512) and hash to scalar', () => {
  it('xmdSha512 traps on lengths outside its contract instead of writing past its buffers', () => {
    const at = rt.scratch(1024);
    for (const [dstpLen, len] of [
      [257, 48],
      [0, 48],
      [40, 65],
      [40, 0],
    ] as const)
      expect(() => rt.x.xmdSha512(at + 512, at, 10, at, dstpLen, len)).toThrow(WebAssembly.RuntimeError);
    expect(() => rt.x.sha512(at + 512, at, -1)).toThrow(WebAssembly.RuntimeError);
  });

  it('RFC 9380 K.3 vectors (len_in_bytes = 0x20)', () => {
    const dst = 'QUUX-V01-CS02-with-expander-SHA512-256';
    expect(toHex(wasmXmd(utf8(''), dst, 0x20))).toBe('6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba');
    expect(toHex(wasmXmd(utf8('abc'), dst, 0x20))).toBe('0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc');
    expect(wasmXmd(utf8('abc'), dst, 0x20)).toEqual(fromHex('0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc'));
  });

  it('the WebAssembly group hashes to the same scalars as the noble group, for any message and tag', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 700 }),
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 60 }),
          fc.uint8Array({ minLength: 1, maxLength: 255 }),
          fc.uint8Array({ minLength: 256, maxLength: 300 }), // oversize: hashed into DST′ first
        ),
        (msg, dst) => {
          expect(W.hashToScalar(msg, dst)).toBe(N.hashToScalar(msg, dst));
          expect(W.hashToScalar(msg, dst)).toBe(hashToScalarRfc9380(N.order, msg, dst));
        },
      ),
      { numRuns: 300 },
    );
  });
});
