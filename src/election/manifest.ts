/**
 * The election manifest: what is being decided and how (docs/ballot.md).
 *
 * ```json
 * {"version":2,"electionId":"…","title":"…","candidates":[{"id":"…","name":"…"}],
 *  "grades":["best",…,"worst"],"group":"ristretto255",
 *  "trustees":{"n":5,"t":3,"identities":["<Ed25519 public key, hex>",…]}}
 * ```
 * Version 1 has no `identities` (`"trustees":{"n":5,"t":3}`); it is read for version-1 records
 * only: nothing in it says who the trustees are.
 *
 * A version-2 manifest may also say which language its labels are in and carry translations of
 * them, which the voters' pages show (`"language":"fr","translations":{"en":{"title":"…",
 * "candidates":["…"],"grades":["…"]}}`, after `trustees`). Both are optional, so a manifest
 * without them has the same bytes as before; with them, the fingerprint binds every label a
 * voter may read, in every language.
 * ```
 * ```
 *
 * The election fingerprint hashes the manifest's **exact bytes**, so the manifest has exactly one
 * byte form, its canonical serialization ({@link manifestBytes}): the UTF-8 of the JSON text above
 * with the members in that order, no whitespace, strings written as `JSON.stringify` writes them
 * (no control characters are allowed in them, so only `"` and `\` are ever escaped) and integers
 * in decimal. {@link parseManifest} accepts bytes or text only in that form, and a JSON value in
 * any key order (it then serializes it canonically). The byte layout is in `docs/ballot.md`.
 * @module
 */
import { FormatError } from '../errors.js';
import { bytesEqual, typeName, utf8 } from '../bytes.js';
import { groupById } from '../group/index.js';
import { expectArray, expectObject } from '../json/guards.js';
import { parseJson } from '../json/parse.js';
import { parseIdentityKey } from './trustee-identity.js';

/**
 * Manifest format version written by this release. Version 2 lists the trustees' identity keys
 * (`trustees.identities`); version 1 (no identities: trustees unauthenticated) is still read, so
 * that version-1 records keep verifying.
 */
export const MANIFEST_VERSION = 2;
/** Every manifest version this release reads. */
export const MANIFEST_VERSIONS: readonly (1 | 2)[] = [1, 2];
/** Fewest and most grades a majority-judgment scale may have. */
export const MIN_GRADES = 2;
/** Most grades a scale may have. */
export const MAX_GRADES = 10;
/** Most candidates a manifest may list (a ballot holds candidates × grades ciphertexts). */
export const MAX_CANDIDATES = 100;
/** Most trustees a ceremony may have. */
export const MAX_TRUSTEES = 255;
/** Longest title, candidate name or grade label, in UTF-16 code units. */
export const MAX_TEXT_LENGTH = 200;

/** Election and candidate ids: 1 to 64 ASCII letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

// C0 and C1 controls, DEL, and lone surrogates.
// eslint-disable-next-line no-control-regex -- it matches control characters in order to refuse them
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE_RE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A candidate: a stable id (used in records) and a display name. */
export interface Candidate {
  readonly id: string;
  readonly name: string;
}

/** Ceremony parameters: n trustees, any t of whom can decrypt. */
export interface TrusteeParameters {
  readonly n: number;
  readonly t: number;
  /**
   * Version 2: the identity key (Ed25519 public key, lowercase hex) of trustee i at index i − 1;
   * n distinct keys. Absent in version 1.
   */
  readonly identities?: readonly string[];
}

/** A validated manifest (deeply frozen). Its JSON form has exactly these members. */
export interface Manifest {
  /** 2 (trustee identities listed) or 1 (read for old records only). */
  readonly version: 1 | 2;
  readonly electionId: string;
  readonly title: string;
  readonly candidates: readonly Candidate[];
  /** Grade labels, best first: grade index 0 is the best grade. */
  readonly grades: readonly string[];
  /** Group id, e.g. `ristretto255` (see `groupById`). */
  readonly group: string;
  readonly trustees: TrusteeParameters;
  /**
   * Version 2, optional: the language of `title`, the candidates' names and the grade labels, as
   * a BCP 47 tag in lower case (`fr`, `en`, `pt-br`). Required when `translations` is present.
   */
  readonly language?: string;
  /**
   * Version 2, optional: the same labels in other languages, keyed by language tag (sorted, none
   * equal to `language`), for the pages voters read. Candidates and grades keep their order.
   */
  readonly translations?: Readonly<Record<string, ManifestTranslation>>;
}

/** The labels of a manifest in one more language: same order and count as the manifest's own. */
export interface ManifestTranslation {
  /** The title, in this language. */
  readonly title: string;
  /** Candidate names, in the manifest's candidate order. */
  readonly candidates: readonly string[];
  /** Grade labels, best first, as the manifest's. */
  readonly grades: readonly string[];
}

/** Most translations a manifest may carry. */
export const MAX_TRANSLATIONS = 20;

/** Language tags: a BCP 47 tag in lower case, e.g. `fr`, `en`, `pt-br`, `zh-hant`. */
export const LANGUAGE_RE = /^[a-z]{2,3}(-[a-z0-9]{2,8}){0,2}$/;

/** Options of {@link parseManifest}. */
export interface ParseManifestOptions {
  /** Accept the group id `insecure-test-group` (tests of protocol code only). */
  allowInsecureTestGroup?: boolean;
}

const INSECURE_TEST_GROUP_ID = 'insecure-test-group';

function text(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new FormatError(path, `expected a string, got ${typeName(v)}`);
  if (v.length === 0 || v.trim() !== v) throw new FormatError(path, 'expected non-empty text without leading or trailing whitespace');
  if (v.length > MAX_TEXT_LENGTH) throw new FormatError(path, `longer than ${MAX_TEXT_LENGTH} characters`);
  if (CONTROL_RE.test(v)) throw new FormatError(path, 'contains a control character');
  if (LONE_SURROGATE_RE.test(v)) throw new FormatError(path, 'contains a lone UTF-16 surrogate');
  if (v.normalize('NFC') !== v) throw new FormatError(path, 'not in Unicode normalization form C (NFC)');
  return v;
}

function id(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new FormatError(path, `expected a string, got ${typeName(v)}`);
  if (!ID_RE.test(v)) throw new FormatError(path, `expected 1 to 64 characters of [A-Za-z0-9._-] starting with a letter or digit`);
  return v;
}

function integer(v: unknown, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new FormatError(path, `expected an integer, got ${typeName(v)}`);
  if (v < min || v > max) throw new FormatError(path, `expected an integer in [${min}, ${max}], got ${v}`);
  return v;
}

function jsonValue(input: Uint8Array | string, path: string): unknown {
  let textIn: string;
  if (typeof input === 'string') textIn = input;
  else {
    try {
      textIn = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(input);
    } catch {
      throw new FormatError(path, 'not valid UTF-8');
    }
  }
  return parseJson(textIn, path);
}

function language(v: unknown, path: string): string {
  if (typeof v !== 'string' || !LANGUAGE_RE.test(v))
    throw new FormatError(
      path,
      `expected a language tag in lower case such as "fr" or "pt-br", got ${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeName(v)}`,
    );
  return v;
}

/** `language` and `translations`: optional, version 2 only, validated and sorted. */
function labelLanguages(
  o: Record<string, unknown>,
  version: 1 | 2,
  candidateCount: number,
  gradeCount: number,
  path: string,
): Pick<Manifest, 'language' | 'translations'> {
  if (o.language === undefined && o.translations === undefined) return {};
  if (version === 1)
    throw new FormatError(`${path}.${o.language !== undefined ? 'language' : 'translations'}`, 'not in a version-1 manifest');
  if (o.language === undefined)
    throw new FormatError(`${path}.language`, 'required with translations: the language of the labels they translate');
  const lang = language(o.language, `${path}.language`);
  if (o.translations === undefined) return { language: lang };
  const tr = o.translations;
  if (typeof tr !== 'object' || tr === null || Array.isArray(tr))
    throw new FormatError(`${path}.translations`, `expected an object keyed by language, got ${typeName(tr)}`);
  const keys = Object.keys(tr);
  if (keys.length === 0 || keys.length > MAX_TRANSLATIONS)
    throw new FormatError(`${path}.translations`, `expected 1 to ${MAX_TRANSLATIONS} languages, got ${keys.length}`);
  const translations: Record<string, ManifestTranslation> = {};
  for (const key of [...keys].sort()) {
    const p = `${path}.translations.${key}`;
    language(key, p);
    if (key === lang) throw new FormatError(p, `the manifest's own language: its labels are the manifest's`);
    const t = expectObject((tr as Record<string, unknown>)[key], p, ['title', 'candidates', 'grades']);
    const names = expectArray(t.candidates, `${p}.candidates`);
    if (names.length !== candidateCount)
      throw new FormatError(`${p}.candidates`, `expected one name per candidate (${candidateCount}), got ${names.length}`);
    const labels = expectArray(t.grades, `${p}.grades`);
    if (labels.length !== gradeCount)
      throw new FormatError(`${p}.grades`, `expected one label per grade (${gradeCount}), got ${labels.length}`);
    const translation: ManifestTranslation = {
      title: text(t.title, `${p}.title`),
      candidates: names.map((n, j) => text(n, `${p}.candidates[${j}]`)),
      grades: labels.map((g, i) => text(g, `${p}.grades[${i}]`)),
    };
    for (const [field, list] of [
      ['candidates', translation.candidates],
      ['grades', translation.grades],
    ] as const)
      list.forEach((x, i) => {
        if (list.indexOf(x) !== i) throw new FormatError(`${p}.${field}[${i}]`, `duplicate label '${x}'`);
      });
    translations[key] = translation;
  }
  return { language: lang, translations };
}

/**
 * The manifest's labels in `wanted` (the first of the languages given that the manifest has, by
 * exact tag then by primary subtag), else in its own language. For pages that show them.
 */
export function manifestLabels(
  m: Manifest,
  wanted: readonly string[],
): { language: string | null; title: string; candidates: readonly string[]; grades: readonly string[] } {
  const own = { language: m.language ?? null, title: m.title, candidates: m.candidates.map((c) => c.name), grades: m.grades };
  const available = [...(m.language ? [m.language] : []), ...Object.keys(m.translations ?? {})];
  for (const w of wanted.map((x) => x.toLowerCase())) {
    const hit = available.find((a) => a === w) ?? available.find((a) => a.split('-')[0] === w.split('-')[0]);
    if (hit === undefined) continue;
    if (hit === m.language) return own;
    const t = m.translations![hit]!;
    return { language: hit, title: t.title, candidates: t.candidates, grades: t.grades };
  }
  return own;
}

function deepFreezeManifest(m: Manifest): Manifest {
  if (m.translations) {
    for (const t of Object.values(m.translations)) {
      Object.freeze(t.candidates);
      Object.freeze(t.grades);
      Object.freeze(t);
    }
    Object.freeze(m.translations);
  }
  for (const c of m.candidates) Object.freeze(c);
  Object.freeze(m.candidates);
  Object.freeze(m.grades);
  if (m.trustees.identities) Object.freeze(m.trustees.identities);
  Object.freeze(m.trustees);
  return Object.freeze(m);
}

/**
 * Validates a manifest and returns it deeply frozen.
 *
 * `input` is either a JSON value (an object, members in any order) or the manifest's bytes or
 * text, which must then be exactly its canonical serialization ({@link manifestBytes}): the
 * fingerprint is computed over those bytes, so no other spelling is accepted.
 * @param path - JSON path used in errors (default `manifest`).
 * @throws FormatError naming the offending field: unknown or missing members, wrong version,
 * malformed ids, duplicate candidate ids, candidate names or grade labels, fewer than 2 or more than 10 grades,
 * no candidates, an unknown group, t outside [1, n], or non-canonical bytes.
 */
export function parseManifest(input: unknown, opts: ParseManifestOptions = {}, path = 'manifest'): Manifest {
  const raw = input instanceof Uint8Array || typeof input === 'string' ? jsonValue(input, path) : input;
  const o = expectObject(
    raw,
    path,
    ['version', 'electionId', 'title', 'candidates', 'grades', 'group', 'trustees'],
    ['language', 'translations'],
  );
  if (!MANIFEST_VERSIONS.includes(o.version as 1 | 2))
    throw new FormatError(
      `${path}.version`,
      `expected ${MANIFEST_VERSIONS.join(' or ')}, got ${JSON.stringify(o.version) ?? typeName(o.version)}`,
    );
  const version = o.version as 1 | 2;
  const electionId = id(o.electionId, `${path}.electionId`);
  const title = text(o.title, `${path}.title`);

  const cs = expectArray(o.candidates, `${path}.candidates`);
  if (cs.length === 0 || cs.length > MAX_CANDIDATES)
    throw new FormatError(`${path}.candidates`, `expected 1 to ${MAX_CANDIDATES} candidates, got ${cs.length}`);
  // Ids and names are both unique: ballots refer to candidates by position, the ranking and the
  // result name them (an election whose candidates share a name could be run but never ranked).
  const seenIds = new Set<string>();
  const seenNames = new Set<string>();
  const candidates = cs.map((c, j): Candidate => {
    const p = `${path}.candidates[${j}]`;
    const co = expectObject(c, p, ['id', 'name']);
    const cid = id(co.id, `${p}.id`);
    if (seenIds.has(cid)) throw new FormatError(`${p}.id`, `duplicate candidate id '${cid}'`);
    seenIds.add(cid);
    const name = text(co.name, `${p}.name`);
    if (seenNames.has(name)) throw new FormatError(`${p}.name`, `duplicate candidate name '${name}' (the ranking names candidates)`);
    seenNames.add(name);
    return { id: cid, name };
  });

  const gs = expectArray(o.grades, `${path}.grades`);
  if (gs.length < MIN_GRADES || gs.length > MAX_GRADES)
    throw new FormatError(`${path}.grades`, `expected ${MIN_GRADES} to ${MAX_GRADES} grades, got ${gs.length}`);
  const grades = gs.map((g, i) => text(g, `${path}.grades[${i}]`));
  grades.forEach((g, i) => {
    if (grades.indexOf(g) !== i) throw new FormatError(`${path}.grades[${i}]`, `duplicate grade label '${g}'`);
  });

  if (typeof o.group !== 'string') throw new FormatError(`${path}.group`, `expected a group id string, got ${typeName(o.group)}`);
  const group = o.group === INSECURE_TEST_GROUP_ID && opts.allowInsecureTestGroup ? o.group : groupById(o.group, `${path}.group`).id;

  const tr = expectObject(o.trustees, `${path}.trustees`, version === 1 ? ['n', 't'] : ['n', 't', 'identities']);
  const n = integer(tr.n, `${path}.trustees.n`, 1, MAX_TRUSTEES);
  const t = integer(tr.t, `${path}.trustees.t`, 1, n);
  let trustees: TrusteeParameters = { n, t };
  if (version === 2) {
    const ids = expectArray(tr.identities, `${path}.trustees.identities`);
    if (ids.length !== n)
      throw new FormatError(`${path}.trustees.identities`, `expected one identity key per trustee (n = ${n}), got ${ids.length}`);
    const identities = ids.map((k, i) => {
      const p = `${path}.trustees.identities[${i}]`;
      parseIdentityKey(k, p);
      const hex = k as string;
      if (ids.indexOf(hex) !== i)
        throw new FormatError(p, `the identity key of trustee ${i + 1} is also trustee ${ids.indexOf(hex) + 1}'s`);
      return hex;
    });
    trustees = { n, t, identities };
  }

  const languages = labelLanguages(o, version, candidates.length, grades.length, path);
  const manifest = deepFreezeManifest({ version, electionId, title, candidates, grades, group, trustees, ...languages });
  if (raw !== input) {
    const given = typeof input === 'string' ? utf8(input) : (input as Uint8Array);
    if (!bytesEqual(given, manifestBytes(manifest)))
      throw new FormatError(
        path,
        'not in canonical form (members in the documented order, no whitespace): the fingerprint is over exact bytes',
      );
  }
  return manifest;
}

/** The manifest's plain JSON value, members in canonical order. */
export function manifestToJson(m: Manifest): Manifest {
  return {
    version: m.version,
    electionId: m.electionId,
    title: m.title,
    candidates: m.candidates.map((c) => ({ id: c.id, name: c.name })),
    grades: [...m.grades],
    group: m.group,
    trustees: m.trustees.identities
      ? { n: m.trustees.n, t: m.trustees.t, identities: [...m.trustees.identities] }
      : { n: m.trustees.n, t: m.trustees.t },
    ...(m.language !== undefined && { language: m.language }),
    ...(m.translations !== undefined && {
      translations: Object.fromEntries(
        Object.entries(m.translations).map(([k, t]) => [k, { title: t.title, candidates: [...t.candidates], grades: [...t.grades] }]),
      ),
    }),
  };
}

/**
 * The canonical serialization: UTF-8 of the JSON text with members in the order version,
 * electionId, title, candidates (id, name), grades, group, trustees (n, t, and in version 2
 * identities), then, when present, language and translations (keys sorted; each title,
 * candidates, grades); no whitespace.
 */
export function manifestBytes(m: Manifest): Uint8Array {
  // JSON.stringify keeps insertion order for non-index keys; manifestToJson fixes that order.
  return utf8(JSON.stringify(manifestToJson(m)));
}
