/**
 * Fiat–Shamir transcripts (strong Fiat–Shamir: docs/protocol.md).
 *
 * A challenge is `hash_to_field` (RFC 9380, expand_message_xmd with SHA-512, one element of
 * Z_q) of a message built from length-prefixed canonical encodings, under a domain-separation
 * tag `mjvote-v1-<kind>-<group id>`. The byte layout is specified in `docs/protocol.md`:
 *
 * ```
 * msg  = item*                      (in the order the proof kind fixes: context, statement, commitments)
 * item = tag (1 byte) || len (4 bytes, big-endian) || bytes
 * ```
 * with tag 0x01 = raw bytes (context), 0x02 = group element, 0x03 = scalar, 0x04 = u32.
 * The tag and length make the encoding injective: no two different sequences of items give
 * the same message, so a prover cannot move bytes between fields.
 * @module
 */
import { utf8 } from './bytes.js';
import type { Group } from './group/group.js';

/** Protocol version prefix of every domain-separation tag. */
export const PROTOCOL_VERSION = 'mjvote-v1';

// Tags by group id, then kind: a transcript gets the same string object every time, whose hash
// V8 keeps, so the look-up of its DST′ (scalar-field.ts) does not hash a fresh string per challenge.
const TAGS = new Map<string, Map<string, string>>();

/** The domain-separation tag of a proof kind in a group: `mjvote-v1-<kind>-<group id>`. */
export function domainTag(kind: string, group: Group<any>): string {
  let byKind = TAGS.get(group.id);
  if (byKind === undefined && TAGS.size < 64) TAGS.set(group.id, (byKind = new Map()));
  let tag = byKind?.get(kind);
  if (tag === undefined) {
    tag = `${PROTOCOL_VERSION}-${kind}-${group.id}`;
    if (byKind !== undefined && byKind.size < 64) byKind.set(kind, tag);
  }
  return tag;
}

const TAG_BYTES = 0x01;
const TAG_ELEMENT = 0x02;
const TAG_SCALAR = 0x03;
const TAG_U32 = 0x04;

/** Writes n (a u32) big-endian at out[o]. */
function putU32(out: Uint8Array, o: number, n: number): void {
  out[o] = n >>> 24;
  out[o + 1] = (n >>> 16) & 0xff;
  out[o + 2] = (n >>> 8) & 0xff;
  out[o + 3] = n & 0xff;
}

// Transcripts start in 512-byte views of a shared 64 KiB slab, handed out once each and never
// reused (so two transcripts never share bytes): a view costs far less than allocating a fresh
// ArrayBuffer per transcript (a 7 × 5 ballot's check makes 43). A slab is freed by the
// garbage collector once no transcript views it.
const SLAB_BYTES = 1 << 16;
const START_BYTES = 512;
let slab = new Uint8Array(SLAB_BYTES);
let slabAt = 0;
function startBuffer(): Uint8Array {
  if (slabAt + START_BYTES > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES);
    slabAt = 0;
  }
  const b = slab.subarray(slabAt, slabAt + START_BYTES);
  slabAt += START_BYTES;
  return b;
}

/** A Fiat–Shamir transcript: append the whole statement, then the commitments, then derive c. */
export class Transcript<E> {
  // The message so far, in a buffer that grows by doubling (one copy per item, no per-item headers).
  private buf = startBuffer();
  private len = 0;
  readonly dst: string;
  constructor(
    readonly group: Group<E>,
    readonly kind: string,
  ) {
    this.dst = domainTag(kind, group);
  }

  private item(tag: number, bytes: Uint8Array): this {
    const n = bytes.length;
    const need = this.len + 5 + n;
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, 2 * this.buf.length));
      grown.set(this.buf.subarray(0, this.len));
      this.buf = grown;
    }
    const b = this.buf;
    b[this.len] = tag;
    putU32(b, this.len + 1, n);
    const o = this.len + 5;
    if (n <= 64) for (let i = 0; i < n; i++) b[o + i] = bytes[i]!;
    else b.set(bytes, o);
    this.len = need;
    return this;
  }

  /** Raw context bytes (e.g. election fingerprint, voter credential, indices), length-prefixed. */
  bytes(b: Uint8Array): this {
    return this.item(TAG_BYTES, b);
  }
  /** A group element, canonically encoded. */
  element(e: E): this {
    return this.item(TAG_ELEMENT, this.group.encode(e));
  }
  /** Several group elements in order. */
  elements(es: readonly E[]): this {
    for (const e of es) this.element(e);
    return this;
  }
  /** A scalar in [0, q), canonically encoded. */
  scalar(k: bigint): this {
    return this.item(TAG_SCALAR, this.group.encodeScalar(k));
  }
  /** An unsigned 32-bit integer (indices, bounds, counts). */
  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError('u32 out of range');
    const b = new Uint8Array(4);
    putU32(b, 0, n);
    return this.item(TAG_U32, b);
  }
  /** The exact message bytes hashed so far (for test vectors and docs). */
  message(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
  /** The challenge c ∈ Z_q. */
  challenge(): bigint {
    return this.group.hashToScalar(this.buf.subarray(0, this.len), this.dst);
  }
}

/**
 * Builds a proof context from its parts: each part is length-prefixed (4-byte big-endian
 * length), so `contextBytes([a, b])` is unambiguous. Ballot proofs use
 * `[fingerprint, credential public key, u32(candidate), u32(grade)]`.
 */
export function contextBytes(parts: readonly (Uint8Array | string | number)[]): Uint8Array {
  const bs: Uint8Array[] = new Array(parts.length);
  let total = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    let b: Uint8Array;
    if (typeof p === 'string') b = utf8(p);
    else if (typeof p === 'number') {
      checkContextU32(p);
      b = new Uint8Array(4);
      putU32(b, 0, p);
    } else b = p;
    bs[i] = b;
    total += 4 + b.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of bs) {
    putU32(out, o, b.length);
    out.set(b, o + 4);
    o += 4 + b.length;
  }
  return out;
}

function checkContextU32(v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError('context integer out of u32 range');
}

/**
 * Writes the 8 bytes `contextBytes` gives a number part, u32(4) ‖ u32(v), at out[o …]: to append
 * integer parts to a context built once (see ballotContexts). Same range check.
 */
export function putContextU32(out: Uint8Array, o: number, v: number): void {
  checkContextU32(v);
  putU32(out, o, 4);
  putU32(out, o + 4, v);
}
