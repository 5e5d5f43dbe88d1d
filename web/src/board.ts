/**
 * The public board (docs/pages.md, "The public board"): the live counts of the ballot box from
 * `GET /election`, refreshed when the board's Server-Sent Events feed (`GET /board?from=N`)
 * says an entry was appended; and "Find my tracking code" (`GET /tracking/{code}`), with what
 * to do in each case. Every answer is decoded strictly; nothing from the server goes in as
 * markup.
 * @module
 */
import { startPage, language } from './common/layout.js';
import { announce, el, focusHeading, replace } from './common/dom.js';
import { ApiError, apiUrl, call } from './common/api.js';
import { fetchElectionView, type ElectionView } from './common/election-info.js';
import { manifestLabels } from '../../src/election/manifest.js';
import { parseTrackingCode } from '../../src/ballot/hash.js';
import { FormatError } from '../../src/errors.js';
import { expectObject } from '../../src/json/guards.js';
import { entryHash, isTime, serializeEntry, type EntryFields } from '../../src/board/chain.js';
import { utf8 } from '../../src/bytes.js';
import { BOARD } from './strings/board.js';
import { COMMON } from './strings/common.js';
import type { Lang } from './common/i18n.js';

type Feed = 'connecting' | 'live' | 'reconnecting';

/** One ballot or audit entry a tracking code found, as the page shows it. */
interface FoundEntry {
  readonly seq: number;
  readonly time: string;
  /** Its chain hash, recomputed here from the entry (board.md §4). */
  readonly hash: string;
}

/** A decoded `GET /tracking/{code}`. */
type Tracking =
  | {
      readonly status: 'counted' | 'audited';
      readonly code: string;
      readonly entry: FoundEntry;
      readonly entries: number;
      readonly head: string;
    }
  | {
      readonly status: 'superseded';
      readonly code: string;
      readonly entry: FoundEntry;
      readonly countedSeq: number;
      readonly entries: number;
      readonly head: string;
    }
  | { readonly status: 'absent'; readonly code: string; readonly entries: number; readonly head: string };

/** What the tracking form shows under the field: nothing, a lookup in flight, an answer or an error. */
type Lookup =
  | { readonly kind: 'none' }
  | { readonly kind: 'busy' }
  | { readonly kind: 'answer'; readonly t: Tracking }
  | { readonly kind: 'field-error'; readonly message: (lang: Lang) => string }
  | { readonly kind: 'failed'; readonly reason: string };

// ---- The page's state (kept outside render: a language switch redraws from it) ----
let view: ElectionView | null = null;
let fatal: string | null = null;
let feed: Feed = 'connecting';
let code = new URLSearchParams(location.search).get('code') ?? '';
let lookup: Lookup = { kind: 'none' };

const HEX64 = /^[0-9a-f]{64}$/;

function nonNegative(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new FormatError(path, 'expected a non-negative integer');
  return v;
}

/** The board entry of a tracking answer: its kind must be `kind` and its seq `seq`; its hash is recomputed. */
function foundEntry(v: unknown, kind: 'ballot' | 'audit', seq: number): FoundEntry {
  const e = expectObject(v, 'tracking.entry', ['v', 'seq', 'prev', 'kind', 'time', 'payload']);
  if (e.v !== 1) throw new FormatError('tracking.entry.v', 'expected 1');
  if (e.kind !== kind) throw new FormatError('tracking.entry.kind', `expected "${kind}"`);
  if (e.seq !== seq) throw new FormatError('tracking.entry.seq', `expected ${seq}`);
  if (!isTime(e.time)) throw new FormatError('tracking.entry.time', 'expected a UTC time');
  // serializeEntry validates every field and writes the line's canonical bytes, whose hash is the entry's.
  const line = serializeEntry(e as unknown as EntryFields);
  return { seq, time: e.time, hash: entryHash(utf8(line)) };
}

/** Decodes `GET /tracking/{code}` (docs/openapi.json `Tracking`). @throws FormatError */
function parseTracking(body: unknown): Tracking {
  const status = (body as { status?: unknown } | null)?.status;
  const common = ['status', 'trackingCode', 'boardEntries', 'boardHead', 'advice'];
  const found = ['seq', 'ballotHash', 'entry'];
  const keys =
    status === 'absent'
      ? common
      : status === 'superseded'
        ? [...common, ...found, 'countedSeq']
        : status === 'counted' || status === 'audited'
          ? [...common, ...found]
          : null;
  if (keys === null) throw new FormatError('tracking.status', 'expected counted, superseded, audited or absent');
  const o = expectObject(body, 'tracking', keys);
  const trackingCode = parseTrackingCode(o.trackingCode, 'tracking.trackingCode');
  const entries = nonNegative(o.boardEntries, 'tracking.boardEntries');
  if (typeof o.boardHead !== 'string' || !HEX64.test(o.boardHead)) throw new FormatError('tracking.boardHead', 'expected 64 hex digits');
  if (typeof o.advice !== 'string') throw new FormatError('tracking.advice', 'expected a string');
  if (status === 'absent') return { status, code: trackingCode, entries, head: o.boardHead };
  if (typeof o.ballotHash !== 'string' || !HEX64.test(o.ballotHash)) throw new FormatError('tracking.ballotHash', 'expected 64 hex digits');
  const seq = nonNegative(o.seq, 'tracking.seq');
  if (seq >= entries) throw new FormatError('tracking.seq', 'beyond the board');
  const entry = foundEntry(o.entry, status === 'audited' ? 'audit' : 'ballot', seq);
  if (status === 'superseded') {
    const countedSeq = nonNegative(o.countedSeq, 'tracking.countedSeq');
    if (countedSeq <= seq || countedSeq >= entries) throw new FormatError('tracking.countedSeq', 'expected a later entry of the board');
    return { status, code: trackingCode, entry, countedSeq, entries, head: o.boardHead };
  }
  return { status: status as 'counted' | 'audited', code: trackingCode, entry, entries, head: o.boardHead };
}

// ---- Live counts ----

/**
 * Announcements. The counts are not a live region: on a busy election they change several
 * times a second, and a screen reader reading each change would drown everything else. Instead
 * a summary is announced when the counts changed, at most once every ANNOUNCE_EVERY_MS, plus
 * at once on request (the "Read out the counts" button) and whenever the phase changes (rare,
 * and what a voter waiting for the close or the results wants to hear).
 */
const ANNOUNCE_EVERY_MS = 30_000;
let lastAnnounced = 0;
let announcedSummary = '';
let announceTimer: ReturnType<typeof setTimeout> | null = null;

function summary(lang: Lang): string {
  return view === null ? '' : BOARD[lang].summary(view);
}

function announceCounts(force: boolean): void {
  const s = summary(language());
  if (s === '' || (!force && s === announcedSummary)) return;
  const wait = lastAnnounced + ANNOUNCE_EVERY_MS - Date.now();
  if (!force && wait > 0) {
    announceTimer ??= setTimeout(() => {
      announceTimer = null;
      announceCounts(false);
    }, wait);
    return;
  }
  lastAnnounced = Date.now();
  announcedSummary = s;
  announce(s);
}

/** Refreshes from `GET /election` at most once a second (the feed may bring hundreds of entries a second). */
const REFRESH_EVERY_MS = 1000;
let lastRefresh = 0;
let refreshing: Promise<void> | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;
let redraw: () => void = () => {};

async function refresh(): Promise<void> {
  lastRefresh = Date.now();
  const before = view;
  try {
    view = await fetchElectionView();
    fatal = null;
  } catch (e) {
    // A failed refresh keeps the last counts shown; a first load that fails is the page's error.
    if (before === null) fatal = e instanceof ApiError && e.status === 0 ? COMMON[language()].noServer : (e as Error).message;
    updateCounts();
    return;
  }
  if (before === null) redraw();
  else updateCounts();
  if (before !== null && before.phase !== view.phase) {
    const b = BOARD[language()];
    announce(b.phaseChanged(b.phases[view.phase]));
    lastAnnounced = Date.now();
  } else if (before !== null) announceCounts(false);
}

function scheduleRefresh(): void {
  if (refreshTimer !== null) return;
  const wait = Math.max(0, lastRefresh + REFRESH_EVERY_MS - Date.now());
  refreshTimer = setTimeout(() => {
    refreshTimer = null;
    // A refresh still in flight may have missed this entry: look again once it is done.
    if (refreshing !== null) void refreshing.then(scheduleRefresh);
    else refreshing = refresh().finally(() => (refreshing = null));
  }, wait);
}

/**
 * The live feed: an EventSource on `board?from=<entries>`; each event is an appended entry,
 * which only triggers a (throttled) refresh of the counts. On an error the page closes it and
 * reconnects itself from the board's current end (EventSource's own retry would resend every
 * entry since the first `from`), waiting 1, 2, 4 … up to 30 seconds.
 */
let retryMs = 1000;
async function connect(): Promise<void> {
  if (view === null) return;
  const es = new EventSource(await apiUrl(`board?from=${view.entries}`));
  es.onopen = () => {
    retryMs = 1000;
    setFeed('live');
  };
  es.onmessage = () => scheduleRefresh();
  es.onerror = () => {
    es.close();
    setFeed('reconnecting');
    setTimeout(() => {
      retryMs = Math.min(retryMs * 2, 30_000);
      void refresh().then(connect);
    }, retryMs);
  };
}

function setFeed(f: Feed): void {
  if (feed === f) return;
  const wasLive = feed === 'live';
  feed = f;
  updateCounts();
  if (f === 'reconnecting' && wasLive) announce(BOARD[language()].reconnecting);
}

// ---- Drawing ----

/** The counts' elements, replaced in place on a refresh (the rest of the page, and the focus, stay). */
function countsBlock(lang: Lang): HTMLElement {
  const b = BOARD[lang];
  if (view === null) return el('p', {}, COMMON[lang].loading);
  const fact = (id: string, label: string, value: string, hint?: string): Node[] => [
    el('dt', {}, label, hint ? el('span', { class: 'hint' }, ` (${hint})`) : null),
    el('dd', { id, class: 'count' }, value),
  ];
  const v = view;
  return el(
    'div',
    {},
    el(
      'dl',
      { class: 'facts counts' },
      ...fact('count-ballots', b.ballots, b.number(v.ballots), b.ballotsHint),
      ...fact('count-voters', b.voters, b.number(v.voters), b.votersHint),
      ...fact('count-audits', b.audits, b.number(v.audits)),
      ...fact('count-registered', b.registered, b.number(v.registered)),
      ...fact('count-entries', b.entries, b.number(v.entries)),
      el('dt', {}, b.phase),
      el('dd', { id: 'phase', 'data-phase': v.phase }, b.phases[v.phase]),
      el('dt', {}, b.head),
      el('dd', { id: 'board-head', class: 'hash' }, v.head),
    ),
    v.phase === 'published' ? el('p', {}, el('a', { href: 'results.html' }, b.resultsLink)) : null,
    el(
      'p',
      { id: 'feed', class: feed === 'reconnecting' ? 'notice warn' : 'hint', 'data-feed': feed },
      feed === 'live' ? b.live : feed === 'connecting' ? b.connecting : b.reconnecting,
    ),
  );
}

function updateCounts(): void {
  const slot = document.getElementById('counts');
  if (slot === null) return;
  if (fatal !== null && view === null) replace(slot, el('div', { class: 'notice error', role: 'alert' }, el('p', {}, fatal)));
  else replace(slot, countsBlock(language()));
}

function trackingResult(lang: Lang): HTMLElement | null {
  const b = BOARD[lang];
  if (lookup.kind === 'busy') return el('p', { class: 'hint' }, b.looking);
  if (lookup.kind === 'failed') return el('div', { class: 'notice error', role: 'alert' }, el('p', {}, b.lookupFailed(lookup.reason)));
  if (lookup.kind !== 'answer') return null;
  const t = lookup.t;
  const words = b[t.status];
  const tone = t.status === 'counted' ? 'ok' : t.status === 'absent' ? 'error' : 'warn';
  const facts =
    t.status === 'absent'
      ? []
      : [el('dt', {}, b.entryNumber), el('dd', { id: 'entry-seq' }, b.number(t.entry.seq))].concat(
          el('dt', {}, b.entryTime),
          el('dd', {}, el('time', { datetime: t.entry.time }, b.time(t.entry.time))),
          el('dt', {}, b.entryHash),
          el('dd', { id: 'entry-hash', class: 'hash' }, t.entry.hash),
        );
  return el(
    'section',
    { class: `notice ${tone}`, id: 'tracking-result', 'data-status': t.status, 'aria-labelledby': 'tracking-result-title' },
    el('h3', { id: 'tracking-result-title' }, words.title),
    el('p', { class: 'code' }, t.code),
    el('p', { id: 'tracking-advice' }, words.advice),
    t.status === 'superseded' ? el('p', {}, b.superseded.counted(t.countedSeq)) : null,
    el('dl', { class: 'facts' }, ...facts, el('dt', {}, b.headAtLookup(t.entries)), el('dd', { id: 'lookup-head', class: 'hash' }, t.head)),
    t.status === 'absent' ? null : el('p', { class: 'hint' }, b.whatItProves),
  );
}

/**
 * Why `typed` is not a tracking code, in the voter's language (the library's reason is in
 * English): the wrong number of symbols, or a character that is not one. The same rules as
 * `parseTrackingCode`, which decides; a symbol is what it accepts thirty times over.
 */
function codeProblem(typed: string): (lang: Lang) => string {
  const symbols = typed.replace(/[\s-]/g, '');
  if ([...symbols].length !== TRACKING_CODE_LENGTH) return (l) => BOARD[l].wrongLength([...symbols].length);
  const bad = [...symbols].find((ch) => {
    try {
      parseTrackingCode(ch.repeat(TRACKING_CODE_LENGTH));
      return false;
    } catch {
      return true;
    }
  });
  return (l) => BOARD[l].badSymbol(bad ?? '?');
}

/** Symbols in a tracking code (six groups of five). */
const TRACKING_CODE_LENGTH = 30;

async function lookUp(typed: string, focus: boolean): Promise<void> {
  code = typed;
  let canonical: string;
  if (typed.trim() === '') {
    lookup = { kind: 'field-error', message: (l) => BOARD[l].empty };
    drawTracking(true);
    return;
  }
  try {
    canonical = parseTrackingCode(typed, 'code');
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    const problem = codeProblem(typed);
    lookup = { kind: 'field-error', message: (l) => BOARD[l].malformed(problem(l)) };
    drawTracking(true);
    return;
  }
  lookup = { kind: 'busy' };
  drawTracking(false);
  try {
    const { body } = await call(`tracking/${encodeURIComponent(canonical)}`);
    lookup = { kind: 'answer', t: parseTracking(body) };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'malformed') {
      lookup = { kind: 'field-error', message: (l) => BOARD[l].malformed(BOARD[l].refused) };
    } else if (e instanceof FormatError) lookup = { kind: 'failed', reason: BOARD[language()].unreadable(`${e.path}: ${e.reason}`) };
    else lookup = { kind: 'failed', reason: e instanceof ApiError && e.status === 0 ? COMMON[language()].noServer : (e as Error).message };
  }
  drawTracking(focus);
}

/** Redraws the field's error and the answer; moves focus to the answer's heading (or the field, on an error). */
function drawTracking(focus: boolean): void {
  const lang = language();
  const input = document.getElementById('tracking-code') as HTMLInputElement | null;
  const error = document.getElementById('tracking-error');
  const slot = document.getElementById('tracking-slot');
  if (input === null || error === null || slot === null) return;
  const fieldError = lookup.kind === 'field-error' ? lookup.message(lang) : null;
  replace(error, fieldError ?? '');
  error.hidden = fieldError === null;
  if (fieldError !== null) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
  replace(slot, trackingResult(lang));
  if (!focus) return;
  if (fieldError !== null) input.focus();
  else {
    const h = document.getElementById('tracking-result-title');
    if (h !== null) focusHeading(h);
  }
}

function render(lang: Lang, main: HTMLElement): void {
  const b = BOARD[lang];
  if (fatal !== null && view === null) {
    replace(main, el('h1', {}, b.title), el('div', { class: 'notice error', role: 'alert' }, el('p', {}, COMMON[lang].error(fatal))));
    return;
  }
  const title = view === null ? b.title : b.heading(manifestLabels(view.manifest, [lang]).title);
  const input = el('input', {
    type: 'text',
    id: 'tracking-code',
    name: 'code',
    class: 'code',
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    'aria-describedby': 'tracking-hint tracking-error',
    oninput: (e: Event) => (code = (e.target as HTMLInputElement).value),
  });
  input.value = code;
  const form = el(
    'form',
    {
      id: 'tracking-form',
      novalidate: true,
      onsubmit: (e: Event) => {
        e.preventDefault();
        void lookUp(input.value, true);
      },
    },
    el('p', {}, el('label', { for: 'tracking-code' }, b.codeLabel)),
    el('p', { id: 'tracking-hint', class: 'hint' }, b.codeHint),
    input,
    el('p', { id: 'tracking-error', class: 'error-text', role: 'alert', hidden: true }),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, b.lookUp)),
  );
  replace(
    main,
    el('h1', {}, title),
    el('p', {}, b.intro),
    el(
      'section',
      { 'aria-labelledby': 'counts-title' },
      el('h2', { id: 'counts-title' }, b.countsHeading),
      el('div', { id: 'counts' }, countsBlock(lang)),
      el(
        'div',
        { class: 'actions' },
        el(
          'button',
          { type: 'button', id: 'announce', 'aria-describedby': 'announce-hint', onclick: () => announceCounts(true) },
          b.announceButton,
        ),
      ),
      el('p', { id: 'announce-hint', class: 'hint' }, b.announceHint),
    ),
    el(
      'section',
      { 'aria-labelledby': 'track-title' },
      el('h2', { id: 'track-title' }, b.trackHeading),
      el('p', {}, b.trackIntro),
      form,
      el('div', { id: 'tracking-slot' }),
    ),
  );
  drawTracking(false);
}

redraw = startPage({ page: 'board', title: (lang) => BOARD[lang].title, render });

void (async () => {
  await refresh();
  if (view === null) {
    redraw();
    return;
  }
  void connect();
  if (code.trim() !== '') void lookUp(code, false);
})();
