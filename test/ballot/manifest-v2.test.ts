/**
 * Manifest version 2 (issue 20): the trustees' identity keys are part of the manifest, hence of
 * its canonical bytes and of the election fingerprint; version 1 is still read.
 */
import { describe, expect, it } from 'vitest';
import { manifestBytes, parseManifest } from '../../src/election/manifest.js';
import { generateTrusteeIdentity } from '../../src/election/trustee-identity.js';
import { ceremonyParamsForManifest, manifestSha256 } from '../../src/ceremony/params.js';
import { ristretto255 } from '../../src/group/ristretto255.js';

const ids = [generateTrusteeIdentity(), generateTrusteeIdentity(), generateTrusteeIdentity()].map((x) => x.publicKeyHex);
const base = {
  version: 2,
  electionId: 'e1',
  title: 'Title',
  candidates: [
    { id: 'a', name: 'A' },
    { id: 'b', name: 'B' },
  ],
  grades: ['Bien', 'Passable'],
  group: 'ristretto255',
  trustees: { n: 3, t: 2, identities: ids },
};

describe('manifest version 2', () => {
  it('lists n distinct identity keys, in its canonical bytes', () => {
    const m = parseManifest(base);
    expect(m.trustees.identities).toEqual(ids);
    const text = new TextDecoder().decode(manifestBytes(m));
    expect(text.endsWith(`"trustees":{"n":3,"t":2,"identities":["${ids.join('","')}"]}}`)).toBe(true);
    expect(parseManifest(manifestBytes(m))).toEqual(m);
    expect(Object.isFrozen(m.trustees.identities)).toBe(true);
  });

  it('refuses a missing, short, duplicated or invalid identity list, naming the field', () => {
    const at = (trustees: unknown): unknown => ({ ...base, trustees });
    expect(() => parseManifest(at({ n: 3, t: 2 }))).toThrow(expect.objectContaining({ path: 'manifest.trustees.identities' }));
    expect(() => parseManifest(at({ n: 3, t: 2, identities: ids.slice(0, 2) }))).toThrow(
      expect.objectContaining({ path: 'manifest.trustees.identities' }),
    );
    expect(() => parseManifest(at({ n: 3, t: 2, identities: [ids[0], ids[1], ids[0]] }))).toThrow(
      expect.objectContaining({ path: 'manifest.trustees.identities[2]' }),
    );
    expect(() => parseManifest(at({ n: 3, t: 2, identities: [ids[0], ids[1], '00'.repeat(32)] }))).toThrow(
      expect.objectContaining({ path: 'manifest.trustees.identities[2]' }),
    );
    expect(() => parseManifest(at({ n: 3, t: 2, identities: [ids[0], ids[1], 7] }))).toThrow(
      expect.objectContaining({ path: 'manifest.trustees.identities[2]' }),
    );
  });

  it('version 1 has no identities, and refuses them', () => {
    const v1 = { ...base, version: 1, trustees: { n: 3, t: 2 } };
    expect(parseManifest(v1).trustees).toEqual({ n: 3, t: 2 });
    expect(() => parseManifest({ ...v1, trustees: base.trustees })).toThrow(
      expect.objectContaining({ path: 'manifest.trustees.identities' }),
    );
    expect(() => parseManifest({ ...base, version: 3 })).toThrow(expect.objectContaining({ path: 'manifest.version' }));
  });

  it('binds the ceremony: its parameters hold the manifest hash and identities, and another manifest gives another context', () => {
    const m = parseManifest(base);
    const p = ceremonyParamsForManifest(ristretto255, m);
    expect(p.version).toBe(2);
    expect(p.manifestSha256).toEqual(manifestSha256(m));
    expect(p.identities!.map((k) => Buffer.from(k).toString('hex'))).toEqual(ids);
    const renamed = parseManifest({
      ...base,
      candidates: [
        { id: 'a', name: 'A' },
        { id: 'c', name: 'C' },
      ],
    });
    expect(ceremonyParamsForManifest(ristretto255, renamed).context).not.toEqual(p.context);
    const v1 = ceremonyParamsForManifest(ristretto255, parseManifest({ ...base, version: 1, trustees: { n: 3, t: 2 } }));
    expect(v1.version).toBe(1);
    expect(v1.identities).toBeUndefined();
  });
});
