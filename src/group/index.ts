/**
 * The group registry: every production group by its stable id, as named in election records and
 * domain-separation tags. The insecure test group is deliberately absent.
 *
 * | id | family | element bytes | scalar bytes |
 * |---|---|---|---|
 * | `ristretto255` (default) | RFC 9496 | 32 | 32 (little-endian) |
 * | `electionguard-v2-standard-4096` | Z_p^*, 4096-bit p, 256-bit q | 512 | 32 |
 * | `electionguard-v2-reduced-3072` | Z_p^*, 3072-bit p, 256-bit q | 384 | 32 |
 * | `belenios-2048` | Z_p^*, 2048-bit p, 256-bit q | 256 | 32 |
 * | `helios-default-2048-256` | Z_p^*, 2048-bit p, 256-bit q | 256 | 32 |
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import type { Group } from './group.js';
import { modpGroup, type ModpGroup } from './modp.js';
import { BELENIOS_2048, EG_V2_REDUCED_3072, EG_V2_STANDARD_4096, HELIOS_2048 } from './params.js';
import { ristretto255 } from './ristretto255.js';

/** ElectionGuard 2.0/2.1 standard baseline group (4096-bit p, q = 2^256 − 189). */
export const electionGuard4096: ModpGroup = /* @__PURE__ */ modpGroup(EG_V2_STANDARD_4096, { trustedParams: true });
/** ElectionGuard 2.0/2.1 reduced group (3072-bit p, q = 2^256 − 189). */
export const electionGuard3072: ModpGroup = /* @__PURE__ */ modpGroup(EG_V2_REDUCED_3072, { trustedParams: true });
/** BELENIOS-2048, Belenios' default finite-field group. */
export const belenios2048: ModpGroup = /* @__PURE__ */ modpGroup(BELENIOS_2048, { trustedParams: true });
/** Helios v3 default ElGamal parameters (2048-bit p, 256-bit q). */
export const helios2048: ModpGroup = /* @__PURE__ */ modpGroup(HELIOS_2048, { trustedParams: true });

/** The default group. */
export const DEFAULT_GROUP_ID = 'ristretto255';

const REGISTRY: ReadonlyMap<string, Group<any>> = new Map<string, Group<any>>([
  [ristretto255.id, ristretto255],
  [electionGuard4096.id, electionGuard4096],
  [electionGuard3072.id, electionGuard3072],
  [belenios2048.id, belenios2048],
  [helios2048.id, helios2048],
]);

/**
 * The production group with this id. `label` names the field the id came from (e.g.
 * `manifest.group`).
 * @throws FormatError for a non-string or an unknown id (including `insecure-test-group`).
 */
export function groupById(id: unknown, label = 'group'): Group<any> {
  if (typeof id !== 'string') throw new FormatError(label, `expected a group id string, got ${typeof id}`);
  const g = REGISTRY.get(id);
  if (!g) throw new FormatError(label, `unknown group id '${id}' (known: ${[...REGISTRY.keys()].join(', ')})`);
  return g;
}

/** Every production group, the default (ristretto255) first. */
export function listGroups(): readonly Group<any>[] {
  return [...REGISTRY.values()];
}

/** Options of {@link assertProductionGroup}. */
export interface ProductionGroupOptions {
  /** Accept a group marked `insecureTestOnly` (tests of protocol code only). */
  allowInsecureTestGroup?: boolean;
}

/**
 * Refuse a group marked `insecureTestOnly` unless the caller opts in. Protocol entry points
 * (key generation, election setup) call this so that the tiny test group cannot reach a real
 * election even if some code path hands it over.
 * @throws ProtocolError (code `insecure-group`).
 */
export function assertProductionGroup(group: Group<any>, opts: ProductionGroupOptions = {}): void {
  if (group.insecureTestOnly && !opts.allowInsecureTestGroup)
    throw new ProtocolError(
      `group '${group.id}' is insecure and only for tests; pass { allowInsecureTestGroup: true } in tests`,
      'insecure-group',
    );
}
