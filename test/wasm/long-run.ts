/**
 * Long differential run of the WebAssembly ristretto255 backend against bigint arithmetic and
 * noble (opt-in, not part of `npm test`):
 *
 *   npm run test:wasm-long                      # 10 minutes
 *   MJVOTE_LONG_SECONDS=3600 npm run test:wasm-long
 *   MJVOTE_LONG_CASES=5000000 npm run test:wasm-long
 *
 * Each round checks field operations against bigint (random and edge values, random limbs at the
 * formula bounds; the scalar and the two-lane SIMD arithmetic), decoding of random bytes and of
 * mutated valid encodings against noble (one at a time, and two at a time in `decodeBatch`), and,
 * less often, point operations, scalar multiplications (variable and fixed base, constant and
 * variable time), batch encodings, SHA-512 and hash to scalar (against node:crypto and noble)
 * and MSMs. Exits 1 with the failing input on the first disagreement; otherwise
 * prints the number of cases of each kind and the line "N passed, 0 failed".
 */
import { createHash } from 'node:crypto';
import { ristretto255With, type RistrettoPoint } from '../../src/group/ristretto255.js';
import { wasmRuntime } from '../../src/wasm/runtime.js';
import { randomBytes, toHex } from '../../src/bytes.js';
import { FieldHarness, P, fe2Lane, fe2LimbBound, fe2RawValue, fromLe, limbsValue, mod, setFe2Lane, setFe2RawLane } from './helpers.js';

const N = ristretto255With('noble');
const W = ristretto255With('wasm');
const seconds = Number(process.env.MJVOTE_LONG_SECONDS ?? 600);
const maxCases = Number(process.env.MJVOTE_LONG_CASES ?? Infinity);
const q = N.order;
const H = new FieldHarness();
const x = H.rt.x;
const counts: Record<string, number> = {};
let total = 0;

function fail(what: string, detail: Record<string, unknown>): never {
  console.error(
    `MISMATCH in ${what}:`,
    JSON.stringify(detail, (_, v) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v)),
  );
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
  if (r[32]! < 48) return fromLe(r.subarray(0, 32)) & ((1n << BigInt((r[32]! * 5) % 256)) - 1n); // small values
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

// Two-lane SIMD arithmetic (fe2*): pairs at F2, G2, H2 (16-aligned). Scratch memory moves up
// when a fixed-base table is added, so the addresses are taken afresh every round.
let F2 = 0;
let G2 = 0;
let H2 = 0;
let S2 = 0;
function fe2Scratch(): void {
  F2 = (H.rt.scratch(1024) + 15) & ~15;
  G2 = F2 + 192;
  H2 = F2 + 384;
  S2 = F2 + 576;
}
const setPairLane = (at: number, lane: number, v: bigint) => setFe2Lane(H.rt, at, lane, v, S2);
const pairLane = (at: number, lane: number): bigint => fe2Lane(H.rt, at, lane, S2);
/** Unscaled limbs of a carried fe2 element, at most 2^(w_k − 1) + 2^14 (the generator's bound). */
function fe2BoundLimbs(): number[] {
  const r = rnd(48);
  const dv = new DataView(r.buffer, r.byteOffset, 48);
  return Array.from({ length: 12 }, (_, k) => {
    const m = fe2LimbBound(k);
    return (dv.getUint32(4 * k, true) % (2 * m + 1)) - m;
  });
}
const setRawLane = (at: number, lane: number, limbs: readonly number[]) => setFe2RawLane(H.rt, at, lane, limbs);
const rawValue = fe2RawValue;

function fe2Round(): void {
  fe2Scratch();
  const a = [fieldValue(), fieldValue()];
  const b = [fieldValue(), fieldValue()];
  for (const l of [0, 1]) {
    setPairLane(F2, l, a[l]!);
    setPairLane(G2, l, b[l]!);
  }
  x.fe2Carry(F2, F2);
  x.fe2Carry(G2, G2);
  x.fe2Mul(H2, F2, G2);
  for (const l of [0, 1]) if (pairLane(H2, l) !== mod(a[l]! * b[l]!)) fail('fe2Mul', { a, b, lane: l });
  x.fe2Sq(H2, F2);
  for (const l of [0, 1]) if (pairLane(H2, l) !== mod(a[l]! * a[l]!)) fail('fe2Sq', { a, lane: l });
  count('two-lane field op (vs bigint)', 4);
  const fl = [fe2BoundLimbs(), fe2BoundLimbs()];
  const gl = [fe2BoundLimbs(), fe2BoundLimbs()];
  for (const l of [0, 1]) {
    setRawLane(F2, l, fl[l]!);
    setRawLane(G2, l, gl[l]!);
  }
  x.fe2Mul(H2, F2, G2);
  for (const l of [0, 1])
    if (pairLane(H2, l) !== mod(rawValue(fl[l]!) * rawValue(gl[l]!))) fail('fe2Mul at limb bounds', { fl, gl, lane: l });
  x.fe2Sq(H2, F2);
  for (const l of [0, 1]) if (pairLane(H2, l) !== mod(rawValue(fl[l]!) ** 2n)) fail('fe2Sq at limb bounds', { fl, lane: l });
  count('two-lane field op at limb bounds (vs bigint)', 4);
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
    case 0:
      return 0n;
    case 1:
      return 1n;
    case 2:
      return q - 1n;
    case 3:
      return k >> 125n; // 128-bit
    case 4:
      return BigInt(r[0]!);
    default:
      return k;
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

/** decodeBatch on 2–3 encodings (random bytes or one-bit mutations of valid ones): verdicts and points as noble's. */
function batchDecodeRound(): void {
  const n = 2 + (rnd(1)[0]! % 2);
  const encs = Array.from({ length: n }, () => {
    if (rnd(1)[0]! & 1) {
      const b = Uint8Array.from(rnd(32));
      b[31]! &= 0x7f;
      return b;
    }
    const m = Uint8Array.from(N.encode(element().n));
    const bit = rnd(1)[0]!;
    if (bit & 1) m[bit >> 3]! ^= 1 << (rnd(1)[0]! & 7);
    return m;
  });
  const at = H.rt.scratch(n * 193 + 64);
  encs.forEach((e, i) => H.rt.u8.set(e, at + n * 160 + 32 * i));
  x.decodeBatch(at, at + n * 160, n, at + n * 192);
  encs.forEach((e, i) => {
    const ok = H.rt.u8[at + n * 192 + i] === 1;
    if (ok !== decodes(N, e)) fail('decodeBatch decision', { bytes: encs.map(toHex), i });
    if (ok) {
      x.encode(H.rt.S, at + 160 * i);
      if (toHex(H.rt.u8.slice(H.rt.S, H.rt.S + 32)) !== toHex(e)) fail('decodeBatch/encode round trip', { bytes: encs.map(toHex), i });
    }
  });
  count('decode two at a time (vs noble)', n);
}

/** encodeBatch on 2–3 points with Z ≠ 1 (sums), two exponentiations per vector: noble's encodings. */
function batchEncodeRound(): void {
  const n = 2 + (rnd(1)[0]! % 2);
  const pairs = Array.from({ length: n }, () => {
    const a = element();
    const b = element();
    return { w: W.add(a.w, b.w), n: N.add(a.n, b.n) };
  });
  const got = toHex(W.encodeMany(pairs.map((p) => p.w)));
  const want = pairs.map((p) => N.toHex(p.n)).join('');
  if (got !== want) fail('encodeBatch', { got, want });
  count('encode two at a time (vs noble)', n);
}

/** SHA-512 of a random message against node:crypto, and hash to scalar against noble's (any tag). */
function hashRound(): void {
  const len = (rnd(1)[0]! << 2) | (rnd(1)[0]! & 3); // 0 … 1023 bytes
  const msg = Uint8Array.from(rnd(len));
  const at = H.rt.scratch(len + 64);
  H.rt.u8.set(msg, at);
  x.sha512(at + len, at, len);
  if (toHex(H.rt.u8.slice(at + len, at + len + 64)) !== createHash('sha512').update(msg).digest('hex')) fail('sha512', { msg: toHex(msg) });
  const t = rnd(1)[0]!;
  const dst = t < 128 ? `mjvote-v1-kind${t}-ristretto255` : Uint8Array.from(rnd(t < 250 ? 1 + t : 256 + (t & 31)));
  if (W.hashToScalar(msg, dst) !== N.hashToScalar(msg, dst))
    fail('hashToScalar', { msg: toHex(msg), dst: typeof dst === 'string' ? dst : toHex(dst) });
  count('SHA-512 and hash to scalar (vs node:crypto, noble)', 2);
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
  const expected = N.toHex(
    N.msm(
      pts.map((p) => p.n),
      ks,
    ),
  );
  // both bucket phases: one lane, and two lanes (msm2.ts)
  const x = wasmRuntime().x;
  for (const lanes of [1, 2]) {
    x.setMsmLanes(lanes);
    const got = W.toHex(
      W.msm(
        pts.map((p) => p.w),
        ks,
      ),
    );
    x.setMsmLanes(0);
    if (got !== expected) fail(`msm (${lanes} lane${lanes > 1 ? 's' : ''})`, { n, ks, bases: pts.map((p) => p.k) });
  }
  count('msm (vs noble, one lane and two)', 2);
}

const start = performance.now();
let rounds = 0;
let lastReport = start;
while (total < maxCases && performance.now() - start < seconds * 1000) {
  fieldRound();
  fe2Round();
  decodeRound();
  batchDecodeRound();
  if ((rounds & 3) === 0) hashRound();
  if ((rounds & 15) === 0) pointRound();
  if ((rounds & 15) === 8) batchEncodeRound();
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
