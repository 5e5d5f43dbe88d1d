/**
 * What the two backends of ristretto255 share: the element type, the order ℓ, the scalar field
 * and its codec (32-byte little-endian scalars, RFC 9496), and the error texts of decoding.
 * @module
 */
import type { Group } from './group.js';
import { scalarField, scalarMethods } from './scalar-field.js';

/**
 * A ristretto255 element (RFC 9496). Opaque: make elements with the group (`decode`, `add`,
 * `multiply` …), compare them with `equals`, serialise them with `encode`. Each backend has its
 * own representation (the WebAssembly backend's limbs, noble's point); an element belongs to the
 * backend that made it, which is the one `ristretto255` runs on in this thread.
 */
export abstract class RistrettoPoint {
  declare private readonly ristretto255: never;
}

/** The order ℓ of ristretto255 (2^252 + 27742317777372353535851937790883648493). */
export const RISTRETTO255_ORDER = 2n ** 252n + 27742317777372353535851937790883648493n;

/** The canonical encoding of the generator (RFC 9496 §4.4). */
export const RISTRETTO255_BASE_HEX = 'e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76';

export const INVALID_ENCODING = 'not a canonical ristretto255 encoding (RFC 9496 decode failed)';
export const NO_IDENTITY = 'the identity element is not allowed here';

/** One backend: every member of the group but its description, each on the backend's own elements. */
export type Ristretto255Implementation = Omit<Group<RistrettoPoint>, 'description'>;

const scalars = scalarMethods(RISTRETTO255_ORDER, 32, true);

/** The members that do not depend on the backend. */
export const RISTRETTO255_SCALARS = Object.freeze({
  id: 'ristretto255',
  order: RISTRETTO255_ORDER,
  Fq: scalarField(RISTRETTO255_ORDER),
  elementBytes: 32,
  scalarBytes: 32,
  insecureTestOnly: false,
  randomScalar: scalars.randomScalar,
  encodeScalar: scalars.encodeScalar,
  decodeScalar: scalars.decodeScalar,
  scalarToHex: scalars.scalarToHex,
  scalarFromHex: scalars.scalarFromHex,
} as const);
