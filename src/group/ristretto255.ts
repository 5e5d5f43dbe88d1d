/**
 * ristretto255 (RFC 9496), the default group: one group, one element type
 * ({@link RistrettoPoint}), two backends chosen inside it.
 *
 * - **WebAssembly** (`ristretto255-wasm.ts`): mjvote's own field and point arithmetic, several
 *   times faster; taken wherever the module compiles and instantiates (WebAssembly SIMD: Chrome
 *   91+, Firefox 89+, Safari 16.4+, Node 16.4+).
 * - **noble** (`ristretto255-noble.ts`): `@noble/curves`, the fallback where WebAssembly cannot
 *   run (no SIMD, or a Content-Security-Policy without `'wasm-unsafe-eval'`).
 *
 * The choice is made once per thread, at the group's first use, by `useWasm()` in
 * `wasm/runtime.ts`; the one override is the environment variable `MJVOTE_BACKEND`
 * (`auto`, the default; `wasm`, which fails where WebAssembly cannot run; or `noble`).
 * {@link ristretto255Backend} says which one runs; a browser page can await
 * {@link initRistretto255} to compile the module off its main thread's critical path first.
 * Both backends give the same encodings, errors and results (the conformance suite and the
 * differential tests run on both); their elements do not mix.
 *
 * Encodings are the canonical 32-byte RFC 9496 encodings; decoding validates (non-canonical
 * field elements, negative s, non-square, points with t < 0 or y = 0 are rejected), reported as
 * FormatError. Scalars are 32-byte little-endian.
 *
 * Time behaviour: `multiply` and `FixedBase.multiply` are constant-time on both backends,
 * including for the scalar 0; the rest is for public data (docs/groups.md, SECURITY.md).
 * @module
 */
import type { DecodeOptions, FixedBase, Group } from './group.js';
import { useWasm, useWasmAsync } from '../wasm/runtime.js';
import { RISTRETTO255_SCALARS, RistrettoPoint, type Ristretto255Implementation } from './ristretto255-common.js';
import { nobleRistretto255 } from './ristretto255-noble.js';
import { wasmRistretto255 } from './ristretto255-wasm.js';

export { RistrettoPoint };

/** The backends of ristretto255. */
export type Ristretto255Backend = 'wasm' | 'noble';

const DESCRIPTION = 'ristretto255 (RFC 9496) prime-order group over Curve25519';

let impl: Ristretto255Implementation | undefined;
const backend = (): Ristretto255Implementation => (impl ??= useWasm() ? wasmRistretto255 : nobleRistretto255);

/**
 * The backend `ristretto255` runs on in this thread (deciding it now if it is not yet decided).
 * @throws RangeError for a bad `MJVOTE_BACKEND`; Error when it is `wasm` and WebAssembly cannot run here.
 */
export function ristretto255Backend(): Ristretto255Backend {
  return backend() === wasmRistretto255 ? 'wasm' : 'noble';
}

/**
 * Decides the backend with the WebAssembly module compiled asynchronously (for a browser's main
 * thread, where a synchronous compilation would block the page): await it once before the first
 * use of the group. Not needed in Node or in workers, where the first use compiles it.
 * @returns the backend that runs.
 */
export async function initRistretto255(): Promise<Ristretto255Backend> {
  if (impl === undefined) await useWasmAsync();
  return ristretto255Backend();
}

/** The group over the implementation `impl()` returns (asked at every call: it may be decided late). */
function groupOn(impl: () => Ristretto255Implementation, description: string): Group<RistrettoPoint> {
  return Object.freeze({
    ...RISTRETTO255_SCALARS,
    description,
    get generator(): RistrettoPoint {
      return impl().generator;
    },
    get identity(): RistrettoPoint {
      return impl().identity;
    },
    get G(): FixedBase<RistrettoPoint> {
      return impl().G;
    },
    add: (a: RistrettoPoint, b: RistrettoPoint) => impl().add(a, b),
    subtract: (a: RistrettoPoint, b: RistrettoPoint) => impl().subtract(a, b),
    negate: (a: RistrettoPoint) => impl().negate(a),
    multiply: (a: RistrettoPoint, k: bigint) => impl().multiply(a, k),
    multiplyUnsafe: (a: RistrettoPoint, k: bigint) => impl().multiplyUnsafe(a, k),
    equals: (a: RistrettoPoint, b: RistrettoPoint) => impl().equals(a, b),
    isIdentity: (a: RistrettoPoint) => impl().isIdentity(a),
    msm: (points: readonly RistrettoPoint[], scalars: readonly bigint[]) => impl().msm(points, scalars),
    precompute: (base: RistrettoPoint) => impl().precompute(base),
    encode: (a: RistrettoPoint) => impl().encode(a),
    decode: (bytes: Uint8Array, label?: string, opts?: DecodeOptions) => impl().decode(bytes, label, opts),
    decodeMany: (encodings: Uint8Array | readonly Uint8Array[], label?: string, opts?: DecodeOptions) =>
      impl().decodeMany(encodings, label, opts),
    encodeMany: (points: readonly RistrettoPoint[]) => impl().encodeMany(points),
    sumMany: (points: readonly RistrettoPoint[]) => impl().sumMany(points),
    toHex: (a: RistrettoPoint) => impl().toHex(a),
    fromHex: (hex: unknown, label?: string, opts?: DecodeOptions) => impl().fromHex(hex, label, opts),
    hashToScalar: (msg: Uint8Array, dst: Uint8Array | string) => impl().hashToScalar(msg, dst),
  });
}

/** The ristretto255 group (the default group), on this thread's backend. */
export const ristretto255: Group<RistrettoPoint> = groupOn(backend, DESCRIPTION);

const explicit: Partial<Record<Ristretto255Backend, Group<RistrettoPoint>>> = {};

/**
 * ristretto255 on a backend named explicitly, whatever this thread's choice: for differential
 * tests and benchmarks that compare the two in one process. Not part of the package's API:
 * applications use {@link ristretto255}. Elements of the two backends do not mix.
 * @throws for `wasm` where WebAssembly cannot run (at first use).
 */
export function ristretto255With(name: Ristretto255Backend): Group<RistrettoPoint> {
  const i = name === 'wasm' ? wasmRistretto255 : nobleRistretto255;
  return (explicit[name] ??= groupOn(() => i, `${DESCRIPTION}, ${name} backend`));
}
