import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { ristretto255 as g } from '../../src/group/ristretto255.js';
import { belenios2048 } from '../../src/group/index.js';
import { FormatError, ProtocolError } from '../../src/errors.js';
import { concatBytes, toHex, utf8 } from '../../src/bytes.js';
import { manifestBytes, manifestToJson, parseManifest, type Manifest } from '../../src/election/manifest.js';
import { createElection, electionFingerprint, electionToJson, parseElection } from '../../src/election/election.js';
import { tinyGroup } from '../helpers/groups.js';
import { testElection, testManifest, thrown } from './fixtures.js';

const base = {
  version: 1,
  electionId: 'primaire-2022',
  title: 'Primaire populaire « 2022 »',
  candidates: [
    { id: 'taubira', name: 'Christiane Taubira' },
    { id: 'jadot', name: 'Yannick "YJ" Jadot' },
    { id: 'melenchon', name: 'Jean-Luc Mélenchon \\ LFI' },
  ],
  grades: ['Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant'],
  group: 'ristretto255',
  trustees: { n: 5, t: 3 },
};
const clone = (): any => JSON.parse(JSON.stringify(base));

const formatPath = (f: () => unknown): string => thrown(f, FormatError).path;

describe('manifest', () => {
  it('parses a JSON value and serializes canonically, exactly as documented', () => {
    const m = parseManifest(base);
    expect(m.candidates.map((c) => c.id)).toEqual(['taubira', 'jadot', 'melenchon']);
    expect(Object.isFrozen(m) && Object.isFrozen(m.candidates[0]) && Object.isFrozen(m.grades)).toBe(true);
    const text = new TextDecoder().decode(manifestBytes(m));
    expect(text).toBe(
      '{"version":1,"electionId":"primaire-2022","title":"Primaire populaire « 2022 »","candidates":[{"id":"taubira","name":"Christiane Taubira"},' +
        '{"id":"jadot","name":"Yannick \\"YJ\\" Jadot"},{"id":"melenchon","name":"Jean-Luc Mélenchon \\\\ LFI"}],' +
        '"grades":["Très bien","Bien","Assez bien","Passable","Insuffisant"],"group":"ristretto255","trustees":{"n":5,"t":3}}',
    );
  });

  it('accepts its canonical bytes and text back, and any key order as a JSON value', () => {
    const m = parseManifest(base);
    const bytes = manifestBytes(m);
    expect(parseManifest(bytes)).toEqual(m);
    expect(parseManifest(new TextDecoder().decode(bytes))).toEqual(m);
    const reordered = { trustees: { t: 3, n: 5 }, group: 'ristretto255', ...clone() };
    expect(manifestBytes(parseManifest(reordered))).toEqual(bytes);
    expect(manifestToJson(m)).toEqual(base);
  });

  it('refuses non-canonical bytes (whitespace, key order, escapes) and invalid UTF-8 or JSON', () => {
    const pretty = utf8(JSON.stringify(base, null, 2));
    expect(formatPath(() => parseManifest(pretty))).toBe('manifest');
    const swapped = utf8(
      new TextDecoder()
        .decode(manifestBytes(parseManifest(base)))
        .replace('{"version":1,"electionId":"primaire-2022"', '{"electionId":"primaire-2022","version":1'),
    );
    expect(formatPath(() => parseManifest(swapped))).toBe('manifest');
    const escaped = utf8(new TextDecoder().decode(manifestBytes(parseManifest(base))).replace('Très', 'Tr\\u00e8s'));
    expect(formatPath(() => parseManifest(escaped))).toBe('manifest');
    expect(formatPath(() => parseManifest(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('manifest');
    expect(formatPath(() => parseManifest('{"version":1,'))).toBe('manifest');
  });

  const bad: [string, (m: any) => void, string][] = [
    ['unknown member', (m) => (m.extra = 1), 'manifest.extra'],
    ['missing member', (m) => delete m.title, 'manifest.title'],
    ['version 3', (m) => (m.version = 3), 'manifest.version'],
    ['version as string', (m) => (m.version = '1'), 'manifest.version'],
    ['election id with a space', (m) => (m.electionId = 'primaire 2022'), 'manifest.electionId'],
    ['election id too long', (m) => (m.electionId = 'x'.repeat(65)), 'manifest.electionId'],
    ['election id empty', (m) => (m.electionId = ''), 'manifest.electionId'],
    ['title empty', (m) => (m.title = ''), 'manifest.title'],
    ['title with a newline', (m) => (m.title = 'a\nb'), 'manifest.title'],
    ['title with outer spaces', (m) => (m.title = ' a'), 'manifest.title'],
    ['title not NFC', (m) => (m.title = 'Me\u0301lenchon'), 'manifest.title'],
    ['title with a lone surrogate', (m) => (m.title = 'a\ud800b'), 'manifest.title'],
    ['no candidates', (m) => (m.candidates = []), 'manifest.candidates'],
    ['candidates not an array', (m) => (m.candidates = {}), 'manifest.candidates'],
    ['duplicate candidate id', (m) => (m.candidates[2].id = 'taubira'), 'manifest.candidates[2].id'],
    ['duplicate candidate name', (m) => (m.candidates[2].name = m.candidates[0].name), 'manifest.candidates[2].name'],
    ['candidate id with a slash', (m) => (m.candidates[1].id = 'a/b'), 'manifest.candidates[1].id'],
    ['candidate id a number', (m) => (m.candidates[1].id = 7), 'manifest.candidates[1].id'],
    ['candidate unknown member', (m) => (m.candidates[0].party = 'x'), 'manifest.candidates[0].party'],
    ['candidate name empty', (m) => (m.candidates[0].name = ''), 'manifest.candidates[0].name'],
    ['one grade', (m) => (m.grades = ['Bien']), 'manifest.grades'],
    ['eleven grades', (m) => (m.grades = Array.from({ length: 11 }, (_, i) => `g${i}`)), 'manifest.grades'],
    ['duplicate grade', (m) => (m.grades[3] = 'Bien'), 'manifest.grades[3]'],
    ['grade not a string', (m) => (m.grades[0] = 5), 'manifest.grades[0]'],
    ['unknown group', (m) => (m.group = 'p256'), 'manifest.group'],
    ['insecure group without opt-in', (m) => (m.group = 'insecure-test-group'), 'manifest.group'],
    ['t = 0', (m) => (m.trustees.t = 0), 'manifest.trustees.t'],
    ['t > n', (m) => (m.trustees.t = 6), 'manifest.trustees.t'],
    ['n = 0', (m) => (m.trustees = { n: 0, t: 0 }), 'manifest.trustees.n'],
    ['n fractional', (m) => (m.trustees.n = 5.5), 'manifest.trustees.n'],
    ['trustees unknown member', (m) => (m.trustees.k = 1), 'manifest.trustees.k'],
  ];
  for (const [what, edit, path] of bad)
    it(`rejects ${what} at ${path}`, () => {
      const m = clone();
      edit(m);
      expect(formatPath(() => parseManifest(m))).toBe(path);
    });

  it('accepts 2 and 10 grades, t = n = 1, and the insecure group only with the opt-in', () => {
    expect(parseManifest({ ...clone(), grades: ['yes', 'no'] }).grades).toHaveLength(2);
    expect(parseManifest({ ...clone(), grades: Array.from({ length: 10 }, (_, i) => `g${i}`) }).grades).toHaveLength(10);
    expect(parseManifest({ ...clone(), trustees: { n: 1, t: 1 } }).trustees).toEqual({ n: 1, t: 1 });
    expect(parseManifest({ ...clone(), group: 'insecure-test-group' }, { allowInsecureTestGroup: true }).group).toBe('insecure-test-group');
  });

  it('refuses exactly the documented whitespace at either end of a text (docs/ballot.md §1), and allows it inside', () => {
    // U+0009–U+000D, U+0020, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF.
    const documented = [0x9, 0xa, 0xb, 0xc, 0xd, 0x20, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];
    for (let c = 0x2000; c <= 0x200a; c++) documented.push(c);
    const whitespaceRefused = (title: string): boolean => {
      try {
        parseManifest({ ...clone(), title });
        return false;
      } catch (e) {
        return e instanceof FormatError && e.reason.includes('leading or trailing whitespace');
      }
    };
    // Every BMP code point (the set is all in the BMP) and a few beyond it.
    const refused: number[] = [];
    const mismatched: number[] = [];
    for (const c of [...Array.from({ length: 0x10000 }, (_, c) => c), 0x1f600, 0xe0020, 0xe0001, 0x10ffff]) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      const leading = whitespaceRefused(`${ch}x`);
      if (whitespaceRefused(`x${ch}`) !== leading) mismatched.push(c);
      if (leading) refused.push(c);
    }
    expect(mismatched).toEqual([]);
    expect(refused).toEqual(documented.sort((a, b) => a - b));
    for (const c of [0x20, 0xa0, 0x2028, 0x3000, 0xfeff])
      expect(parseManifest({ ...clone(), title: `a${String.fromCodePoint(c)}b` }).title).toHaveLength(3);
  });
});

describe('election fingerprint', () => {
  const manifest: Manifest = parseManifest({ ...clone(), trustees: { n: 3, t: 2 } });
  const rows = [0, 1, 2].map((i) => [g.G.multiply(BigInt(10 + 2 * i)), g.G.multiply(BigInt(11 + 2 * i))]);
  const pk = g.G.multiply(10n + 12n + 14n);

  it('is SHA-256 of the documented layout, byte for byte', () => {
    const u32 = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
    const lp = (b: Uint8Array) => concatBytes(u32(b.length), b);
    const mb = manifestBytes(manifest);
    const expected = sha256(
      concatBytes(
        lp(utf8('mjvote-v1-fingerprint')),
        lp(utf8('ristretto255')),
        lp(mb),
        u32(3),
        ...rows.flatMap((r) => [u32(2), ...r.map((C) => g.encode(C))]),
        g.encode(pk),
      ),
    );
    expect(toHex(electionFingerprint(g, mb, rows, pk))).toBe(toHex(expected));
    const e = createElection(manifest, { coefficientCommitments: rows, jointPublicKey: pk });
    expect(e.fingerprintHex).toBe(toHex(expected));
    expect(e.fingerprint).toEqual(expected);
    e.fingerprint.fill(0); // a copy: the election's fingerprint cannot be altered
    expect(e.fingerprintHex).toBe(toHex(expected));
    expect(e.candidateCount).toBe(3);
    expect(e.gradeCount).toBe(5);
    expect(e.publicKey.element).toBe(pk);
  });

  it('changes with every input: group, one manifest byte, any commitment, their split, the joint key', () => {
    const mb = manifestBytes(manifest);
    const fp = toHex(electionFingerprint(g, mb, rows, pk));
    const variants = [
      electionFingerprint({ ...g, id: 'ristretto255x' }, mb, rows, pk),
      electionFingerprint(
        g,
        manifestBytes(parseManifest({ ...clone(), title: 'Primaire populaire « 2022 ».', trustees: { n: 3, t: 2 } })),
        rows,
        pk,
      ),
      electionFingerprint(g, mb, [rows[0]!, rows[1]!, [rows[2]![0]!, g.G.multiply(99n)]], pk),
      electionFingerprint(g, mb, [rows[1]!, rows[0]!, rows[2]!], pk),
      electionFingerprint(g, mb, [[...rows[0]!, rows[1]![0]!], [rows[1]![1]!], rows[2]!], pk),
      electionFingerprint(g, mb, rows, g.G.multiply(37n)),
    ].map(toHex);
    expect(new Set([fp, ...variants]).size).toBe(variants.length + 1);
  });

  it('createElection checks the ceremony output against the manifest', () => {
    const keys = { coefficientCommitments: rows, jointPublicKey: pk };
    expect(() => createElection(manifest, { ...keys, coefficientCommitments: rows.slice(0, 1) })).toThrow(ProtocolError);
    expect(() => createElection(manifest, { ...keys, coefficientCommitments: [...rows, rows[0]!] })).toThrow(ProtocolError);
    expect(() => createElection(manifest, { ...keys, coefficientCommitments: [rows[0]!, rows[1]!, [rows[2]![0]!]] })).toThrow(
      ProtocolError,
    );
    expect(() => createElection(manifest, { ...keys, jointPublicKey: g.identity })).toThrow(ProtocolError);
    expect(() => createElection(manifest, keys, { group: belenios2048 as any })).toThrow(ProtocolError);
    const tinyManifest = testManifest({ group: 'insecure-test-group' });
    expect(() => testElection(tinyGroup, tinyManifest)).not.toThrow();
    expect(() =>
      createElection(tinyManifest, { coefficientCommitments: [[1n, 1n]], jointPublicKey: tinyGroup.generator }, { group: tinyGroup }),
    ).toThrow(ProtocolError);
  });

  it('election parameters round-trip through JSON, and a wrong fingerprint or key is refused', () => {
    const e = createElection(manifest, { coefficientCommitments: rows, jointPublicKey: pk });
    const json = JSON.parse(JSON.stringify(electionToJson(e)));
    const back = parseElection(json);
    expect(back.fingerprintHex).toBe(e.fingerprintHex);
    expect(back.manifestBytes).toEqual(e.manifestBytes);
    expect(formatPath(() => parseElection({ ...json, fingerprint: '00'.repeat(32) }))).toBe('election.fingerprint');
    expect(formatPath(() => parseElection({ ...json, jointPublicKey: g.toHex(g.G.multiply(5n)) }))).toBe('election.fingerprint');
    expect(formatPath(() => parseElection({ ...json, jointPublicKey: 'zz' }))).toBe('election.jointPublicKey');
    const badRows = JSON.parse(JSON.stringify(json));
    badRows.coefficientCommitments[1][0] = '00'.repeat(32);
    expect(formatPath(() => parseElection(badRows))).toBe('election.coefficientCommitments[1][0]');
    expect(formatPath(() => parseElection({ ...json, manifest: { ...json.manifest, grades: ['a'] } }))).toBe('election.manifest.grades');
    expect(formatPath(() => parseElection({ ...json, extra: true }))).toBe('election.extra');
  });
});
