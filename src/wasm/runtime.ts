/**
 * mjvote's ristretto255 WebAssembly module (compiled from `wasm/assembly/` by
 * `npm run build:wasm` and embedded in `module.generated.ts`), its instance and its linear memory.
 * The ristretto255 group's WebAssembly backend (`group/ristretto255-wasm.ts`) and the hex
 * decoder of canonical ballot texts (`hex.ts`) run on it.
 *
 * Instantiation is synchronous on first use (`new WebAssembly.Module(bytes)`: the module is
 * about 40 KB). A browser page that prefers not to compile on its main thread can await
 * {@link loadWasmRuntime} (through `initRistretto255()`) first. The module uses WebAssembly SIMD
 * (f64x2): where it does not compile, the ristretto255 group runs on its noble backend.
 *
 * Memory layout, from `heapBase()` up (all owned by this file):
 * `io` (fixed slots for one-shot operations) | fixed-base table slots | scratch (grows on demand,
 * moves up whenever a table slot is added; its contents never outlive one call).
 * @module
 */
import { WASM_BASE64 } from './module.generated.js';

/** The raw exports of the module. Every `number` argument named p/out/... is a byte address. */
export interface Ristretto255WasmExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  layout(): number;
  fixedTableBytes(): number;
  fixedScratchBytes(): number;
  feMul(h: number, f: number, g: number): void;
  feSq(h: number, f: number): void;
  feInvert(h: number, f: number): void;
  fePow22523(h: number, f: number): void;
  feFromBytes(h: number, s: number): void;
  feToBytes(s: number, h: number): void;
  feCarry(h: number): void;
  feAddCarried(h: number, f: number, g: number): void;
  feSubCarried(h: number, f: number, g: number): void;
  feNegate(h: number, f: number): void;
  sqrtRatioM1(r: number, u: number, v: number): number;
  p3Add(r: number, a: number, b: number): void;
  p3Sub(r: number, a: number, b: number): void;
  p3Neg(r: number, a: number): void;
  p3Dbl(r: number, a: number): void;
  p3Identity(r: number): void;
  decode(p: number, s: number): number;
  encode(s: number, p: number): void;
  equals(a: number, b: number): number;
  isIdentity(a: number): number;
  decode2(p0: number, s0: number, p1: number, s1: number): number;
  decodeBatch(pts: number, bytes: number, n: number, ok: number): number;
  fe2Mul(h: number, f: number, g: number): void;
  fe2Sq(h: number, f: number): void;
  fe2Carry(h: number, f: number): void;
  fe2SetLane(h: number, lane: number, s: number): void;
  fe2GetLane(s: number, h: number, lane: number): void;
  fe2LaneFromFe(h: number, lane: number, f: number): void;
  fe2LaneToFe(f: number, h: number, lane: number): void;
  sha512(out: number, p: number, n: number): void;
  xmdSha512(out: number, tail: number, n: number, dstp: number, dstpLen: number, len: number): void;
  hex32Many(text: number, at: number, n: number, out: number): number;
  fe2Pow22523(out: number, z: number): void;
  encodeBatch(bytes: number, pts: number, n: number): void;
  sumPoints(out: number, pts: number, n: number): void;
  scalarMulCT(r: number, p: number, k: number): void;
  scalarMulVartime(r: number, p: number, k: number): void;
  fixedTable(table: number, base: number, scratch: number): void;
  fixedMulCT(r: number, table: number, k: number): void;
  fixedMulVartime(r: number, table: number, k: number): void;
  msm(out: number, pts: number, scalars: number, n: number, bits: number, scratch: number): void;
  msmScratchBytes(n: number, bits: number): number;
  msmWindow(n: number, bits: number): number;
  /** msm with the window width c given; scratch of msmScratchBytesC(n, bits, c) bytes. */
  msmC(out: number, pts: number, scalars: number, n: number, bits: number, c: number, scratch: number): void;
  msmScratchBytesC(n: number, bits: number, c: number): number;
  /** The window width for these scalars (their lengths counted; 128-bit weights favour narrower windows). */
  msmWindowFor(scalars: number, n: number, bits: number): number;
  setMsmWindow(c: number): void;
  /** 1: bucket phase one lane at a time, 2: two lanes (SIMD), 0: automatic (two from 64 points). */
  setMsmLanes(lanes: number): void;
}

/** Bytes of a field element (10 × i32 limbs) and of a point (X, Y, Z, T). */
export const FE_BYTES = 40;
/** Bytes of an extended-coordinates point. */
export const POINT_BYTES = 160;
/** 32-bit limbs in a point. */
export const POINT_LIMBS = 40;

const PAGE = 65536;
const IO_BYTES = 2048;

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** One instance of the module with its memory views and allocator. */
export class WasmRuntime {
  /** Raw exports. */
  readonly x: Ristretto255WasmExports;
  /** Views over linear memory, refreshed after every growth. */
  u8!: Uint8Array;
  i32!: Int32Array;
  u32!: Uint32Array;
  dv!: DataView;
  /** Fixed io slots: three points, two 32-byte buffers. */
  readonly A: number;
  readonly B: number;
  readonly R: number;
  readonly S: number;
  readonly K: number;
  /** Bytes of one fixed-base table. */
  readonly tableBytes: number;
  private readonly tablesStart: number;
  private tableCount = 0;
  private readonly freeTables: number[] = [];
  private buffer: ArrayBuffer | undefined;

  constructor(instance: WebAssembly.Instance) {
    this.x = instance.exports as unknown as Ristretto255WasmExports;
    if (this.x.layout() !== ((FE_BYTES << 16) | POINT_BYTES)) throw new Error('ristretto255 wasm: unexpected layout');
    const io = this.x.heapBase();
    this.A = io;
    this.B = io + POINT_BYTES;
    this.R = io + 2 * POINT_BYTES;
    this.S = io + 3 * POINT_BYTES;
    this.K = this.S + 64;
    this.tableBytes = this.x.fixedTableBytes();
    this.tablesStart = io + IO_BYTES;
    this.ensure(this.tablesStart);
  }

  /** Grows memory to at least `end` bytes and refreshes the views. */
  ensure(end: number): void {
    const mem = this.x.memory;
    if (mem.buffer.byteLength < end) mem.grow(Math.ceil((end - mem.buffer.byteLength) / PAGE));
    if (this.buffer !== mem.buffer) {
      this.buffer = mem.buffer;
      this.u8 = new Uint8Array(this.buffer);
      this.i32 = new Int32Array(this.buffer);
      this.u32 = new Uint32Array(this.buffer);
      this.dv = new DataView(this.buffer);
    }
  }

  /** Start of a scratch area of `bytes` bytes (valid until the next allocation or table). */
  scratch(bytes: number): number {
    const start = this.tablesStart + this.tableCount * this.tableBytes;
    this.ensure(start + bytes + 64);
    return start;
  }

  /** A fixed-base table slot (reused after {@link freeTable}). */
  allocTable(): number {
    const free = this.freeTables.pop();
    if (free !== undefined) return free;
    const slot = this.tablesStart + this.tableCount * this.tableBytes;
    this.tableCount++;
    this.ensure(slot + this.tableBytes);
    return slot;
  }

  /** Returns a table slot to the free list. */
  freeTable(slot: number): void {
    this.freeTables.push(slot);
  }
}

let shared: WasmRuntime | undefined;
let compiled: WebAssembly.Module | undefined;
let bytes: Uint8Array | undefined;

/** True when this platform has WebAssembly (it may still refuse to compile, e.g. under a CSP). */
export function hasWebAssembly(): boolean {
  return typeof WebAssembly === 'object' && typeof WebAssembly.Module === 'function';
}

/** The module's bytes, decoded from base64 once per thread (shared: do not modify them). */
export function wasmModuleBytes(): Uint8Array {
  return (bytes ??= base64ToBytes(WASM_BASE64));
}

/**
 * The module's one instance in this thread, compiled and instantiated synchronously on first use.
 * @throws when WebAssembly (with SIMD) cannot run here, or a Content-Security-Policy forbids compiling it.
 */
export function wasmRuntime(): WasmRuntime {
  if (shared) return shared;
  compiled ??= new WebAssembly.Module(wasmModuleBytes() as BufferSource);
  shared = new WasmRuntime(new WebAssembly.Instance(compiled, {}));
  return shared;
}

/**
 * Compiles and instantiates the module asynchronously (for a browser's main thread); later
 * synchronous uses find it ready. Safe to call more than once.
 * @throws as {@link wasmRuntime}.
 */
export async function loadWasmRuntime(): Promise<WasmRuntime> {
  if (shared) return shared;
  compiled ??= await WebAssembly.compile(wasmModuleBytes() as BufferSource);
  shared ??= new WasmRuntime(await WebAssembly.instantiate(compiled, {}));
  return shared;
}

/** A separate instance with its own memory (not the shared one): for tests that need a fresh memory. */
export function newWasmRuntime(): WasmRuntime {
  return new WasmRuntime(new WebAssembly.Instance(new WebAssembly.Module(wasmModuleBytes() as BufferSource), {}));
}

/** The values of `MJVOTE_BACKEND`. */
export type BackendRequest = 'auto' | 'wasm' | 'noble';
const REQUESTS: readonly BackendRequest[] = ['auto', 'wasm', 'noble'];

/**
 * The backend requested by the environment variable `MJVOTE_BACKEND` (Node, Deno, Bun; `auto`
 * when unset, empty, or where there is no `process.env`, as in browsers).
 * @throws RangeError for any other value.
 */
export function backendRequest(): BackendRequest {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.MJVOTE_BACKEND;
  if (v === undefined || v === '') return 'auto';
  if (!REQUESTS.includes(v as BackendRequest)) throw new RangeError(`MJVOTE_BACKEND must be auto, wasm or noble, got '${v}'`);
  return v as BackendRequest;
}

let decided: boolean | undefined;

/**
 * Whether this thread runs mjvote's WebAssembly (the ristretto255 group's backend and the hex
 * decoder of ballot texts): the one place where that is decided, once per thread, at first use.
 * `MJVOTE_BACKEND=noble` says no; `wasm` says yes and throws where the module cannot run;
 * `auto` (the default) says yes where it compiles and instantiates.
 * @throws RangeError for a bad `MJVOTE_BACKEND`; Error when it is `wasm` and WebAssembly cannot run here.
 */
export function useWasm(): boolean {
  if (decided !== undefined) return decided;
  const request = backendRequest();
  if (request === 'noble') return (decided = false);
  try {
    if (!hasWebAssembly()) throw new Error('this platform has no WebAssembly');
    wasmRuntime();
    return (decided = true);
  } catch (e) {
    if (request === 'wasm')
      throw new Error(`MJVOTE_BACKEND=wasm, but mjvote's WebAssembly cannot run here (${e instanceof Error ? e.message : String(e)})`, {
        cause: e,
      });
    return (decided = false);
  }
}

/**
 * {@link useWasm}, with the module compiled asynchronously first where it is to be used (for a
 * browser's main thread). Safe to call more than once; after the first decision it only reports it.
 */
export async function useWasmAsync(): Promise<boolean> {
  if (decided !== undefined) return decided;
  if (backendRequest() !== 'noble' && hasWebAssembly()) {
    try {
      await loadWasmRuntime();
    } catch {
      // useWasm() decides: it falls back to noble under `auto` and throws under `wasm`
    }
  }
  return useWasm();
}
