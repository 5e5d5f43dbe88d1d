/**
 * The auditor's page (verify.html): the universal verifier of `mjvote verify`, run in the
 * browser on the published record, with the same ten numbered checks and the same report.
 *
 * The record comes from the server that serves the page (`record/` beside the API, the
 * default), from another address (`httpRecordStore`: the board streamed, superseded ballots read
 * again with Range requests), or from a folder the auditor picks (`fileRecordStore`). Ballots
 * are checked on Web Workers running `verify-worker.js` (built beside this page), 2 by default,
 * at most the device's cores (capped at 8). Progress is a labelled `<progress>`, phase changes
 * are announced through the page's polite live region, and the report is drawn with the DOM
 * helpers (no HTML strings: every reason, path and name comes from the record and is text).
 * @module
 */
import {
  fileRecordStore,
  httpRecordStore,
  parseTrackingCode,
  RecordUnreadableError,
  verifyRecordFrom,
  FormatError,
  type CheckReport,
  type RecordStore,
  type VerificationReport,
  type VerifyProgress,
} from '../../src/index.js';
import { startPage, language } from './common/layout.js';
import { announce, byId, dataTable, el, focusHeading, replace } from './common/dom.js';
import { apiUrl } from './common/api.js';
import type { Lang } from './common/i18n.js';
import { VERIFY } from './strings/verify.js';

type Source = 'server' | 'url' | 'folder';

/** Most threads offered (a page shares the device with everything else the auditor runs). */
const MAX_WORKERS_CAP = 8;
const maxWorkers = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS_CAP));

/** The page's state, kept outside `render` (a language switch redraws it all). */
const state: {
  source: Source;
  url: string;
  files: FileList | null;
  codes: string;
  workers: string;
  running: boolean;
  progress: VerifyProgress | null;
  report: VerificationReport | null;
  fatal: string | null;
  errors: Partial<Record<'url' | 'folder' | 'codes' | 'workers', string>>;
} = {
  source: 'server',
  url: '',
  files: null,
  codes: '',
  workers: String(Math.min(2, maxWorkers)),
  running: false,
  progress: null,
  report: null,
  fatal: null,
  errors: {},
};

const redraw = startPage({ page: 'verify', title: (lang) => VERIFY[lang].title, render });

function render(lang: Lang, main: HTMLElement): void {
  const s = VERIFY[lang];
  replace(
    main,
    el('h1', {}, s.title),
    el('p', {}, s.intro),
    el('p', { class: 'hint' }, s.trust),
    setupSection(s),
    state.running || state.progress !== null ? progressSection(s) : null,
    state.fatal !== null ? el('div', { class: 'notice error', role: 'alert' }, el('p', {}, state.fatal)) : null,
    state.report !== null ? reportSection(s, state.report) : null,
  );
}

type S = (typeof VERIFY)['en'];

/** An input's error, shown next to it and linked to it. */
function fieldError(id: string, message: string | undefined): HTMLElement | null {
  return message === undefined ? null : el('p', { id: `${id}-error`, class: 'error-text' }, message);
}

function described(id: string, hint: boolean, error: string | undefined): Record<string, string | undefined> {
  const ids = [hint ? `${id}-hint` : '', error !== undefined ? `${id}-error` : ''].filter((x) => x !== '');
  return { 'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined, 'aria-invalid': error !== undefined ? 'true' : undefined };
}

function setupSection(s: S): HTMLElement {
  const radio = (value: Source, label: string) =>
    el(
      'div',
      { class: 'choice' },
      el('input', {
        type: 'radio',
        name: 'source',
        id: `source-${value}`,
        value,
        checked: state.source === value,
        disabled: state.running,
        onchange: () => {
          state.source = value;
          state.errors = {};
          redraw();
          byId(`source-${value}`).focus();
        },
      }),
      ' ',
      el('label', { for: `source-${value}` }, label),
    );
  const e = state.errors;
  const urlField =
    state.source === 'url'
      ? el(
          'div',
          { class: 'field' },
          el('label', { for: 'record-url' }, s.sourceUrlLabel),
          el('p', { id: 'record-url-hint', class: 'hint' }, s.sourceUrlHint),
          el('input', {
            type: 'url',
            id: 'record-url',
            value: state.url,
            autocomplete: 'url',
            disabled: state.running,
            oninput: (ev: Event) => (state.url = (ev.target as HTMLInputElement).value),
            ...described('record-url', true, e.url),
          }),
          fieldError('record-url', e.url),
        )
      : null;
  const folderField =
    state.source === 'folder'
      ? el(
          'div',
          { class: 'field' },
          el('label', { for: 'record-folder' }, s.sourceFolderLabel),
          el('p', { id: 'record-folder-hint', class: 'hint' }, s.sourceFolderHint),
          el('input', {
            type: 'file',
            id: 'record-folder',
            webkitdirectory: true,
            multiple: true,
            disabled: state.running,
            onchange: (ev: Event) => (state.files = (ev.target as HTMLInputElement).files),
            ...described('record-folder', true, e.folder),
          }),
          state.files !== null && state.files.length > 0 ? el('p', { class: 'hint' }, pickedName(state.files)) : null,
          fieldError('record-folder', e.folder),
        )
      : null;
  return el(
    'section',
    { 'aria-labelledby': 'setup-h' },
    el('h2', { id: 'setup-h' }, s.setup),
    el(
      'form',
      { novalidate: true, onsubmit: (ev: Event) => (ev.preventDefault(), void start()) },
      el(
        'fieldset',
        {},
        el('legend', {}, s.source),
        radio('server', s.sourceServer),
        radio('url', s.sourceUrl),
        radio('folder', s.sourceFolder),
        urlField,
        folderField,
      ),
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'codes' }, s.codes),
        el('p', { id: 'codes-hint', class: 'hint' }, s.codesHint),
        codesArea(e.codes),
        fieldError('codes', e.codes),
      ),
      el(
        'div',
        { class: 'field' },
        el('label', { for: 'workers' }, s.workers),
        el('p', { id: 'workers-hint', class: 'hint' }, s.workersHint(maxWorkers)),
        el('input', {
          type: 'number',
          id: 'workers',
          min: 1,
          max: maxWorkers,
          step: 1,
          inputmode: 'numeric',
          value: state.workers,
          disabled: state.running,
          oninput: (ev: Event) => (state.workers = (ev.target as HTMLInputElement).value),
          ...described('workers', true, e.workers),
        }),
        fieldError('workers', e.workers),
      ),
      el(
        'div',
        { class: 'actions' },
        el('button', { type: 'submit', class: 'primary', disabled: state.running }, state.running ? s.running : s.start),
      ),
    ),
  );
}

/** The tracking codes' textarea, with the text typed so far (a textarea's value is not an attribute). */
function codesArea(error: string | undefined): HTMLTextAreaElement {
  const t = el('textarea', {
    id: 'codes',
    rows: 3,
    class: 'code',
    spellcheck: 'false',
    autocomplete: 'off',
    disabled: state.running,
    oninput: (ev: Event) => (state.codes = (ev.target as HTMLTextAreaElement).value),
    ...described('codes', true, error),
  });
  t.value = state.codes;
  return t;
}

function pickedName(files: FileList): string {
  const first = files[0]?.webkitRelativePath?.split('/')[0];
  return `${first || ''} (${files.length})`.trim();
}

function progressSection(s: S): HTMLElement {
  const { value, max, text } = progressView(s, state.progress);
  return el(
    'section',
    { 'aria-labelledby': 'progress-h' },
    el('h2', { id: 'progress-h' }, s.progress),
    el('label', { for: 'verify-progress' }, s.progressLabel),
    el('br'),
    el('progress', { id: 'verify-progress', ...(max > 0 ? { max, value } : {}) }),
    el('p', { id: 'verify-progress-text' }, text),
  );
}

function megabytes(n: number): string {
  return `${(n / 1e6).toLocaleString(language() === 'fr' ? 'fr-FR' : 'en-US', { maximumFractionDigits: 1 })} MB`;
}

/** What the progress bar and its text show for a progress event (max 0: indeterminate). */
function progressView(s: S, p: VerifyProgress | null): { value: number; max: number; text: string } {
  if (p === null) return { value: 0, max: 0, text: s.started };
  switch (p.phase) {
    case 'board':
      return { value: p.done, max: p.total, text: s.phase.board(megabytes(p.done), p.total > 0 ? megabytes(p.total) : '') };
    case 'revotes':
      return { value: p.done, max: Math.max(p.total, 1), text: s.phase.revotes(p.done, p.total) };
    case 'decryption':
      return { value: 0, max: 0, text: s.phase.decryption };
    default:
      return { value: 1, max: 1, text: s.phase.done };
  }
}

/** Updates the progress bar in place (no redraw: progress comes once per megabyte of the board). */
function showProgress(p: VerifyProgress): void {
  const phaseChanged = state.progress?.phase !== p.phase;
  state.progress = p;
  const s = VERIFY[language()];
  const bar = document.getElementById('verify-progress') as HTMLProgressElement | null;
  const text = document.getElementById('verify-progress-text');
  const v = progressView(s, p);
  if (bar !== null) {
    if (v.max > 0) {
      bar.max = v.max;
      bar.value = v.value;
    } else bar.removeAttribute('value');
  }
  if (text !== null) text.textContent = v.text;
  if (phaseChanged) announce(v.text);
}

/** Checks the form; returns what to verify, or null after showing the errors. */
async function readForm(s: S): Promise<{ store: RecordStore; codes: string[]; workers: number } | null> {
  const errors: typeof state.errors = {};
  let store: RecordStore | null = null;
  if (state.source === 'server') store = httpRecordStore(await apiUrl('record/'));
  else if (state.source === 'url') {
    const u = state.url.trim();
    if (u === '') errors.url = s.errEmptyUrl;
    else
      try {
        store = httpRecordStore(new URL(u, location.href));
      } catch {
        errors.url = s.errBadUrl;
      }
  } else if (state.files === null || state.files.length === 0) errors.folder = s.errNoFolder;
  else store = fileRecordStore(state.files);

  const codes: string[] = [];
  const lines = state.codes.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    try {
      parseTrackingCode(line, `line ${i + 1}`);
      codes.push(line);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      errors.codes = s.errCodes(i + 1, e.reason);
      break;
    }
  }
  const w = Number(state.workers);
  if (!Number.isSafeInteger(w) || w < 1 || w > maxWorkers) errors.workers = s.errWorkers(maxWorkers);

  state.errors = errors;
  if (Object.keys(errors).length > 0 || store === null) {
    redraw();
    const first = errors.url ? 'record-url' : errors.folder ? 'record-folder' : errors.codes ? 'codes' : 'workers';
    document.getElementById(first)?.focus();
    return null;
  }
  return { store, codes, workers: w };
}

async function start(): Promise<void> {
  if (state.running) return;
  const s = VERIFY[language()];
  const form = await readForm(s);
  if (form === null) return;
  state.running = true;
  state.progress = null;
  state.report = null;
  state.fatal = null;
  redraw();
  announce(s.started);
  focusHeading(byId('progress-h'));
  try {
    state.report = await verifyRecordFrom(form.store, {
      workers: form.workers,
      workerUrl: new URL('./verify-worker.js', import.meta.url),
      ...(form.codes.length > 0 && { trackingCodes: form.codes }),
      onProgress: showProgress,
    });
  } catch (e) {
    const t = VERIFY[language()];
    state.fatal =
      e instanceof RecordUnreadableError ? t.unreadable(e.path, e.reason) : t.failedToRun(e instanceof Error ? e.message : String(e));
  } finally {
    state.running = false;
  }
  redraw();
  const t = VERIFY[language()];
  if (state.report !== null) {
    announce(verdict(t, state.report));
    focusHeading(byId('report-h'));
  } else announce(state.fatal ?? '');
}

/** The failing checks (a check 10 skipped for want of receipts is no fault of the record). */
function notPassed(r: VerificationReport): CheckReport[] {
  return r.checks.filter((c) => c.status !== 'pass' && !(c.number === 10 && c.status === 'skipped'));
}

function verdict(s: S, r: VerificationReport): string {
  if (r.ok) return s.verified(r.checks.filter((c) => c.status === 'pass').length);
  const bad = notPassed(r);
  return s.notVerified(
    bad.map((c) => c.number).join(', '),
    bad.reduce((n, c) => n + c.failures.length + c.omitted, 0),
  );
}

function reportSection(s: S, r: VerificationReport): HTMLElement {
  const lang = language();
  const nf = (n: number) => n.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-US');
  const c = r.counts;
  return el(
    'section',
    { 'aria-labelledby': 'report-h', id: 'report' },
    el('h2', { id: 'report-h' }, s.report),
    el('div', { class: `notice ${r.ok ? 'ok' : 'error'}`, id: 'verdict' }, el('p', {}, el('strong', {}, verdict(s, r)))),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, s.facts.record),
      el('dd', { class: 'hash' }, r.dir),
      el('dt', {}, s.facts.election),
      el('dd', {}, r.electionId),
      el('dt', {}, s.facts.group),
      el('dd', {}, r.group),
      el('dt', {}, s.facts.version),
      el('dd', {}, String(r.recordVersion)),
      el('dt', {}, s.facts.figures),
      el('dd', {}, s.figures(c.ballots ?? 0, c.counted ?? 0, c.revotes ?? 0, c.audits ?? 0, c.registered ?? 0)),
      el('dt', {}, s.facts.time),
      el('dd', {}, s.seconds((r.ms / 1000).toFixed(1))),
    ),
    ...r.notes.map((n) => el('div', { class: 'notice warn' }, el('p', {}, `${s.note}: ${n}`))),
    s.reasonsInEnglish ? el('p', { class: 'hint', lang: 'fr' }, s.reasonsInEnglish) : null,
    r.trustees !== undefined && r.trustees.length > 0
      ? el(
          'div',
          {},
          el('h3', {}, s.trustees),
          dataTable({
            head: [s.trustee, s.fingerprint],
            rows: r.trustees.map((t) =>
              el('tr', {}, el('td', { class: 'num' }, String(t.trustee)), el('td', { class: 'hash' }, t.fingerprint)),
            ),
          }),
        )
      : null,
    el('h3', {}, s.checks),
    checksList(s, r, nf),
    r.trackingCodes !== undefined ? trackingSection(s, r) : null,
    r.result !== undefined ? resultSection(s, r) : null,
  );
}

/** The checks, in order (each heading says its number: the list's own markers are hidden). */
function checksList(s: S, r: VerificationReport, nf: (n: number) => string): HTMLElement {
  return el('ol', { class: 'checks', id: 'checks' }, ...r.checks.map((ch) => checkItem(s, ch, nf)));
}

function checkItem(s: S, ch: CheckReport, nf: (n: number) => string): HTMLElement {
  const title = s.checkTitles[ch.number] ?? ch.title;
  const nFail = ch.failures.length + ch.omitted;
  const statusText = ch.status === 'fail' ? `${s.status.fail} (${s.failures(nFail)})` : s.status[ch.status];
  const counts = Object.entries(ch.counts).map(([k, v]) => `${k} ${nf(v)}`);
  const why =
    ch.status === 'skipped'
      ? ch.number === 10 && ch.failures.length === 0
        ? s.noReceipts
        : ch.skipped
          ? s.skippedWhy(ch.skipped)
          : null
      : null;
  return el(
    'li',
    { class: `check ${ch.status}`, 'data-check': ch.number, 'data-status': ch.status, value: ch.number },
    el(
      'h4',
      {},
      s.check(ch.number, title),
      ' — ',
      el('span', { class: ch.status === 'fail' ? 'error-text' : ch.status === 'pass' ? 'ok-text' : '' }, statusText),
    ),
    counts.length > 0 ? el('p', { class: 'hint' }, `${s.counts}: ${counts.join(', ')}`) : null,
    why !== null ? el('p', { class: 'hint' }, why) : null,
    ch.failures.length > 0
      ? dataTable({
          caption: s.check(ch.number, title),
          captionHidden: true,
          head: [s.file, s.line, s.path, s.reason],
          rows: ch.failures.map((f) =>
            el(
              'tr',
              { class: 'failure' },
              el('td', {}, f.file),
              el('td', { class: 'num' }, f.line === undefined ? '' : String(f.line)),
              el('td', { class: 'hash' }, f.path ?? ''),
              el('td', { lang: 'en' }, f.reason),
            ),
          ),
        })
      : null,
    ch.omitted > 0 ? el('p', {}, s.omitted(ch.omitted)) : null,
  );
}

function trackingSection(s: S, r: VerificationReport): HTMLElement {
  return el(
    'div',
    {},
    el('h3', {}, s.trackingCodes),
    dataTable({
      id: 'tracking',
      head: [s.code, s.codeStatus, s.advice],
      rows: r.trackingCodes!.map((t) =>
        el(
          'tr',
          { 'data-status': t.status },
          el('td', { class: 'code' }, t.code),
          el('td', {}, `${s.codeStatuses[t.status] ?? t.status}${t.line === undefined ? '' : ` (${s.boardLine(t.line)})`}`),
          el('td', { lang: 'en' }, t.advice),
        ),
      ),
    }),
  );
}

function resultSection(s: S, r: VerificationReport): HTMLElement {
  const res = r.result!;
  const profiles = new Map(res.meritProfiles.flatMap((p) => [[p.candidate, p.counts] as const, [p.name, p.counts] as const]));
  return el(
    'div',
    {},
    el('h3', {}, res.source === 'decryption' ? s.result : s.resultPublished),
    dataTable({
      id: 'result',
      head: [s.rank, s.candidate, s.majorityGrade, s.profile],
      rows: res.ranking.ranking.map((c) =>
        el(
          'tr',
          {},
          el('td', { class: 'num' }, String(c.rank)),
          el('td', {}, c.candidate),
          el('td', {}, `${c.majorityGrade.label}${c.mention === '+' ? ' +' : c.mention === '-' ? ' −' : ''}`),
          el('td', { class: 'num' }, (profiles.get(c.candidate) ?? []).map(String).join(' · ')),
        ),
      ),
    }),
  );
}
