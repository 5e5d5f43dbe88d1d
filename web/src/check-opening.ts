/**
 * The independent opening check (check-opening.html): a voter (or anyone) picks or pastes an
 * audit file `{ballot, opening}` saved by the booth, and this page checks it with the library
 * alone — it shares no code with the booth (booth.ts, booth-worker.ts) beyond the library and
 * web/src/common. The election comes from this ballot box (GET /election) or from a file the
 * user picks (offline, or an audit of another box). It shows the tracking code and the
 * revealed grades, or exactly what fails, and looks the tracking code up on the board.
 * @module
 */
import {
  checkBallot,
  checkOpening,
  FormatError,
  initRistretto255,
  manifestLabels,
  parseBallot,
  parseElection,
  parseOpening,
  type Election,
} from '../../src/index.js';
import { parseJson } from '../../src/json/parse.js';
import { el, announce, focusHeading, replace, dataTable } from './common/dom.js';
import { startPage } from './common/layout.js';
import type { Lang } from './common/i18n.js';
import { ApiError, getElection, track, type TrackingAnswer } from './common/api.js';
import { CHECK_OPENING } from './strings/check-opening.js';

type T = (typeof CHECK_OPENING)['en'];

/** The largest file read (an audit of a large ballot is a few hundred KB). */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** What the check found, kept across a language switch. */
type Result =
  | { readonly kind: 'error'; readonly message: (t: T) => string }
  | {
      readonly kind: 'checked';
      readonly election: Election<unknown>;
      readonly trackingCode: string;
      readonly opening: { ok: true; grades: readonly number[] } | { ok: false; reason: string };
      readonly proofs: { ok: true } | { ok: false; reason: string };
      board: { status: 'looking' } | { status: 'answer'; answer: TrackingAnswer } | { status: 'failed'; reason: string };
    };

const S = {
  openingText: '',
  electionFile: null as File | null,
  openingFile: null as File | null,
  result: null as Result | null,
  busy: false,
  focus: false,
};

let redraw: () => void = () => {};

const why = (e: unknown): string =>
  e instanceof FormatError ? `${e.path}: ${e.reason}` : e instanceof ApiError ? e.reason : e instanceof Error ? e.message : String(e);

async function readFile(f: File): Promise<string> {
  if (f.size > MAX_FILE_BYTES) throw new Error(`the file is larger than ${MAX_FILE_BYTES} bytes`);
  return f.text();
}

/** The election: from the file the user chose (public parameters, or a saved GET /election answer), else this box's. */
async function loadElection(): Promise<Election<unknown>> {
  await initRistretto255();
  if (S.electionFile !== null) {
    let json: unknown;
    try {
      json = parseJson(await readFile(S.electionFile), 'election');
      const o = json as { election?: unknown; phase?: unknown };
      return parseElection(typeof o === 'object' && o !== null && 'phase' in o && 'election' in o ? o.election : json);
    } catch (e) {
      throw new ElectionProblem((t) => t.electionFileBad(why(e)));
    }
  }
  try {
    return parseElection((await getElection()).election);
  } catch (e) {
    throw new ElectionProblem((t) => t.electionFailed(why(e)));
  }
}

class ElectionProblem extends Error {
  constructor(readonly message_: (t: T) => string) {
    super('election');
  }
}

function fail(message: (t: T) => string): void {
  S.result = { kind: 'error', message };
}

async function runCheck(): Promise<void> {
  S.busy = true;
  S.result = null;
  redraw();
  try {
    await check();
  } finally {
    S.busy = false;
    S.focus = true;
    redraw();
  }
  const r = S.result as Result | null;
  if (r?.kind === 'checked') await lookUp(r);
}

async function check(): Promise<void> {
  let text = S.openingText.trim();
  if (text === '' && S.openingFile !== null) {
    try {
      text = await readFile(S.openingFile);
    } catch (e) {
      return fail((t) => t.notJson(why(e)));
    }
  }
  if (text === '') return fail((t) => t.noOpening);
  let file: unknown;
  try {
    file = parseJson(text, 'file');
  } catch (e) {
    return fail((t) => t.notJson(why(e)));
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file) || !('ballot' in file) || !('opening' in file))
    return fail((t) => t.notAudit);
  const { ballot: ballotJson, opening: openingJson } = file;
  let election: Election<unknown>;
  try {
    election = await loadElection();
  } catch (e) {
    if (e instanceof ElectionProblem) return fail(e.message_);
    throw e;
  }
  let ballot;
  try {
    ballot = parseBallot(ballotJson, election);
  } catch (e) {
    return fail((t) => t.badBallot(why(e)));
  }
  let opening;
  try {
    opening = parseOpening(openingJson, election);
  } catch (e) {
    return fail((t) => t.badOpening(why(e)));
  }
  const o = checkOpening(election, ballot, opening);
  const b = checkBallot(election, ballot);
  S.result = {
    kind: 'checked',
    election,
    trackingCode: ballot.trackingCode,
    opening: o.ok ? { ok: true, grades: o.grades } : { ok: false, reason: `${o.path}: ${o.reason}` },
    proofs: b.ok ? { ok: true } : { ok: false, reason: `${b.path}: ${b.reason}` },
    board: { status: 'looking' },
  };
}

async function lookUp(r: Extract<Result, { kind: 'checked' }>): Promise<void> {
  try {
    const answer = await track(r.trackingCode);
    if (typeof answer !== 'object' || answer === null || typeof answer.status !== 'string')
      throw new ApiError(200, 'shape', 'not a tracking answer');
    r.board = { status: 'answer', answer };
  } catch (e) {
    r.board = { status: 'failed', reason: why(e) };
  }
  redraw();
  const msg = document.getElementById('board-status')?.textContent;
  if (msg) announce(msg);
}

function boardMessage(t: T, b: Extract<Result, { kind: 'checked' }>['board']): { text: string; ok: boolean } {
  if (b.status === 'looking') return { text: t.boardLooking, ok: true };
  if (b.status === 'failed') return { text: t.boardFailed(b.reason), ok: false };
  const a = b.answer;
  if (a.status === 'audited') return { text: t.boardAudited(a.seq), ok: true };
  if (a.status === 'absent') return { text: t.boardAbsent, ok: false };
  return { text: t.boardCounted, ok: false };
}

function drawResult(t: T, l: Lang, r: Result): Node[] {
  const h = el('h2', { id: 'result-heading', tabindex: -1 }, t.resultHeading);
  if (r.kind === 'error') return [h, el('div', { class: 'notice error', role: 'alert', id: 'result' }, el('p', {}, r.message(t)))];
  const labels = manifestLabels(r.election.manifest, [l]);
  const ok = r.opening.ok && r.proofs.ok;
  const board = boardMessage(t, r.board);
  return [
    h,
    el(
      'div',
      { class: ok ? 'notice ok' : 'notice error', role: ok ? null : 'alert', id: 'result' },
      el('p', { class: r.opening.ok ? 'ok-text' : 'error-text' }, r.opening.ok ? t.openingOk : t.openingFails(r.opening.reason)),
      el('p', { class: r.proofs.ok ? 'ok-text' : 'error-text' }, r.proofs.ok ? t.proofsOk : t.proofsFail(r.proofs.reason)),
    ),
    el('p', {}, t.electionTitle(labels.title)),
    el(
      'dl',
      { class: 'facts' },
      el('dt', {}, t.trackingCode),
      el('dd', { class: 'code tracking-code', id: 'result-tracking-code' }, r.trackingCode),
    ),
    r.opening.ok
      ? dataTable({
          id: 'revealed',
          caption: t.caption,
          head: [t.candidate, t.grade],
          rows: labels.candidates.map((name, j) =>
            el(
              'tr',
              {},
              el('th', { scope: 'row' }, name),
              el('td', {}, labels.grades[(r.opening as { grades: readonly number[] }).grades[j]!]),
            ),
          ),
        })
      : el('p', {}),
    el('h3', {}, t.boardHeading),
    el('p', { id: 'board-status', class: board.ok ? '' : 'error-text' }, board.text),
  ];
}

function render(l: Lang, main: HTMLElement): void {
  const t = CHECK_OPENING[l];
  const fileInput = el('input', {
    type: 'file',
    id: 'opening-file',
    accept: '.json,application/json',
    'aria-describedby': 'opening-file-hint',
    onchange: (e: Event) => {
      S.openingFile = (e.target as HTMLInputElement).files?.[0] ?? null;
    },
  });
  const electionInput = el('input', {
    type: 'file',
    id: 'election-file',
    accept: '.json,application/json',
    'aria-describedby': 'election-hint',
    onchange: (e: Event) => {
      S.electionFile = (e.target as HTMLInputElement).files?.[0] ?? null;
    },
  });
  const paste = el('textarea', {
    id: 'opening-text',
    rows: 4,
    spellcheck: 'false',
    class: 'code',
    oninput: (e: Event) => (S.openingText = (e.target as HTMLTextAreaElement).value),
  });
  paste.value = S.openingText;
  // A redraw that is not a new result (the board's answer, a language switch) keeps the focus.
  const focused = document.activeElement !== null && main.contains(document.activeElement) ? document.activeElement.id : '';
  replace(
    main,
    el('h1', {}, t.title),
    el('p', {}, t.intro),
    el(
      'form',
      {
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void runCheck();
        },
      },
      el('h2', {}, t.fileHeading),
      el('p', {}, el('label', { for: 'opening-file' }, t.fileLabel)),
      el('p', { class: 'hint', id: 'opening-file-hint' }, t.fileHint),
      el('p', {}, fileInput),
      el('p', {}, el('label', { for: 'opening-text' }, t.pasteLabel)),
      paste,
      el('h2', {}, t.electionHeading),
      el('p', { class: 'hint', id: 'election-hint' }, t.electionHint),
      el('p', {}, el('label', { for: 'election-file' }, t.electionFileLabel)),
      el('p', {}, electionInput),
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary', id: 'check' }, t.check)),
      S.busy ? el('p', { class: 'hint', role: 'status' }, t.checking) : null,
    ),
    ...(S.result !== null ? drawResult(t, l, S.result) : []),
  );
  // File inputs cannot be refilled from script: a redraw (language switch) keeps the choices in S
  // but the inputs show none, so the check uses S's files until the user picks others.
  if (!S.focus && focused !== '') document.getElementById(focused)?.focus();
  if (S.focus) {
    S.focus = false;
    const h = document.getElementById('result-heading');
    if (h !== null) focusHeading(h);
  }
}

redraw = startPage({ title: (l) => CHECK_OPENING[l].title, render });
