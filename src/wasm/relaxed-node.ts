/**
 * Node only: lets this process run the relaxed-SIMD build of the WebAssembly backend.
 * @module
 */
import { setFlagsFromString } from 'node:v8';
import { relaxedSimdAvailable } from './loader.js';

/**
 * Makes this Node process accept WebAssembly relaxed SIMD, so that the WebAssembly backend runs
 * its `relaxed-simd` build (fused multiply-add in the field arithmetic: the same results bit for
 * bit, verification 1.05–1.09× faster; docs/wasm.md). Node 22 and later accept relaxed SIMD as
 * they are and nothing is changed. Node 20's V8 (11.3) has it behind the V8 flag
 * `--experimental-wasm-relaxed-simd`, which this sets for the whole process (worker threads
 * included). Call it before the first use of the WebAssembly backend: the build is chosen
 * once, at first use. The `mjvote` command calls it at startup unless `MJVOTE_WASM_SIMD=simd`.
 * @returns true when the engine now accepts relaxed SIMD.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdAvailable()) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return relaxedSimdAvailable();
}
