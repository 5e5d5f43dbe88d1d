/**
 * The manifest's labels in several languages (issue 23): `language` and `translations` are
 * optional members of a version-2 manifest, in its canonical bytes (so the fingerprint binds
 * every label a voter reads), validated like the labels they translate.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { manifestBytes, manifestLabels, parseManifest } from '../../src/election/manifest.js';
import { generateTrusteeIdentity } from '../../src/election/trustee-identity.js';
import { manifestSha256 } from '../../src/ceremony/params.js';

const ids = [generateTrusteeIdentity(), generateTrusteeIdentity()].map((x) => x.publicKeyHex);
const base = {
  version: 2,
  electionId: 'e1',
  title: 'Élection',
  candidates: [
    { id: 'a', name: 'Alice' },
    { id: 'b', name: 'Bruno' },
  ],
  grades: ['Très bien', 'Bien', 'Insuffisant'],
  group: 'ristretto255',
  trustees: { n: 2, t: 2, identities: ids },
};
const en = { title: 'Election', candidates: ['Alice', 'Bruno'], grades: ['Very good', 'Good', 'Poor'] };
const withLanguages = { ...base, language: 'fr', translations: { en } };

describe('manifest languages', () => {
  it('a manifest without them keeps its bytes; with them they come last, in the fingerprint', () => {
    const plain = parseManifest(base);
    expect(new TextDecoder().decode(manifestBytes(plain))).not.toContain('language');
    const m = parseManifest(withLanguages);
    const text = new TextDecoder().decode(manifestBytes(m));
    expect(text.endsWith(`]},"language":"fr","translations":{"en":${JSON.stringify(en)}}}`)).toBe(true);
    expect(parseManifest(manifestBytes(m))).toEqual(m);
    expect(manifestSha256(m)).not.toEqual(manifestSha256(plain));
    expect(Object.isFrozen(m.translations!.en!.grades)).toBe(true);
  });

  it('sorts translations canonically and refuses bytes in another order', () => {
    const de = { title: 'Wahl', candidates: ['Alice', 'Bruno'], grades: ['Sehr gut', 'Gut', 'Ungenügend'] };
    const m = parseManifest({ ...base, language: 'fr', translations: { en, de } });
    expect(Object.keys(m.translations!)).toEqual(['de', 'en']);
    const unsorted = JSON.stringify({ ...manifestForBytes(m), translations: { en, de } });
    expect(() => parseManifest(unsorted)).toThrow(/canonical/);
  });

  it('refuses bad languages and translations, naming the field', () => {
    const bad: [unknown, string][] = [
      [{ ...base, translations: { en } }, 'manifest.language'],
      [{ ...base, language: 'FR' }, 'manifest.language'],
      [{ ...base, language: 'french!' }, 'manifest.language'],
      [{ ...base, language: 'fr', translations: {} }, 'manifest.translations'],
      [{ ...base, language: 'fr', translations: [] }, 'manifest.translations'],
      [{ ...base, language: 'fr', translations: { fr: en } }, 'manifest.translations.fr'],
      [{ ...base, language: 'fr', translations: { EN: en } }, 'manifest.translations.EN'],
      [{ ...base, language: 'fr', translations: { en: { ...en, grades: ['a', 'b'] } } }, 'manifest.translations.en.grades'],
      [{ ...base, language: 'fr', translations: { en: { ...en, candidates: ['A'] } } }, 'manifest.translations.en.candidates'],
      [{ ...base, language: 'fr', translations: { en: { ...en, grades: ['a', 'a', 'b'] } } }, 'manifest.translations.en.grades[1]'],
      [{ ...base, language: 'fr', translations: { en: { ...en, title: ' x' } } }, 'manifest.translations.en.title'],
      [{ ...base, language: 'fr', translations: { en: { ...en, extra: 1 } } }, 'manifest.translations.en.extra'],
      [{ ...base, version: 1, trustees: { n: 2, t: 2 }, language: 'fr' }, 'manifest.language'],
    ];
    for (const [input, path] of bad) expect(() => parseManifest(input), path).toThrow(expect.objectContaining({ path }));
  });

  it('never accepts a translation whose label counts differ from the manifest (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), (nc, ng) => {
        const t = {
          title: 'T',
          candidates: ['x', 'y', 'z', 'u', 'v', 'w'].slice(0, nc),
          grades: ['1', '2', '3', '4', '5', '6'].slice(0, ng),
        };
        const ok = nc === 2 && ng === 3;
        const run = (): unknown => parseManifest({ ...base, language: 'fr', translations: { en: t } });
        if (ok) expect(run()).toBeTruthy();
        else expect(run).toThrow(/expected one (name|label) per/);
      }),
    );
  });

  it('manifestLabels picks the voter language, by tag then primary subtag, else the own labels', () => {
    const m = parseManifest(withLanguages);
    expect(manifestLabels(m, ['en-GB', 'fr']).grades).toEqual(en.grades);
    expect(manifestLabels(m, ['fr-CA']).grades).toEqual(base.grades);
    expect(manifestLabels(m, ['de']).language).toBe('fr');
    expect(manifestLabels(parseManifest(base), ['en']).language).toBe(null);
  });
});

function manifestForBytes(m: ReturnType<typeof parseManifest>): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(manifestBytes(m))) as Record<string, unknown>;
}
