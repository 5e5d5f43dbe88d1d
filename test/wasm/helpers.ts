/** Shared helpers for the WebAssembly backend's differential tests. */
import { wasmRuntime, type WasmRuntime } from '../../src/wasm/runtime.js';

/** p = 2^255 − 19. */
export const P = 2n ** 255n - 19n;

export const mod = (a: bigint): bigint => ((a % P) + P) % P;

export function powMod(b: bigint, e: bigint): bigint {
  let r = 1n;
  b = mod(b);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % P;
    b = (b * b) % P;
    e >>= 1n;
  }
  return r;
}

export function le32(x: bigint): Uint8Array {
  const b = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    b[i] = Number(x & 255n);
    x >>= 8n;
  }
  return b;
}

export function fromLe(b: Uint8Array): bigint {
  let x = 0n;
  for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]!);
  return x;
}

/** Raw field access through the module's exports, at fixed scratch addresses. */
export class FieldHarness {
  readonly rt: WasmRuntime = wasmRuntime();
  readonly f = this.rt.A;
  readonly g = this.rt.B;
  readonly h = this.rt.R;

  /** Loads a 256-bit little-endian integer (bit 255 ignored by the module). */
  load(at: number, x: bigint): void {
    this.rt.u8.set(le32(x), this.rt.S);
    this.rt.x.feFromBytes(at, this.rt.S);
  }

  /** Sets raw limbs (for bound tests). */
  setLimbs(at: number, limbs: readonly number[]): void {
    this.rt.i32.set(limbs, at >> 2);
  }

  /** The value at `at`, fully reduced. */
  value(at: number): bigint {
    this.rt.x.feToBytes(this.rt.S, at);
    return fromLe(this.rt.u8.slice(this.rt.S, this.rt.S + 32));
  }

  /** The bytes feToBytes writes for `at`. */
  bytes(at: number): Uint8Array {
    this.rt.x.feToBytes(this.rt.S, at);
    return this.rt.u8.slice(this.rt.S, this.rt.S + 32);
  }
}

/** Value of raw radix-2^25.5 limbs. */
export function limbsValue(limbs: readonly number[]): bigint {
  const off = [0, 26, 51, 77, 102, 128, 153, 179, 204, 230];
  let v = 0n;
  for (let i = 0; i < 10; i++) v += BigInt(limbs[i]!) << BigInt(off[i]!);
  return v;
}

/** Bit positions of the 12 limbs of a two-lane (fe2) element, ⌈21.25·k⌉, with P_12 = 255. */
export const FE2_POS = Array.from({ length: 13 }, (_, k) => Math.ceil((255 * k) / 12));

/** The largest limb of a carried fe2 element the tests draw: 2^(w_k − 1) + 2^14 (the generator's bound). */
export const fe2LimbBound = (k: number): number => 2 ** (FE2_POS[k + 1]! - FE2_POS[k]! - 1) + 2 ** 14;

/** Writes unscaled limbs v_k to lane `lane` of the pair at `at` (the stored double is v_k·2^P_k). */
export function setFe2RawLane(rt: WasmRuntime, at: number, lane: number, limbs: readonly number[]): void {
  const dv = new DataView(rt.u8.buffer);
  limbs.forEach((v, k) => dv.setFloat64(at + 16 * k + 8 * lane, v * 2 ** FE2_POS[k]!, true));
}

/** The integer Σ v_k·2^P_k of unscaled fe2 limbs. */
export const fe2RawValue = (limbs: readonly number[]): bigint =>
  limbs.reduce((acc, v, k) => acc + BigInt(v) * 2n ** BigInt(FE2_POS[k]!), 0n);

/** Sets lane `lane` of the pair at `at` to x (through 32 bytes at scratch `s`); carry the pair before multiplying. */
export function setFe2Lane(rt: WasmRuntime, at: number, lane: number, x: bigint, s: number): void {
  rt.u8.set(le32(x), s);
  rt.x.fe2SetLane(at, lane, s);
}

/** The value of lane `lane` of the pair at `at`, fully reduced (through 32 bytes at scratch `s`). */
export function fe2Lane(rt: WasmRuntime, at: number, lane: number, s: number): bigint {
  rt.x.fe2GetLane(s, at, lane);
  return fromLe(rt.u8.slice(s, s + 32));
}
