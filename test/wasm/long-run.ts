/**
 * Long differential run of the WebAssembly ristretto255 backend against bigint arithmetic and
 * noble (opt-in, not part of `npm test`):
 *
 *   npm run test:wasm-long                      # 10 minutes
 *   MJVOTE_LONG_SECONDS=3600 npm run test:wasm-long
 *   MJVOTE_LONG_CASES=5000000 npm run test:wasm-long
 *
 * Each round checks field operations against bigint (random and edge values, random limbs at the
 * formula bounds), decoding of random bytes and of mutated valid encodings against noble, and,
 * less often, point operations, scalar multiplications (variable and fixed base, constant and
 * variable time) and MSMs. Exits 1 with the failing input on the first disagreement; otherwise
 * prints the number of cases of each kind and the line "N passed, 0 failed".
 */
import { ristretto255 as N, type RistrettoPoint } from '../../src/group/ristretto255.js';
import { ristretto255Wasm as W } from '../../src/wasm/ristretto255-wasm.js';
import { randomBytes, toHex } from '../../src/bytes.js';
import { FieldHarness, P, fromLe, limbsValue, mod } from './helpers.js';

const seconds = Number(process.env.MJVOTE_LONG_SECONDS ?? 600);
const maxCases = Number(process.env.MJVOTE_LONG_CASES ?? Infinity);
const q = N.order;
const H = new FieldHarness();
const x = H.rt.x;
const counts: Record<string, number> = {};
let total = 0;

function fail(what: string, detail: Record<string, unknown>): never {
  console.error(`MISMATCH in ${what}:`, JSON.stringify(detail, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)));
  console.error(`${total} passed, 1 failed`);
  process.exit(1);
}
function count(kind: string, n = 1): void {
  counts[kind] = (counts[kind] ?? 0) + n;
  total += n;
}

// Random sources: a pool of random bytes refilled in bulk (randomBytes per value is slow).
let pool = randomBytes(1 << 16);
let at = pool.length;
function rnd(n: number): Uint8Array {
  if (at + n > pool.length) {
    pool = randomBytes(1 << 16);
    at = 0;
  }
  at += n;
  return pool.subarray(at - n, at);
}
const EDGE = [0n, 1n, 2n, 19n, P - 1n, P - 2n, P, P + 1n, 2n ** 255n - 1n, 2n ** 254n, (P - 1n) / 2n];
function fieldValue(): bigint {
  const r = rnd(33);
  if (r[32]! < 16) return EDGE[r[32]! % EDGE.length]!;
  if (r[32]! < 48) return fromLe(r.subarray(0, 32)) & ((1n << BigInt(r[32]! * 5 % 256)) - 1n); // small values
  return fromLe(r.subarray(0, 32)) & ((1n << 255n) - 1n);
}
function boundLimbs(): number[] {
  const r = rnd(40);
  const dv = new DataView(r.buffer, r.byteOffset, 40);
  return Array.from({ length: 10 }, (_, i) => {
    const m = Math.floor(3 * 1.01 * 2 ** (i % 2 === 0 ? 25 : 24));
    return (dv.getUint32(4 * i, true) % (2 * m + 1)) - m;
  });
}

function fieldRound(): void {
  const a = fieldValue();
  const b = fieldValue();
  H.load(H.f, a);
  H.load(H.g, b);
  x.feMul(H.h, H.f, H.g);
  if (H.value(H.h) !== mod(a * b)) fail('feMul', { a, b });
  x.feSq(H.h, H.f);
  if (H.value(H.h) !== mod(a * a)) fail('feSq', { a });
  x.feAddCarried(H.h, H.f, H.g);
  if (H.value(H.h) !== mod(a + b)) fail('feAdd', { a, b });
  x.feSubCarried(H.h, H.f, H.g);
  if (H.value(H.h) !== mod(a - b)) fail('feSub', { a, b });
  count('field op (vs bigint)', 4);
  const fl = boundLimbs();
  const gl = boundLimbs();
  H.setLimbs(H.f, fl);
  H.setLimbs(H.g, gl);
  x.feMul(H.h, H.f, H.g);
  if (H.value(H.h) !== mod(limbsValue(fl) * limbsValue(gl))) fail('feMul at limb bounds', { fl, gl });
  x.feSq(H.h, H.f);
  if (H.value(H.h) !== mod(limbsValue(fl) ** 2n)) fail('feSq at limb bounds', { fl });
  count('field op at limb bounds (vs bigint)', 2);
}

function decodes(g: typeof N | typeof W, b: Uint8Array): boolean {
  try {
    g.decode(b, 'x', { allowIdentity: true });
    return true;
  } catch {
    return false;
  }
}

const elems: { n: RistrettoPoint; w: ReturnType<typeof W.decode>; k: bigint }[] = [];
function randomScalar(): bigint {
  const r = rnd(33);
  const k = fromLe(r.subarray(0, 32)) % q;
  switch (r[32]! & 15) {
    case 0: return 0n;
    case 1: return 1n;
    case 2: return q - 1n;
    case 3: return k >> 125n; // 128-bit
    case 4: return BigInt(r[0]!);
    default: return k;
  }
}
function element() {
  if (elems.length < 64 || rnd(1)[0]! < 8) {
    const k = randomScalar();
    const n = N.G.multiplyUnsafe(k);
    const e = { n, w: W.G.multiplyUnsafe(k), k };
    if (N.toHex(n) !== W.toHex(e.w)) fail('fixed-base multiplyUnsafe', { k });
    count('fixed-base multiply (vs noble)');
    elems.push(e);
    if (elems.length > 256) elems.shift();
    return e;
  }
  return elems[rnd(1)[0]! % elems.length]!;
}

function decodeRound(): void {
  const b = Uint8Array.from(rnd(32));
  if (b[0]! & 1) b[31]! &= 0x7f; // half the time a 255-bit value
  const ok = decodes(W, b);
  if (ok !== decodes(N, b)) fail('decode decision (random bytes)', { bytes: toHex(b) });
  if (ok && toHex(W.encode(W.decode(b, 'x', { allowIdentity: true }))) !== toHex(b)) fail('decode/encode round trip', { bytes: toHex(b) });
  count('decode of random bytes (vs noble)');
}

function pointRound(): void {
  const a = element();
  const b = element();
  const enc = N.encode(a.n);
  if (toHex(W.encode(a.w)) !== toHex(enc)) fail('encode', { k: a.k });
  const m = Uint8Array.from(enc);
  const bit = rnd(1)[0]!;
  m[bit >> 3]! ^= 1 << (bit & 7);
  if (decodes(W, m) !== decodes(N, m)) fail('decode decision (mutated encoding)', { bytes: toHex(m) });
  if (W.toHex(W.add(a.w, b.w)) !== N.toHex(N.add(a.n, b.n))) fail('add', { a: a.k, b: b.k });
  if (W.toHex(W.subtract(a.w, b.w)) !== N.toHex(N.subtract(a.n, b.n))) fail('subtract', { a: a.k, b: b.k });
  if (W.equals(a.w, b.w) !== N.equals(a.n, b.n)) fail('equals', { a: a.k, b: b.k });
  count('point op (vs noble)', 5);
}

function scalarRound(): void {
  const a = element();
  const k = randomScalar();
  const expected = N.toHex(N.multiplyUnsafe(a.n, k));
  if (W.toHex(W.multiply(a.w, k)) !== expected) fail('multiply (CT)', { base: a.k, k });
  if (W.toHex(W.multiplyUnsafe(a.w, k)) !== expected) fail('multiplyUnsafe', { base: a.k, k });
  if (W.toHex(W.G.multiply(k)) !== N.toHex(N.G.multiplyUnsafe(k))) fail('G.multiply (CT)', { k });
  count('scalar multiplication (vs noble)', 3);
}

function msmRound(): void {
  const n = 3 + (rnd(1)[0]! % 96);
  const pts: typeof elems = [];
  const ks: bigint[] = [];
  for (let i = 0; i < n; i++) {
    pts.push(element());
    ks.push(randomScalar());
  }
  const expected = N.toHex(N.msm(pts.map((p) => p.n), ks));
  if (W.toHex(W.msm(pts.map((p) => p.w), ks)) !== expected) fail('msm', { n, ks, bases: pts.map((p) => p.k) });
  count('msm (vs noble)');
}

const start = performance.now();
let rounds = 0;
let lastReport = start;
while (total < maxCases && performance.now() - start < seconds * 1000) {
  fieldRound();
  decodeRound();
  if ((rounds & 15) === 0) pointRound();
  if ((rounds & 255) === 0) scalarRound();
  if ((rounds & 4095) === 0) msmRound();
  rounds++;
  if (performance.now() - lastReport > 60_000) {
    lastReport = performance.now();
    console.log(`${Math.round((lastReport - start) / 1000)} s: ${total} cases`);
  }
}
console.log(`wasm long run: ${((performance.now() - start) / 1000).toFixed(0)} s, ${rounds} rounds`);
for (const [k, v] of Object.entries(counts)) console.log(`  ${k}: ${v}`);
console.log(`${total} passed, 0 failed`);
