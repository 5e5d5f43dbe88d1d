/**
 * Choosing the ristretto255 backend: mjvote's WebAssembly code where WebAssembly runs, noble
 * (pure JavaScript) otherwise. Both have the group id `ristretto255`, the same encodings and the
 * same results, so records made with one verify with the other.
 *
 * Forcing a backend: `selectRistretto255({ backend: 'noble' | 'wasm' })`, or in Node the
 * environment variable `MJVOTE_BACKEND=noble|wasm|auto`, read by {@link ristretto255Fast}.
 * @module
 */
import type { Group } from '../group/group.js';
import { ristretto255 } from '../group/ristretto255.js';
import { hasWebAssembly, wasmRuntime, wasmVariant } from './loader.js';
import { ristretto255Wasm } from './ristretto255-wasm.js';

/** Which ristretto255 implementation to use: `auto` = WebAssembly if it works here, else noble. */
export type Ristretto255Backend = 'auto' | 'wasm' | 'noble';

/** Options of {@link selectRistretto255}. */
export interface SelectRistretto255Options {
  /** Default `auto`. */
  backend?: Ristretto255Backend;
}

const BACKENDS: readonly Ristretto255Backend[] = ['auto', 'wasm', 'noble'];

/**
 * True when the WebAssembly backend can run here: WebAssembly exists and the module compiles and
 * instantiates (a page whose Content-Security-Policy forbids WebAssembly compilation gets false).
 * @throws RangeError for a bad `MJVOTE_WASM_SIMD`, Error when it forces `relaxed-simd` where the engine refuses it.
 */
export function wasmBackendAvailable(): boolean {
  if (!hasWebAssembly()) return false;
  wasmVariant(); // a bad or unmet MJVOTE_WASM_SIMD is an error, not a reason to fall back to noble
  try {
    wasmRuntime();
    return true;
  } catch {
    return false;
  }
}

/**
 * The ristretto255 group for a backend choice. `wasm` throws if WebAssembly cannot run here;
 * `auto` falls back to noble silently.
 * @throws RangeError for an unknown backend name or a bad `MJVOTE_WASM_SIMD`, Error if `wasm` is
 * forced but unavailable or `MJVOTE_WASM_SIMD=relaxed-simd` is set where the engine refuses it.
 */
export function selectRistretto255(opts: SelectRistretto255Options = {}): Group<unknown> {
  const backend = opts.backend ?? 'auto';
  if (!BACKENDS.includes(backend)) throw new RangeError(`unknown ristretto255 backend '${String(backend)}' (expected auto, wasm or noble)`);
  if (backend === 'noble') return ristretto255 as Group<unknown>;
  if (wasmBackendAvailable()) return ristretto255Wasm as Group<unknown>;
  if (backend === 'wasm') throw new Error('ristretto255: the WebAssembly backend was requested but WebAssembly cannot run here');
  return ristretto255 as Group<unknown>;
}

/** The backend named by `MJVOTE_BACKEND` in Node (`auto` when unset or outside Node). */
export function backendFromEnv(): Ristretto255Backend {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.MJVOTE_BACKEND;
  if (v === undefined || v === '') return 'auto';
  if (!BACKENDS.includes(v as Ristretto255Backend))
    throw new RangeError(`MJVOTE_BACKEND must be auto, wasm or noble, got '${v}'`);
  return v as Ristretto255Backend;
}

let fast: Group<unknown> | undefined;

/**
 * The fastest ristretto255 available, chosen once (on first call) from `MJVOTE_BACKEND` and
 * the platform: the WebAssembly backend where it runs, noble otherwise. Use it for the
 * verifier, the tally and bulk record generation.
 */
export function ristretto255Fast(): Group<unknown> {
  return (fast ??= selectRistretto255({ backend: backendFromEnv() }));
}
