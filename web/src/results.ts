/**
 * The results page (docs/pages.md, "The results page"). Before publication: where the election
 * stands (`GET /election`'s phase). After: the published record's index (`record/record.json`),
 * then its result file, decoded strictly and checked to be this election's; the ranking is
 * recomputed here from the merit profiles with the library's `electionResult` and must equal the
 * published file as a JSON value, so what the page shows is what the counts give. Shown: the
 * ranking (ties as ties), the merit-profile chart (HTML elements, colours from `gradeColors`),
 * the same numbers as a table, and the record's files with how to verify them.
 * @module
 */
import { startPage, language } from './common/layout.js';
import { announce, dataTable, el, replace } from './common/dom.js';
import { ApiError, apiUrl, call } from './common/api.js';
import { fetchElectionView, type ElectionView } from './common/election-info.js';
import { manifestLabels, type Manifest } from '../../src/election/manifest.js';
import { electionResult } from '../../src/record/result.js';
import { gradeColors, textOn } from '../../src/mj/svg.js';
import { formatPercent } from '../../src/mj/fraction.js';
import type { CandidateResult, MjResult } from '../../src/mj/rank.js';
import { canonicalJson } from '../../src/json/canonical.js';
import { expectArray, expectObject } from '../../src/json/guards.js';
import { FormatError } from '../../src/errors.js';
import { RESULTS } from './strings/results.js';
import { BOARD } from './strings/board.js';
import { COMMON } from './strings/common.js';
import type { Lang } from './common/i18n.js';

/** The roles of a record's files, in record.json's `files` (docs/record.md §1). */
const ROLES = ['index', 'manifest', 'ceremony', 'credentials', 'board', 'tally', 'decryptionShares', 'result'] as const;
type Role = (typeof ROLES)[number];

/** A decoded record.json. */
interface RecordIndex {
  readonly boardHead: string;
  readonly files: Readonly<Record<Role, string>>;
}

/** The published result, decoded and recomputed. */
interface Published {
  readonly index: RecordIndex;
  readonly ballots: number;
  /** The ranking recomputed from the published merit profiles (equal to the published one). */
  readonly result: MjResult;
  /** The file name of the whole record as one archive (`record.tar`, what `mjvote serve` offers), or null where the host has none. */
  readonly archive: string | null;
}

// ---- The page's state (kept outside render: a language switch redraws from it) ----
let view: ElectionView | null = null;
let fatal: string | null = null;
let published: Published | null = null;
/** Why the published record cannot be shown. */
let recordProblem: { readonly path: string; readonly reason: string } | 'wrong-ranking' | null = null;

const HEX64 = /^[0-9a-f]{64}$/;
const DECIMAL = /^(?:0|[1-9][0-9]{0,39})$/;
// eslint-disable-next-line no-control-regex -- it matches control characters in order to refuse them
const NOT_IN_FILE_NAMES = /[/\\\u0000-\u001f]/;

/** Decodes record.json as docs/record.md §1 specifies it, for this election. @throws FormatError */
function parseRecordIndex(json: unknown, v: ElectionView): RecordIndex {
  const o = expectObject(json, 'record.json', ['format', 'version', 'electionId', 'group', 'boardHead', 'files']);
  if (o.format !== 'mjvote-record') throw new FormatError('record.json.format', 'expected "mjvote-record"');
  if (o.version !== v.manifest.version) throw new FormatError('record.json.version', `expected ${v.manifest.version}, the manifest's`);
  if (o.electionId !== v.electionId)
    throw new FormatError('record.json.electionId', `expected this election's id, ${JSON.stringify(v.electionId)}`);
  if (o.group !== v.manifest.group) throw new FormatError('record.json.group', `expected ${JSON.stringify(v.manifest.group)}`);
  if (typeof o.boardHead !== 'string' || !HEX64.test(o.boardHead))
    throw new FormatError('record.json.boardHead', 'expected 64 lowercase hex digits');
  const f = expectObject(o.files, 'record.json.files', ROLES);
  const files = {} as Record<Role, string>;
  for (const r of ROLES) {
    const name = f[r];
    if (typeof name !== 'string' || name.length === 0 || name.length > 255 || name === '.' || name === '..' || NOT_IN_FILE_NAMES.test(name))
      throw new FormatError(`record.json.files.${r}`, 'expected a plain file name');
    files[r] = name;
  }
  if (files.index !== 'record.json') throw new FormatError('record.json.files.index', 'expected "record.json"');
  return { boardHead: o.boardHead, files };
}

/**
 * Decodes result.json (docs/record.md §1.2) for this manifest and recomputes it from its merit
 * profiles; `null` when the published file is not what its profiles give. @throws FormatError
 */
function parseResult(json: unknown, m: Manifest): { ballots: number; result: MjResult } | null {
  const o = expectObject(json, 'result.json', ['version', 'ballots', 'meritProfiles', 'ranking']);
  if (o.version !== 1) throw new FormatError('result.json.version', 'expected 1');
  const ballots = o.ballots;
  if (typeof ballots !== 'number' || !Number.isSafeInteger(ballots) || ballots < 1)
    throw new FormatError('result.json.ballots', 'expected a positive integer');
  const profiles = expectArray(o.meritProfiles, 'result.json.meritProfiles', m.candidates.length).map((x, j) => {
    const p = `result.json.meritProfiles[${j}]`;
    const c = expectObject(x, p, ['candidate', 'name', 'counts']);
    if (c.candidate !== m.candidates[j]!.id)
      throw new FormatError(`${p}.candidate`, `expected this election's candidate ${JSON.stringify(m.candidates[j]!.id)}`);
    if (c.name !== m.candidates[j]!.name) throw new FormatError(`${p}.name`, `expected ${JSON.stringify(m.candidates[j]!.name)}`);
    const counts = expectArray(c.counts, `${p}.counts`, m.grades.length).map((n, g) => {
      if (typeof n !== 'string' || !DECIMAL.test(n))
        throw new FormatError(`${p}.counts[${g}]`, 'expected a decimal string of at most 40 digits');
      return BigInt(n);
    });
    if (counts.reduce((a, b) => a + b, 0n) !== BigInt(ballots))
      throw new FormatError(`${p}.counts`, `expected counts adding up to ${ballots}`);
    return counts;
  });
  const { result, json: recomputed } = electionResult(m, profiles, ballots);
  let same: boolean;
  try {
    same = canonicalJson(json) === canonicalJson(recomputed);
  } catch {
    same = false; // not even writable as canonical JSON: not the recomputed value
  }
  return same ? { ballots, result } : null;
}

async function loadRecord(v: ElectionView): Promise<void> {
  try {
    const index = parseRecordIndex((await call('record/record.json')).body, v);
    const r = parseResult((await call(`record/${encodeURIComponent(index.files.result)}`)).body, v.manifest);
    if (r === null) recordProblem = 'wrong-ranking';
    else published = { index, ...r, archive: await archiveName() };
  } catch (e) {
    if (e instanceof FormatError) recordProblem = { path: e.path, reason: e.reason };
    else if (e instanceof ApiError) recordProblem = { path: e.path ?? 'record', reason: e.reason };
    else throw e;
  }
}

/**
 * The whole record as one file, where the server offers it (`mjvote serve`'s `GET /record.tar`,
 * asked with HEAD): its download name, from Content-Disposition when it is a plain `.tar` name.
 * A static host of the record has none: the page then offers the files one by one only.
 */
async function archiveName(): Promise<string | null> {
  try {
    const r = await fetch(await apiUrl('record.tar'), { method: 'HEAD', cache: 'no-store' });
    if (!r.ok || r.headers.get('content-type') !== 'application/x-tar') return null;
    const m = /filename="([A-Za-z0-9._-]{1,80}\.tar)"/.exec(r.headers.get('content-disposition') ?? '');
    return m?.[1] ?? 'record.tar';
  } catch {
    return null;
  }
}

let pollTimer: ReturnType<typeof setTimeout> | null = null;

/** Loads where the election stands and, once published, the record; before that, looks again every 30 s. */
async function load(): Promise<void> {
  if (pollTimer !== null) clearTimeout(pollTimer);
  pollTimer = null;
  try {
    view = await fetchElectionView();
    fatal = null;
  } catch (e) {
    fatal = e instanceof ApiError && e.status === 0 ? COMMON[language()].noServer : (e as Error).message;
    pollTimer = setTimeout(() => void load(), 30_000); // the server may be back by then
    redraw();
    return;
  }
  if (view.phase === 'published' && published === null && recordProblem === null) {
    await loadRecord(view);
    if (published !== null) announce(RESULTS[language()].heading(manifestLabels(view.manifest, [language()]).title));
  }
  if (view.phase !== 'published') pollTimer = setTimeout(() => void load(), 30_000);
  redraw();
}

// ---- Drawing ----

function pct(lang: Lang, count: bigint, total: bigint, decimals: number): string {
  return RESULTS[lang].percent(formatPercent(count, total, decimals));
}

/** The majority grade with its mention: the sign shown, its word read out. */
function gradeWithMention(lang: Lang, c: CandidateResult, grades: readonly string[]): Node {
  const r = RESULTS[lang];
  const label = grades[c.majorityGrade.index]!;
  if (c.mention === '') return document.createTextNode(label);
  return el(
    'span',
    {},
    `${label} `,
    el('span', { 'aria-hidden': 'true' }, c.mention === '+' ? '+' : '\u2212'),
    el('span', { class: 'visually-hidden' }, c.mention === '+' ? r.mentionPlus : r.mentionMinus),
  );
}

function rankCell(lang: Lang, c: CandidateResult, all: readonly CandidateResult[]): HTMLElement {
  const tied = all.filter((x) => x.rank === c.rank).length > 1;
  return el('td', { class: 'num rank' }, String(c.rank), tied ? el('span', { class: 'tie' }, ` (${RESULTS[lang].tie})`) : null);
}

function rankingTable(lang: Lang, p: Published, names: (c: CandidateResult) => string, grades: readonly string[]): HTMLElement {
  const r = RESULTS[lang];
  // A named, focusable region: on a phone the table scrolls sideways inside it, by keyboard too.
  return dataTable({
    id: 'ranking',
    caption: r.rankingHeading,
    captionHidden: true,
    region: r.rankingHeading,
    head: [r.rank, r.candidate, r.majorityGrade, { text: r.above, num: true }, { text: r.below, num: true }],
    rows: p.result.ranking.map((c) =>
      el(
        'tr',
        { 'data-rank': c.rank },
        rankCell(lang, c, p.result.ranking),
        el('th', { scope: 'row', class: 'candidate' }, names(c)),
        el('td', { class: 'grade', 'data-grade': c.majorityGrade.index }, gradeWithMention(lang, c, grades)),
        el('td', { class: 'num' }, pct(lang, c.above.numerator, c.total, 2)),
        el('td', { class: 'num' }, pct(lang, c.below.numerator, c.total, 2)),
      ),
    ),
  });
}

/** One stacked bar per candidate in rank order, one colour per grade, the 50 % line; described by the table. */
function chart(lang: Lang, p: Published, names: (c: CandidateResult) => string, grades: readonly string[]): HTMLElement {
  const r = RESULTS[lang];
  const colours = gradeColors(grades.length);
  const swatch = (g: number): HTMLElement => {
    const s = el('span', { class: 'swatch', 'aria-hidden': 'true' });
    s.style.backgroundColor = colours[g]!;
    return s;
  };
  const rows = p.result.ranking.map((c) => {
    const bar = el('div', { class: 'mj-bar' });
    c.profile.forEach((count, g) => {
      if (count === 0n) return;
      // Display only: the exact shares are in the table (formatPercent, integer arithmetic).
      const share = Number((count * 1_000_000n) / c.total) / 10_000;
      const seg = el(
        'span',
        { class: 'segment', 'data-grade': g, 'data-count': count.toString() },
        share >= 8 ? pct(lang, count, c.total, 0) : '',
      );
      seg.style.width = `${share}%`;
      seg.style.backgroundColor = colours[g]!;
      seg.style.color = textOn(colours[g]!);
      bar.appendChild(seg);
    });
    bar.appendChild(el('span', { class: 'median' }));
    return el(
      'div',
      { class: 'chart-row', 'data-candidate': c.candidate },
      el('div', { class: 'chart-name' }, `${c.rank}. ${names(c)}`),
      bar,
    );
  });
  return el(
    'figure',
    { class: 'mj-chart' },
    el('figcaption', { id: 'chart-caption' }, r.chartCaption),
    el('ul', { class: 'legend', 'aria-label': r.legend }, ...grades.map((g, i) => el('li', {}, swatch(i), g))),
    el(
      'div',
      { class: 'chart', id: 'chart', role: 'img', 'aria-label': r.chartLabel, 'aria-describedby': 'profiles-table' },
      ...rows,
      el('div', { class: 'half', 'aria-hidden': 'true' }, '50 %'),
    ),
  );
}

function profilesTable(lang: Lang, p: Published, names: (c: CandidateResult) => string, grades: readonly string[]): HTMLElement {
  const r = RESULTS[lang];
  return dataTable({
    id: 'profiles-table',
    caption: r.tableCaption,
    region: r.tableCaption,
    head: [r.rank, r.candidate, ...grades.map((g) => ({ text: g, num: true as const })), r.majorityGrade],
    rows: p.result.ranking.map((c) =>
      el(
        'tr',
        { 'data-candidate': c.candidate },
        rankCell(lang, c, p.result.ranking),
        el('th', { scope: 'row' }, names(c)),
        ...c.profile.map((count, g) =>
          el(
            'td',
            { class: 'num', 'data-grade': g, 'data-count': count.toString() },
            count.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB'),
            el('br'),
            el('span', { class: 'hint' }, pct(lang, count, c.total, 1)),
          ),
        ),
        el('td', {}, gradeWithMention(lang, c, grades)),
      ),
    ),
  });
}

function recordSection(lang: Lang, p: Published, base: URL): HTMLElement {
  const r = RESULTS[lang];
  const seen = new Set<string>();
  const files = ROLES.filter((role) => !seen.has(p.index.files[role]) && seen.add(p.index.files[role]));
  return el(
    'section',
    { 'aria-labelledby': 'record-title' },
    el('h2', { id: 'record-title' }, r.recordHeading),
    el('p', {}, r.recordIntro),
    p.archive !== null
      ? el(
          'p',
          { id: 'record-archive' },
          el('a', { href: new URL('record.tar', base).href, download: p.archive, class: 'button primary' }, r.recordArchive),
        )
      : null,
    p.archive !== null ? el('p', { class: 'hint' }, r.recordArchiveHint(p.archive)) : null,
    el(
      'ul',
      { id: 'record-files' },
      ...files.map((role) => {
        const name = p.index.files[role];
        return el(
          'li',
          {},
          el('a', { href: new URL(`record/${encodeURIComponent(name)}`, base).href, download: name, 'data-role': role }, name),
          ` — ${r.roles[role]}`,
        );
      }),
    ),
    el('dl', { class: 'facts' }, el('dt', {}, r.boardHead), el('dd', { class: 'hash', id: 'record-head' }, p.index.boardHead)),
    el('p', {}, r.verifyCommand),
    el('pre', { class: 'command' }, el('code', {}, 'mjvote verify DIR')),
    el('p', {}, el('a', { href: 'verify.html' }, r.verifyPage)),
  );
}

let apiBaseUrl: URL | null = null;
let redraw: () => void = () => {};

function render(lang: Lang, main: HTMLElement): void {
  const r = RESULTS[lang];
  if (view === null) {
    replace(
      main,
      el('h1', {}, r.title),
      fatal === null
        ? el('p', {}, COMMON[lang].loading)
        : el('div', { class: 'notice error', role: 'alert' }, el('p', {}, COMMON[lang].error(fatal))),
    );
    return;
  }
  const labels = manifestLabels(view.manifest, [lang]);
  const h1 = el('h1', {}, r.heading(labels.title));
  const phase = el('p', { id: 'phase', 'data-phase': view.phase }, r.phase(BOARD[lang].phases[view.phase]));
  if (recordProblem !== null) {
    const message = recordProblem === 'wrong-ranking' ? r.wrongRanking : r.notThisElection(recordProblem.path, recordProblem.reason);
    replace(
      main,
      h1,
      phase,
      el('div', { class: 'notice error', role: 'alert', id: 'record-problem' }, el('p', {}, message)),
      el('p', {}, el('a', { href: 'verify.html' }, r.verifyPage)),
    );
    return;
  }
  if (published === null || apiBaseUrl === null) {
    replace(
      main,
      h1,
      phase,
      el('p', { id: 'not-yet' }, r.notYet),
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'button', onclick: () => void load() }, r.checkAgain),
        el('a', { class: 'button', href: 'board.html' }, r.boardLink),
      ),
    );
    return;
  }
  const p = published;
  const index = new Map(view.manifest.candidates.map((c, j) => [c.name, j]));
  const names = (c: CandidateResult): string => labels.candidates[index.get(c.candidate)!]!;
  replace(
    main,
    h1,
    phase,
    el('p', { id: 'counted' }, r.counted(p.ballots)),
    el(
      'section',
      { 'aria-labelledby': 'ranking-title' },
      el('h2', { id: 'ranking-title' }, r.rankingHeading),
      el('p', {}, r.rankingIntro),
      rankingTable(lang, p, names, labels.grades),
    ),
    el(
      'section',
      { 'aria-labelledby': 'profiles-title' },
      el('h2', { id: 'profiles-title' }, r.profilesHeading),
      chart(lang, p, names, labels.grades),
      profilesTable(lang, p, names, labels.grades),
    ),
    recordSection(lang, p, apiBaseUrl),
  );
}

redraw = startPage({ page: 'results', title: (lang) => RESULTS[lang].title, render });

void (async () => {
  apiBaseUrl = await apiUrl('./');
  await load();
})();
