/**
 * SHA-512 (FIPS 180-4) and RFC 9380's expand_message_xmd with SHA-512 for one output block
 * (len ≤ 64, ell = 1): the two hashes behind every Fiat–Shamir challenge, without leaving
 * WebAssembly. The state after xmd's first block (Z_pad, 128 zero bytes, the same for every
 * message) is computed once. Challenges hash public data only; the code has no branch or
 * memory index on the bytes anyway.
 */

const K: StaticArray<u64> = [
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
  0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
  0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
  0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
  0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
  0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
  0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
  0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
  0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
];

const IV: StaticArray<u64> = [
  0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
  0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
];

const W: usize = memory.data(80 * 8, 8); // message schedule
const H: usize = memory.data(64, 8); // chaining state
const ZPAD_STATE: usize = memory.data(64, 8); // the state after one block of 128 zero bytes
const LAST: usize = memory.data(256, 8); // the padded last one or two blocks
const B0: usize = memory.data(64, 8);
const B1_IN: usize = memory.data(64 + 1 + 256, 8); // b_0 ‖ 1 ‖ DST′
const B1: usize = memory.data(64, 8);

/** One 128-byte block at p into the state at H. */
function compress(p: usize): void {
  for (let t = 0; t < 16; t++) store<u64>(W + <usize>(8 * t), bswap<u64>(load<u64>(p + <usize>(8 * t))));
  for (let t = 16; t < 80; t++) {
    const w15 = load<u64>(W + <usize>(8 * (t - 15)));
    const w2 = load<u64>(W + <usize>(8 * (t - 2)));
    const s0 = rotr<u64>(w15, 1) ^ rotr<u64>(w15, 8) ^ (w15 >> 7);
    const s1 = rotr<u64>(w2, 19) ^ rotr<u64>(w2, 61) ^ (w2 >> 6);
    store<u64>(W + <usize>(8 * t), load<u64>(W + <usize>(8 * (t - 16))) + s0 + load<u64>(W + <usize>(8 * (t - 7))) + s1);
  }
  let a = load<u64>(H, 0);
  let b = load<u64>(H, 8);
  let c = load<u64>(H, 16);
  let d = load<u64>(H, 24);
  let e = load<u64>(H, 32);
  let f = load<u64>(H, 40);
  let g = load<u64>(H, 48);
  let h = load<u64>(H, 56);
  for (let t = 0; t < 80; t++) {
    const S1 = rotr<u64>(e, 14) ^ rotr<u64>(e, 18) ^ rotr<u64>(e, 41);
    const ch = (e & f) ^ (~e & g);
    const t1 = h + S1 + ch + unchecked(K[t]) + load<u64>(W + <usize>(8 * t));
    const S0 = rotr<u64>(a, 28) ^ rotr<u64>(a, 34) ^ rotr<u64>(a, 39);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = S0 + maj;
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  store<u64>(H, load<u64>(H, 0) + a, 0);
  store<u64>(H, load<u64>(H, 8) + b, 8);
  store<u64>(H, load<u64>(H, 16) + c, 16);
  store<u64>(H, load<u64>(H, 24) + d, 24);
  store<u64>(H, load<u64>(H, 32) + e, 32);
  store<u64>(H, load<u64>(H, 40) + f, 40);
  store<u64>(H, load<u64>(H, 48) + g, 48);
  store<u64>(H, load<u64>(H, 56) + h, 56);
}

/**
 * Hashes the n bytes at p into the state at H, which has already absorbed `before` bytes (a
 * multiple of 128), and writes the 64-byte digest to out.
 */
function finish(out: usize, p: usize, n: i32, before: i32): void {
  let i = 0;
  for (; i + 128 <= n; i += 128) compress(p + <usize>i);
  const rest = n - i;
  memory.fill(LAST, 0, 256);
  memory.copy(LAST, p + <usize>i, <usize>rest);
  store<u8>(LAST + <usize>rest, 0x80);
  const blocks: i32 = rest + 17 <= 128 ? 1 : 2;
  const bits = (<u64>before + <u64>n) << 3;
  store<u64>(LAST + <usize>(128 * blocks - 8), bswap<u64>(bits)); // the length's high 64 bits stay 0
  compress(LAST);
  if (blocks == 2) compress(LAST + 128);
  for (let k = 0; k < 8; k++) store<u64>(out + <usize>(8 * k), bswap<u64>(load<u64>(H + <usize>(8 * k))));
}

function reset(): void {
  for (let k = 0; k < 8; k++) store<u64>(H + <usize>(8 * k), unchecked(IV[k]));
}

/** out (64 bytes) = SHA-512 of the n bytes at p. */
export function sha512(out: usize, p: usize, n: i32): void {
  if (n < 0) unreachable();
  reset();
  finish(out, p, n, 0);
}

// Z_pad's block, compressed once.
reset();
memory.fill(LAST, 0, 128);
compress(LAST);
memory.copy(ZPAD_STATE, H, 64);

/**
 * expand_message_xmd with SHA-512 (RFC 9380 §5.3.1) for len ≤ 64 (ell = 1): out (len bytes) =
 * b_1 = H(b_0 ‖ I2OSP(1, 1) ‖ DST′), b_0 = H(Z_pad ‖ msg ‖ I2OSP(len, 2) ‖ I2OSP(0, 1) ‖ DST′).
 * `tail` holds the n bytes msg ‖ I2OSP(len, 2) ‖ I2OSP(0, 1) ‖ DST′ (everything after Z_pad);
 * `dstp` holds DST′ (dstpLen ≤ 256 bytes: the DST and its length byte).
 */
export function xmdSha512(out: usize, tail: usize, n: i32, dstp: usize, dstpLen: i32, len: i32): void {
  if (n < 0 || dstpLen < 1 || dstpLen > 256 || len < 1 || len > 64) unreachable(); // a caller's bug: trap, never overrun B1_IN
  memory.copy(H, ZPAD_STATE, 64);
  finish(B0, tail, n, 128);
  memory.copy(B1_IN, B0, 64);
  store<u8>(B1_IN + 64, 1);
  memory.copy(B1_IN + 65, dstp, <usize>dstpLen);
  reset();
  finish(B1, B1_IN, 65 + dstpLen, 0);
  memory.copy(out, B1, <usize>len);
}
