/**
 * Setup of the `wasm-relaxed-simd` test project (vitest.config.ts): turns relaxed SIMD on before
 * any test file loads the WebAssembly backend, so that with MJVOTE_WASM_SIMD=relaxed-simd the
 * group's differential tests run on the relaxed build (the runtime throws rather than fall back).
 */
import { enableRelaxedSimd } from '../../src/wasm/relaxed-node.js';

if (!enableRelaxedSimd()) throw new Error('this engine does not accept WebAssembly relaxed SIMD');
