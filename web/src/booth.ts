/**
 * The voter's booth (index.html): load the election, take the voter's code, the grades, a
 * review, then encrypt in a Web Worker (booth-worker.ts) and let the voter cast or audit
 * (Benaloh). What each step checks and what the booth trusts: docs/pages.md, "The booth".
 *
 * Secrets: the typed code goes to the worker, which derives the credential and keeps it with
 * the ballot's randomness; the page holds only what is public (the credential's public key,
 * the ballot, its tracking code, an audit's opening) and clears the code once used. Nothing
 * here logs.
 * @module
 */
import {
  checkCredentialCode,
  checkOpening,
  CODE_GROUP_SIZE,
  correctCredentialCode,
  initRistretto255,
  manifestLabels,
  parseBallot,
  parseBallotReceipt,
  parseElection,
  parseOpening,
  verifyBallotReceiptSignature,
  FormatError,
  type BallotReceipt,
  type Election,
} from '../../src/index.js';
import { parseJson } from '../../src/json/parse.js';
import { el, announce, focusHeading, download, replace, dataTable } from './common/dom.js';
import { startPage } from './common/layout.js';
import type { Lang } from './common/i18n.js';
import { ApiError, apiUrl, call, getElection, postJson, type ElectionInfo } from './common/api.js';
import { BOOTH } from './strings/booth.js';
import { COMMON } from './strings/common.js';
import type { BoothReply, BoothRequest, BoothResults } from './booth-worker.js';

// ---------------------------------------------------------------------------------------------
// The worker

/** A refusal of the worker (the library's code and reason; never the voter's code). */
class WorkerFailure extends Error {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

type Request = BoothRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** The booth's worker, asked one request at a time (answers matched by id). */
class BoothWorker {
  private readonly worker = new Worker(new URL('./booth-worker.js', import.meta.url), { type: 'module' });
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.onmessage = (e: MessageEvent<BoothReply>) => {
      const p = this.pending.get(e.data.id);
      if (p === undefined) return;
      this.pending.delete(e.data.id);
      if (e.data.ok) p.resolve(e.data.result);
      else p.reject(new WorkerFailure(e.data.code, e.data.reason));
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      for (const p of this.pending.values()) p.reject(new WorkerFailure('worker', e.message || 'the encryption worker stopped'));
      this.pending.clear();
    };
  }

  ask<R extends Request>(req: R): Promise<BoothResults[R['kind']]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      this.worker.postMessage({ ...req, id });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// The page's state (kept outside render: a language switch redraws the current step)

type Step =
  | 'loading'
  | 'closed'
  | 'code'
  | 'grades'
  | 'review'
  | 'encrypting'
  | 'choice'
  | 'auditing'
  | 'audit'
  | 'casting'
  | 'receipt'
  | 'refused'
  | 'fatal';

type CodeProblem =
  | { readonly kind: 'empty' }
  | { readonly kind: 'length'; readonly got: number }
  | { readonly kind: 'character'; readonly position: number }
  | { readonly kind: 'typo'; readonly position: number; readonly suggestion: string }
  | { readonly kind: 'typo-unlocated' }
  | { readonly kind: 'not-registered' }
  | { readonly kind: 'limit'; readonly ballots: number }
  | { readonly kind: 'server'; readonly reason: string };

interface Voter {
  readonly publicKeyHex: string;
  readonly ballots: number;
}

interface AuditView {
  readonly trackingCode: string;
  readonly fileText: string;
  /** The opening checked by this page against the ballot; the revealed grades when it checks. */
  readonly check: { ok: true; grades: readonly number[] } | { ok: false; reason: string };
  /** The revealed grades are the voter's choices. */
  readonly matches: boolean;
  published: { seq: number } | { error: string } | null;
}

const S = {
  step: 'loading' as Step,
  /** Move focus to the step's heading at the next draw (a step change, not a language switch). */
  focus: false,
  focusSummary: false,
  fatal: '',
  info: null as ElectionInfo | null,
  election: null as Election<unknown> | null,
  worker: null as BoothWorker | null,
  /** The code as typed, until it is used (then cleared). */
  code: '',
  codeProblem: null as CodeProblem | null,
  checking: false,
  voter: null as Voter | null,
  grades: [] as (number | null)[],
  showSummary: false,
  enc: null as BoothResults['encrypt'] | null,
  copyNote: '',
  audit: null as AuditView | null,
  castText: '',
  retryNote: '',
  receipt: null as { receipt: BallotReceipt; revote: boolean } | null,
  receiptProblem: '',
  refusal: null as { status: number; code: string; reason: string } | null,
};

let redraw: () => void = () => {};

function go(step: Step): void {
  S.step = step;
  S.focus = true;
  redraw();
}

const SEPARATORS = /[\s\-\u2010-\u2015\u2212._]/g;
const groupOf = (position: number): number => Math.floor(position / CODE_GROUP_SIZE) + 1;

// ---------------------------------------------------------------------------------------------
// Steps' actions

async function load(): Promise<void> {
  try {
    const info = await getElection();
    await initRistretto255(); // compile the WebAssembly module without blocking the page
    let election: Election<unknown>;
    try {
      election = parseElection(info.election);
    } catch (e) {
      throw new Error(BOOTH[lang()].badElection(e instanceof FormatError ? `${e.path}: ${e.reason}` : String(e)), { cause: e });
    }
    S.info = info;
    S.election = election;
    if (info.phase !== 'open') return go('closed');
    S.worker = new BoothWorker();
    await S.worker.ask({ kind: 'init', election: info.election });
    S.grades = election.manifest.candidates.map(() => null);
    go('code');
  } catch (e) {
    S.fatal = e instanceof ApiError && e.status === 0 ? '' : e instanceof Error ? e.message : String(e);
    go('fatal');
  }
}

async function submitCode(): Promise<void> {
  const typed = S.code.trim();
  S.codeProblem = null;
  if (typed === '') return codeFailed({ kind: 'empty' });
  const c = checkCredentialCode(typed);
  if (!c.ok) {
    if (c.problem === 'length') return codeFailed({ kind: 'length', got: typed.replace(SEPARATORS, '').length });
    if (c.problem === 'character') return codeFailed({ kind: 'character', position: c.position ?? 0 });
    const fix = correctCredentialCode(typed);
    if (fix !== null && fix.position !== undefined) return codeFailed({ kind: 'typo', position: fix.position, suggestion: fix.code });
    return codeFailed({ kind: 'typo-unlocated' });
  }
  S.checking = true;
  redraw();
  announce(BOOTH[lang()].codeChecking);
  try {
    const { publicKeyHex } = await S.worker!.ask({ kind: 'credential', code: c.code });
    const { body } = await call(`credentials/${publicKeyHex}`);
    const a = body as { credential?: unknown; registered?: unknown; ballots?: unknown; maxBallots?: unknown };
    if (a.credential !== publicKeyHex || typeof a.registered !== 'boolean' || typeof a.ballots !== 'number')
      throw new ApiError(200, 'shape', 'GET /credentials: not an answer about this credential');
    if (!a.registered) {
      await S.worker!.ask({ kind: 'forget' });
      return codeFailed({ kind: 'not-registered' });
    }
    if (typeof a.maxBallots === 'number' && a.ballots >= a.maxBallots) {
      await S.worker!.ask({ kind: 'forget' });
      return codeFailed({ kind: 'limit', ballots: a.ballots });
    }
    S.code = ''; // used: the worker holds the credential now
    S.voter = { publicKeyHex, ballots: a.ballots };
    S.showSummary = false;
    go('grades');
  } catch (e) {
    codeFailed({ kind: 'server', reason: e instanceof ApiError ? e.reason : e instanceof WorkerFailure ? e.reason : String(e) });
  } finally {
    S.checking = false;
  }
}

function codeFailed(p: CodeProblem): void {
  S.codeProblem = p;
  S.checking = false;
  redraw();
  document.getElementById('code')?.focus();
}

function gradesContinue(): void {
  if (S.grades.some((g) => g === null)) {
    S.showSummary = true;
    S.focusSummary = true;
    redraw();
    return;
  }
  S.showSummary = false;
  go('review');
}

async function encrypt(): Promise<void> {
  S.enc = null;
  S.audit = null;
  S.copyNote = '';
  go('encrypting');
  try {
    S.enc = await S.worker!.ask({ kind: 'encrypt', grades: S.grades as number[] });
    go('choice');
  } catch (e) {
    S.fatal = BOOTH[lang()].encryptFailed(e instanceof Error ? e.message : String(e));
    go('fatal');
  }
}

async function auditBallot(): Promise<void> {
  const enc = S.enc!;
  const election = S.election!;
  go('auditing');
  let openingText: string;
  try {
    ({ openingText } = await S.worker!.ask({ kind: 'audit' }));
  } catch (e) {
    S.fatal = e instanceof Error ? e.message : String(e);
    return go('fatal');
  }
  // The page checks the opening itself, with the library: it does not take the worker's word.
  let check: AuditView['check'];
  try {
    const ballot = parseBallot(parseJson(enc.ballotText, 'ballot'), election);
    const opening = parseOpening(parseJson(openingText, 'opening'), election);
    const r = checkOpening(election, ballot, opening);
    check = r.ok ? { ok: true, grades: r.grades } : { ok: false, reason: `${r.path}: ${r.reason}` };
  } catch (e) {
    check = { ok: false, reason: e instanceof FormatError ? `${e.path}: ${e.reason}` : String(e) };
  }
  const matches = check.ok && check.grades.every((g, j) => g === S.grades[j]);
  const fileText = `{"ballot":${enc.ballotText},"opening":${openingText}}`;
  S.audit = { trackingCode: enc.trackingCode, fileText, check, matches, published: null };
  go('audit');
  try {
    const { body } = await postJson('audits', fileText);
    const b = body as { seq?: unknown; trackingCode?: unknown };
    if (typeof b.seq !== 'number' || b.trackingCode !== enc.trackingCode)
      throw new ApiError(201, 'shape', 'POST /audits: an answer about another ballot');
    S.audit.published = { seq: b.seq };
  } catch (e) {
    S.audit.published = { error: e instanceof ApiError ? e.reason : String(e) };
  }
  redraw();
  const t = BOOTH[lang()];
  announce('seq' in S.audit.published ? t.auditPublished(S.audit.published.seq) : t.auditPublishFailed(S.audit.published.error));
}

async function castBallot(): Promise<void> {
  go('casting');
  try {
    ({ ballotText: S.castText } = await S.worker!.ask({ kind: 'cast' }));
  } catch (e) {
    S.fatal = e instanceof Error ? e.message : String(e);
    return go('fatal');
  }
  await send();
}

const sleep = (ms: number): Promise<void> => new Promise((ok) => setTimeout(ok, ms));

/** Posts the cast ballot; a 503 is sent again (the same text: the box answers a retry with the same receipt). */
async function send(): Promise<void> {
  S.retryNote = '';
  if (S.step !== 'casting') go('casting');
  const MAX_TRIES = 4;
  for (let attempt = 1; ; attempt++) {
    let r: Response;
    try {
      r = await fetch(await apiUrl('ballots'), {
        method: 'POST',
        cache: 'no-store',
        headers: { 'content-type': 'application/json' },
        body: S.castText,
      });
    } catch (e) {
      return refused(0, 'network', e instanceof Error ? e.message : String(e));
    }
    const text = await r.text();
    let body: Record<string, unknown> = {};
    try {
      const b = parseJson(text, 'answer');
      if (typeof b === 'object' && b !== null && !Array.isArray(b)) body = b as Record<string, unknown>;
    } catch {
      // not JSON: reported below by status
    }
    if (r.status === 503 && attempt < MAX_TRIES) {
      const after = Math.min(30, Math.max(1, Number(r.headers.get('retry-after')) || 2));
      S.retryNote = BOOTH[lang()].castRetrying(after);
      redraw();
      announce(S.retryNote);
      await sleep(after * 1000);
      continue;
    }
    if (r.status !== 200 && r.status !== 201)
      return refused(
        r.status,
        typeof body.code === 'string' ? body.code : 'http',
        typeof body.reason === 'string' ? body.reason : `HTTP ${r.status}`,
      );
    return acknowledged(body);
  }
}

function refused(status: number, code: string, reason: string): void {
  S.refusal = { status, code, reason };
  go('refused');
}

function acknowledged(body: Record<string, unknown>): void {
  const enc = S.enc!;
  const election = S.election!;
  S.receipt = null;
  S.receiptProblem = '';
  try {
    const receipt = parseBallotReceipt(body.receipt);
    const problem = !verifyBallotReceiptSignature(receipt, S.info!.receiptKey)
      ? 'its signature is not the ballot box’s'
      : receipt.trackingCode !== enc.trackingCode || receipt.ballotHash !== enc.ballotHash
        ? 'it names another ballot'
        : receipt.electionId !== election.manifest.electionId || receipt.fingerprint !== election.fingerprintHex
          ? 'it names another election'
          : '';
    if (problem !== '') S.receiptProblem = problem;
    else S.receipt = { receipt, revote: body.revote === true || (S.voter?.ballots ?? 0) > 0 };
  } catch (e) {
    S.receiptProblem = e instanceof FormatError ? `${e.path}: ${e.reason}` : String(e);
  }
  void S.worker!.ask({ kind: 'forget' }); // the credential is no longer needed here
  go('receipt');
}

// ---------------------------------------------------------------------------------------------
// Drawing

let current: Lang = 'en';
const lang = (): Lang => current;

function heading(text: string): HTMLHeadingElement {
  return el('h2', { id: 'step-heading', tabindex: -1 }, text);
}

function labelsOf(l: Lang): ReturnType<typeof manifestLabels> | null {
  return S.election === null ? null : manifestLabels(S.election.manifest, [l]);
}

function render(l: Lang, main: HTMLElement): void {
  current = l;
  const t = BOOTH[l];
  const labels = labelsOf(l);
  const h1 = el('h1', {}, labels?.title ?? t.pageTitle);
  let body: (Node | null)[];
  switch (S.step) {
    case 'loading':
      body = [el('p', { role: 'status' }, t.loading)];
      break;
    case 'fatal':
      body = [el('div', { class: 'notice error', role: 'alert' }, el('p', {}, S.fatal === '' ? COMMON[l].noServer : S.fatal))];
      break;
    case 'closed':
      body = drawClosed(t);
      break;
    case 'code':
      body = drawCode(t);
      break;
    case 'grades':
      body = drawGrades(t, labels!);
      break;
    case 'review':
      body = drawReview(t, labels!);
      break;
    case 'encrypting':
    case 'auditing':
    case 'casting':
      body = [
        heading(S.step === 'encrypting' ? t.encrypting : S.step === 'auditing' ? t.auditing : t.casting),
        el('p', { class: 'hint', role: 'status' }, S.step === 'casting' ? S.retryNote : ''),
      ];
      break;
    case 'choice':
      body = drawChoice(t);
      break;
    case 'audit':
      body = drawAudit(t, labels!);
      break;
    case 'receipt':
      body = drawReceipt(t);
      break;
    case 'refused':
      body = drawRefused(t);
      break;
  }
  // A redraw in the same step (an answer arrived, a language switch) keeps the focus where it was.
  const focused = document.activeElement !== null && main.contains(document.activeElement) ? document.activeElement.id : '';
  replace(main, h1, ...body);
  if (!S.focus && focused !== '') document.getElementById(focused)?.focus();
  if (S.focus) {
    S.focus = false;
    const h = document.getElementById('step-heading');
    if (h !== null) focusHeading(h);
    else focusHeading(h1);
  }
  if (S.focusSummary) {
    S.focusSummary = false;
    document.getElementById('error-summary')?.focus();
  }
}

function drawClosed(t: (typeof BOOTH)['en']): (Node | null)[] {
  const phase = S.info!.phase;
  return [
    heading(t.closedHeading),
    el('p', {}, t.closed(t.phases[phase] ?? phase)),
    el(
      'ul',
      {},
      el('li', {}, el('a', { href: 'board.html' }, t.closedBoard)),
      el('li', {}, el('a', { href: 'results.html' }, t.closedResults)),
    ),
  ];
}

function codeMessage(t: (typeof BOOTH)['en'], p: CodeProblem): string {
  switch (p.kind) {
    case 'empty':
      return t.codeEmpty;
    case 'length':
      return t.codeLength(p.got);
    case 'character':
      return t.codeCharacter(p.position + 1, groupOf(p.position));
    case 'typo':
      return t.codeTypo(p.position + 1, groupOf(p.position));
    case 'typo-unlocated':
      return t.codeTypoUnlocated;
    case 'not-registered':
      return t.codeNotRegistered;
    case 'limit':
      return t.codeLimit(p.ballots);
    case 'server':
      return t.codeServerError(p.reason);
  }
}

function drawCode(t: (typeof BOOTH)['en']): (Node | null)[] {
  const p = S.codeProblem;
  const input = el('input', {
    id: 'code',
    name: 'code',
    type: 'text',
    class: 'code',
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'characters',
    autocorrect: 'off',
    inputmode: 'text',
    'aria-describedby': p ? 'code-hint code-error' : 'code-hint',
    'aria-invalid': p ? 'true' : null,
    oninput: (e: Event) => (S.code = (e.target as HTMLInputElement).value),
  });
  input.value = S.code;
  let suggestion: Node | null = null;
  if (p?.kind === 'typo') {
    const at = p.position + Math.floor(p.position / CODE_GROUP_SIZE); // index in the grouped form
    const ch = p.suggestion[at]!;
    suggestion = el(
      'div',
      { class: 'notice warn', id: 'code-suggestion' },
      el('p', {}, t.codeSuggestion),
      el(
        'p',
        { class: 'code suggestion' },
        p.suggestion.slice(0, at),
        el('mark', {}, ch),
        el('span', { class: 'visually-hidden' }, ` ${t.codeCorrectedMark(ch)} `),
        p.suggestion.slice(at + 1),
      ),
      el(
        'button',
        {
          type: 'button',
          id: 'use-correction',
          onclick: () => {
            S.code = p.suggestion;
            void submitCode();
          },
        },
        t.codeUseCorrection,
      ),
    );
  }
  return [
    heading(t.codeHeading),
    el('p', {}, t.codeIntro),
    el(
      'form',
      {
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          void submitCode();
        },
      },
      el('p', {}, el('label', { for: 'code' }, t.codeLabel)),
      el('p', { id: 'code-hint', class: 'hint' }, t.codeHint),
      p ? el('p', { id: 'code-error', class: 'error-text', role: 'alert' }, codeMessage(t, p)) : null,
      input,
      suggestion,
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, t.codeContinue)),
      S.checking ? el('p', { class: 'hint' }, t.codeChecking) : null,
    ),
  ];
}

function drawGrades(t: (typeof BOOTH)['en'], labels: ReturnType<typeof manifestLabels>): (Node | null)[] {
  const M = labels.candidates.length;
  const graded = (): number => S.grades.filter((g) => g !== null).length;
  const count = el('p', { id: 'graded-count', 'aria-live': 'polite' }, t.gradedCount(graded(), M));
  const ungraded = S.grades.flatMap((g, j) => (g === null ? [j] : []));
  const summary =
    S.showSummary && ungraded.length > 0
      ? el(
          'div',
          { class: 'error-summary', id: 'error-summary', role: 'alert', tabindex: -1, 'aria-labelledby': 'error-summary-title' },
          el('h3', { id: 'error-summary-title' }, t.errorSummaryHeading),
          el(
            'ul',
            {},
            ...ungraded.map((j) =>
              el(
                'li',
                {},
                el(
                  'a',
                  {
                    href: `#grade-${j}-0`,
                    onclick: (e: Event) => {
                      e.preventDefault();
                      document.getElementById(`grade-${j}-0`)?.focus();
                    },
                  },
                  t.ungraded(labels.candidates[j]!),
                ),
              ),
            ),
          ),
        )
      : null;
  const fieldsets = labels.candidates.map((name, j) => {
    const missing = S.showSummary && S.grades[j] === null;
    return el(
      'fieldset',
      { id: `candidate-${j}`, class: missing ? 'grades invalid' : 'grades', 'aria-describedby': missing ? `candidate-${j}-error` : null },
      el('legend', {}, name),
      missing ? el('p', { id: `candidate-${j}-error`, class: 'error-text' }, t.ungradedField) : null,
      ...labels.grades.map((grade, g) =>
        el(
          'div',
          { class: 'grade' },
          el('input', {
            type: 'radio',
            name: `grade-${j}`,
            id: `grade-${j}-${g}`,
            value: g,
            checked: S.grades[j] === g,
            onchange: () => {
              S.grades[j] = g;
              count.textContent = t.gradedCount(graded(), M);
            },
          }),
          el('label', { for: `grade-${j}-${g}` }, grade),
        ),
      ),
    );
  });
  return [
    heading(t.gradesHeading),
    S.voter !== null && S.voter.ballots > 0
      ? el('div', { class: 'notice warn', id: 'revote-notice' }, el('p', {}, t.alreadyVoted(S.voter.ballots)))
      : null,
    el('p', {}, t.gradesIntro),
    summary,
    el(
      'form',
      {
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          gradesContinue();
        },
      },
      ...fieldsets,
      count,
      el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, t.gradesContinue)),
    ),
  ];
}

function gradesTable(caption: string, head: string[], rows: string[][]): HTMLElement {
  return dataTable({
    caption,
    head,
    rows: rows.map(([first, ...rest]) => el('tr', {}, el('th', { scope: 'row' }, first), ...rest.map((c) => el('td', {}, c)))),
  });
}

function drawReview(t: (typeof BOOTH)['en'], labels: ReturnType<typeof manifestLabels>): (Node | null)[] {
  return [
    heading(t.reviewHeading),
    el('p', {}, t.reviewIntro),
    gradesTable(
      t.reviewCaption,
      [t.reviewCandidate, t.reviewGrade],
      labels.candidates.map((name, j) => [name, labels.grades[S.grades[j]!]!]),
    ),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', class: 'primary', onclick: () => void encrypt() }, t.reviewEncrypt),
      el('button', { type: 'button', onclick: () => go('grades') }, t.reviewChange),
    ),
  ];
}

function trackingCodeView(t: (typeof BOOTH)['en'], code: string): (Node | null)[] {
  return [
    el('p', { class: 'tracking-label', id: 'tracking-label' }, t.trackingLabel),
    el('p', { class: 'tracking-code code', id: 'tracking-code' }, code),
  ];
}

function drawChoice(t: (typeof BOOTH)['en']): (Node | null)[] {
  const enc = S.enc!;
  return [
    heading(t.trackingHeading),
    ...trackingCodeView(t, enc.trackingCode),
    el(
      'div',
      { class: 'actions' },
      el(
        'button',
        {
          type: 'button',
          onclick: () => {
            navigator.clipboard
              .writeText(enc.trackingCode)
              .then(() => (S.copyNote = BOOTH[lang()].copied))
              .catch(() => (S.copyNote = BOOTH[lang()].copyFailed))
              .finally(() => {
                redraw();
                announce(S.copyNote);
              });
          },
        },
        t.copy,
      ),
    ),
    S.copyNote !== '' ? el('p', { class: 'hint' }, S.copyNote) : null,
    el('p', {}, t.trackingExplain),
    el('p', { class: 'hint', id: 'backend' }, t.encryptedWith(Math.round(enc.ms), enc.backend)),
    el('p', {}, t.choiceIntro),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', class: 'primary', id: 'cast', onclick: () => void castBallot() }, t.cast),
      el('button', { type: 'button', id: 'audit', onclick: () => void auditBallot() }, t.audit),
    ),
  ];
}

function drawAudit(t: (typeof BOOTH)['en'], labels: ReturnType<typeof manifestLabels>): (Node | null)[] {
  const a = S.audit!;
  const ok = a.check.ok && a.matches;
  const verdict = ok ? t.auditOk : a.check.ok ? t.auditMismatch : t.auditBad(a.check.reason);
  const revealed = a.check.ok ? a.check.grades : null;
  const fileName = `audit-${a.trackingCode.slice(0, 5)}.json`;
  return [
    heading(t.auditHeading),
    ...trackingCodeView(t, a.trackingCode),
    el('div', { class: ok ? 'notice ok' : 'notice error', role: ok ? 'status' : 'alert', id: 'audit-verdict' }, el('p', {}, verdict)),
    gradesTable(
      t.auditCaption,
      [t.reviewCandidate, t.auditChosen, t.auditRevealed],
      labels.candidates.map((name, j) => [name, labels.grades[S.grades[j]!]!, revealed ? labels.grades[revealed[j]!]! : '—']),
    ),
    a.published === null
      ? el('p', { class: 'hint' }, t.auditPublishing)
      : 'seq' in a.published
        ? el('p', { id: 'audit-published' }, t.auditPublished(a.published.seq))
        : el('p', { class: 'error-text', id: 'audit-published' }, t.auditPublishFailed(a.published.error)),
    el('p', {}, t.auditCheckElsewhere),
    el('p', {}, el('code', { class: 'code' }, `mjvote check-opening ${fileName} --election election.json`)),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', id: 'save-audit', onclick: () => download(fileName, a.fileText) }, t.auditSave),
      el('a', { href: 'check-opening.html', class: 'button' }, t.auditCheckLink),
    ),
    el(
      'div',
      { class: 'actions' },
      el('button', { type: 'button', class: 'primary', id: 'encrypt-again', onclick: () => void encrypt() }, t.auditAgain),
      el('button', { type: 'button', onclick: () => go('grades') }, t.auditChange),
    ),
  ];
}

function drawReceipt(t: (typeof BOOTH)['en']): (Node | null)[] {
  if (S.receipt === null)
    return [heading(t.refusalHeading), el('div', { class: 'notice error', role: 'alert' }, el('p', {}, t.receiptBad(S.receiptProblem)))];
  const { receipt, revote } = S.receipt;
  const time = new Date(receipt.time);
  return [
    heading(t.receiptHeading),
    el('p', {}, t.receiptIntro),
    revote ? el('div', { class: 'notice warn', id: 'receipt-revote' }, el('p', {}, t.receiptRevote)) : null,
    el(
      'dl',
      { class: 'facts', id: 'receipt' },
      el('dt', {}, t.receiptTracking),
      el('dd', { class: 'code tracking-code', id: 'receipt-tracking-code' }, receipt.trackingCode),
      el('dt', {}, t.receiptSeq),
      el('dd', {}, String(receipt.seq)),
      el('dt', {}, t.receiptTime),
      el(
        'dd',
        {},
        el(
          'time',
          { datetime: receipt.time },
          time.toLocaleString(lang() === 'fr' ? 'fr-FR' : 'en-GB', { timeZone: 'UTC', timeZoneName: 'short' }),
        ),
      ),
      el('dt', {}, t.receiptEntryHash),
      el('dd', { class: 'hash' }, receipt.entryHash),
    ),
    el(
      'div',
      { class: 'actions' },
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'save-receipt',
          onclick: () => download(`receipt-${receipt.trackingCode.slice(0, 5)}.json`, JSON.stringify(receipt)),
        },
        t.receiptSave,
      ),
      el('a', { class: 'button', href: `board.html?code=${encodeURIComponent(receipt.trackingCode)}` }, t.receiptBoard),
    ),
    el('p', {}, t.receiptKeep),
    el('p', {}, t.receiptRevoteExplain),
  ];
}

function drawRefused(t: (typeof BOOTH)['en']): (Node | null)[] {
  const r = S.refusal!;
  const message = t.refusals[r.code] ?? t.refusalOther(r.status, r.reason);
  const retryable = r.code === 'network' || r.code === 'busy' || r.code === 'stopping';
  const fresh = r.code === 'audited' || r.code === 'replay';
  return [
    heading(t.refusalHeading),
    el('div', { class: 'notice error', role: 'alert', id: 'refusal' }, el('p', {}, message)),
    el(
      'div',
      { class: 'actions' },
      retryable ? el('button', { type: 'button', class: 'primary', onclick: () => void send() }, t.tryAgain) : null,
      fresh ? el('button', { type: 'button', class: 'primary', onclick: () => void encrypt() }, t.encryptAgain) : null,
      el('a', { class: 'button', href: 'index.html' }, t.startAgain),
    ),
  ];
}

redraw = startPage({
  page: 'vote',
  title: (l) => {
    const labels = labelsOf(l);
    return labels ? `${BOOTH[l].pageTitle} · ${labels.title}` : BOOTH[l].pageTitle;
  },
  render,
});
void load();
