/**
 * The WebAssembly group as a drop-in `Group`: same id, errors, labels and scalar functions as
 * noble's, batch decoding and encoding, backend selection, and the embedded module being built
 * from the committed sources.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ristretto255, ristretto255Backend, ristretto255With } from '../../src/group/ristretto255.js';
import { groupById } from '../../src/group/index.js';
import { backendRequest, useWasm } from '../../src/wasm/runtime.js';
import * as api from '../../src/index.js';
import { FormatError } from '../../src/errors.js';
import { thrown } from '../helpers/errors.js';
import { concatBytes, toHex } from '../../src/bytes.js';
import { WASM_SOURCE_SHA256, WASM_BASE64, WASM_BYTES } from '../../src/wasm/module.generated.js';
// @ts-expect-error: a plain .mjs helper without declarations
import { sourceHash } from '../../wasm/source-hash.mjs';

const N = ristretto255With('noble');
const W = ristretto255With('wasm');
const q = N.order;

const formatError = (f: () => unknown): FormatError => thrown(f, FormatError);

describe('wasm group: interchangeable with noble', () => {
  it('same id, order, sizes and scalar functions', () => {
    expect(W.id).toBe(N.id);
    expect(W.order).toBe(q);
    expect([W.elementBytes, W.scalarBytes]).toEqual([32, 32]);
    expect(W.insecureTestOnly).toBe(false);
    const k = N.randomScalar();
    expect(W.scalarToHex(k)).toBe(N.scalarToHex(k));
    expect(W.hashToScalar(new Uint8Array([1, 2, 3]), 'mjvote-test')).toBe(N.hashToScalar(new Uint8Array([1, 2, 3]), 'mjvote-test'));
    expect(W.toHex(W.generator)).toBe(N.toHex(N.generator));
    expect(W.toHex(W.identity)).toBe(N.toHex(N.identity));
    expect(W.randomScalar()).toBeLessThan(q);
  });

  it('encodings cross between backends both ways', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: q - 1n }), (k) => {
        const n = N.G.multiplyUnsafe(k);
        const w = W.G.multiplyUnsafe(k);
        expect(W.encode(w)).toEqual(N.encode(n));
        expect(N.equals(N.decode(W.encode(w), 'x', { allowIdentity: true }), n)).toBe(true);
        expect(W.equals(W.decode(N.encode(n), 'x', { allowIdentity: true }), w)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('decode errors name the field and match noble word for word', () => {
    const cases: [unknown, string][] = [
      [new Uint8Array(31), 'short'],
      [new Uint8Array(33), 'long'],
      ['not bytes', 'type'],
      [new Uint8Array(32), 'identity'],
      [new Uint8Array(32).fill(0xff), 'non-canonical'],
    ];
    for (const [input, what] of cases) {
      const ew = formatError(() => W.decode(input as Uint8Array, 'ballot.answers[2].alpha'));
      const en = formatError(() => N.decode(input as Uint8Array, 'ballot.answers[2].alpha'));
      expect(ew.path, what).toBe('ballot.answers[2].alpha');
      expect(ew.message, what).toBe(en.message);
    }
    expect(W.isIdentity(W.decode(new Uint8Array(32), 'x', { allowIdentity: true }))).toBe(true);
    expect(formatError(() => W.fromHex('ABCD', 'h')).message).toBe(formatError(() => N.fromHex('ABCD', 'h')).message);
  });
});

describe('wasm group: batch decoding and encoding', () => {
  const pts = Array.from({ length: 20 }, (_, i) => W.G.multiplyUnsafe(BigInt(i + 1) * 7919n));
  const encs = pts.map((p) => W.encode(p));

  it('decodeMany takes a list or one flat array and equals decode one by one', () => {
    for (const input of [encs, concatBytes(...encs)]) {
      const got = W.decodeMany(input, 'cts');
      expect(got.length).toBe(20);
      got.forEach((p, i) => expect(W.equals(p, pts[i]!)).toBe(true));
    }
    expect(W.decodeMany([], 'cts')).toEqual([]);
    expect(toHex(W.encodeMany(pts))).toBe(encs.map(toHex).join(''));
    expect(W.encodeMany([]).length).toBe(0);
  });

  it('decodeMany names the first bad entry, and refuses the identity unless allowed', () => {
    const bad = encs.slice();
    bad[7] = new Uint8Array(32).fill(0xff);
    bad[9] = new Uint8Array(32).fill(0xff);
    expect(formatError(() => W.decodeMany(bad, 'cts')).path).toBe('cts[7]');
    const withId = encs.slice();
    withId[3] = new Uint8Array(32);
    expect(formatError(() => W.decodeMany(withId, 'cts')).path).toBe('cts[3]');
    expect(W.isIdentity(W.decodeMany(withId, 'cts', { allowIdentity: true })[3]!)).toBe(true);
    expect(formatError(() => W.decodeMany(new Uint8Array(33), 'flat')).path).toBe('flat');
    expect(formatError(() => W.decodeMany([new Uint8Array(31)], 'l')).path).toBe('l[0]');
  });
});

describe('one group, the backend chosen inside', () => {
  it("ristretto255 runs on WebAssembly here, is the registry's group, and gives the backends' results", () => {
    expect(useWasm()).toBe(true);
    expect(ristretto255Backend()).toBe('wasm');
    expect(groupById('ristretto255')).toBe(ristretto255);
    expect(api.ristretto255).toBe(ristretto255);
    // Its elements are the WebAssembly backend's: they mix with W's, not with N's.
    const p = ristretto255.G.multiplyUnsafe(12345n);
    expect(W.equals(p, W.G.multiplyUnsafe(12345n))).toBe(true);
    expect(() => N.add(p, N.generator)).toThrow(TypeError);
    expect(() => ristretto255.add(N.generator, p)).toThrow(TypeError);
    expect(ristretto255.toHex(p)).toBe(N.toHex(N.G.multiplyUnsafe(12345n)));
  });

  it('MJVOTE_BACKEND is read and validated', () => {
    const saved = process.env.MJVOTE_BACKEND;
    try {
      for (const v of ['auto', 'wasm', 'noble'] as const) {
        process.env.MJVOTE_BACKEND = v;
        expect(backendRequest()).toBe(v);
      }
      delete process.env.MJVOTE_BACKEND;
      expect(backendRequest()).toBe('auto');
      process.env.MJVOTE_BACKEND = '';
      expect(backendRequest()).toBe('auto');
      process.env.MJVOTE_BACKEND = 'fast';
      expect(() => backendRequest()).toThrow(/MJVOTE_BACKEND must be auto, wasm or noble, got 'fast'/);
    } finally {
      if (saved === undefined) delete process.env.MJVOTE_BACKEND;
      else process.env.MJVOTE_BACKEND = saved;
    }
  });

  it('the package exports the one group and the backend report, not the backends', () => {
    expect(typeof api.ristretto255Backend).toBe('function');
    expect(typeof api.initRistretto255).toBe('function');
    for (const internal of [
      'ristretto255With',
      'ristretto255Wasm',
      'ristretto255Fast',
      'selectRistretto255',
      'WasmRistrettoPoint',
      'wasmVariant',
    ])
      expect(internal in api, internal).toBe(false);
  });
});

describe('the embedded module', () => {
  it('was built from the committed AssemblyScript sources (else run `npm run build:wasm`)', () => {
    expect(WASM_SOURCE_SHA256).toBe(sourceHash());
    expect(atob(WASM_BASE64.slice(0, 8)).startsWith('\0asm')).toBe(true);
    expect(WASM_BYTES).toBeLessThan(64 * 1024);
  });
});
