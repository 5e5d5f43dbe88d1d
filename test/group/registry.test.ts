/** The group registry and the guards around the insecure test group. */
import { describe, expect, it } from 'vitest';
import { FormatError, ProtocolError } from '../../src/errors.js';
import { assertProductionGroup, DEFAULT_GROUP_ID, groupById, listGroups } from '../../src/group/index.js';
import { INSECURE_TEST_GROUP_ACK, unsafeTestGroup } from '../../src/group/test-group.js';
import * as pkg from '../../src/index.js';

describe('group registry', () => {
  it('lists ristretto255 first and the four finite-field groups, each found by its id', () => {
    const ids = listGroups().map((g) => g.id);
    expect(ids).toEqual([
      'ristretto255',
      'electionguard-v2-standard-4096',
      'electionguard-v2-reduced-3072',
      'belenios-2048',
      'helios-default-2048-256',
    ]);
    expect(DEFAULT_GROUP_ID).toBe('ristretto255');
    for (const g of listGroups()) {
      expect(groupById(g.id)).toBe(g);
      expect(g.insecureTestOnly).toBe(false);
      expect(() => assertProductionGroup(g)).not.toThrow();
    }
  });

  it('refuses unknown ids, non-strings and the test group id with a FormatError naming the field', () => {
    for (const bad of ['insecure-test-group', 'RISTRETTO255', '', 'electionguard-v2.1-toy-q64p256', 'belenios-rfc-3526-2048']) {
      let caught: unknown;
      try {
        groupById(bad, 'manifest.group');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(FormatError);
      expect((caught as FormatError).path).toBe('manifest.group');
      expect((caught as FormatError).reason).toMatch(/unknown group id/);
    }
    expect(() => groupById(7)).toThrow(FormatError);
  });
});

describe('the insecure test group cannot be picked by accident', () => {
  it('needs the exact acknowledgement', () => {
    expect(() => unsafeTestGroup('yes')).toThrow(/acknowledgement/);
    const g = unsafeTestGroup(INSECURE_TEST_GROUP_ACK);
    expect(g.id).toBe('insecure-test-group');
    expect(g.insecureTestOnly).toBe(true);
    expect(unsafeTestGroup(INSECURE_TEST_GROUP_ACK)).toBe(g);
  });

  it('is refused by assertProductionGroup unless the caller opts in', () => {
    const g = unsafeTestGroup(INSECURE_TEST_GROUP_ACK);
    expect(() => assertProductionGroup(g)).toThrow(ProtocolError);
    expect(() => assertProductionGroup(g, { allowInsecureTestGroup: true })).not.toThrow();
  });

  it('is not exported from the package entry point', () => {
    const names = Object.keys(pkg);
    expect(names).not.toContain('unsafeTestGroup');
    expect(names).not.toContain('INSECURE_TEST_GROUP_ACK');
    for (const v of Object.values(pkg)) {
      if (v && typeof v === 'object' && 'insecureTestOnly' in v) expect((v as { insecureTestOnly: boolean }).insecureTestOnly).toBe(false);
    }
  });
});
