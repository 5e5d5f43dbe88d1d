/**
 * Fiat–Shamir transcripts (strong Fiat–Shamir, DESIGN §3).
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
import { concatBytes, utf8 } from './bytes.js';
import type { Group } from './group/group.js';

/** Protocol version prefix of every domain-separation tag. */
export const PROTOCOL_VERSION = 'mjvote-v1';

/** The domain-separation tag of a proof kind in a group: `mjvote-v1-<kind>-<group id>`. */
export function domainTag(kind: string, group: Group<any>): string {
  return `${PROTOCOL_VERSION}-${kind}-${group.id}`;
}

const TAG_BYTES = 0x01;
const TAG_ELEMENT = 0x02;
const TAG_SCALAR = 0x03;
const TAG_U32 = 0x04;

/** A Fiat–Shamir transcript: append the whole statement, then the commitments, then derive c. */
export class Transcript<E> {
  private readonly parts: Uint8Array[] = [];
  readonly dst: string;
  constructor(
    readonly group: Group<E>,
    readonly kind: string,
  ) {
    this.dst = domainTag(kind, group);
  }

  private item(tag: number, bytes: Uint8Array): this {
    const h = new Uint8Array(5);
    h[0] = tag;
    new DataView(h.buffer).setUint32(1, bytes.length, false);
    this.parts.push(h, bytes);
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
    new DataView(b.buffer).setUint32(0, n, false);
    return this.item(TAG_U32, b);
  }
  /** The exact message bytes hashed so far (for test vectors and docs). */
  message(): Uint8Array {
    return concatBytes(...this.parts);
  }
  /** The challenge c ∈ Z_q. */
  challenge(): bigint {
    return this.group.hashToScalar(this.message(), this.dst);
  }
}

/**
 * Builds a proof context from its parts: each part is length-prefixed (4-byte big-endian
 * length), so `contextBytes([a, b])` is unambiguous. Ballot proofs use
 * `[fingerprint, credential public key, u32(candidate), u32(grade)]`.
 */
export function contextBytes(parts: readonly (Uint8Array | string | number)[]): Uint8Array {
  const out: Uint8Array[] = [];
  for (const p of parts) {
    let b: Uint8Array;
    if (typeof p === 'string') b = utf8(p);
    else if (typeof p === 'number') {
      if (!Number.isInteger(p) || p < 0 || p > 0xffffffff) throw new RangeError('context integer out of u32 range');
      b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, p, false);
    } else b = p;
    const h = new Uint8Array(4);
    new DataView(h.buffer).setUint32(0, b.length, false);
    out.push(h, b);
  }
  return concatBytes(...out);
}
