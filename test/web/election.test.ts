/**
 * A whole election through the pages (issue 23), each role as it would run it:
 *
 * - the trustees and the organiser with the commands, each its own process (test/web/election-cli.ts):
 *   identities, manifest (French, with an English translation), 20 registered voters, the key
 *   ceremony, open; `mjvote serve` serving the box and the pages;
 * - 20 voters in the booth in Chromium (some in French, some in English, some on a phone): one
 *   mistypes a character of their code and takes the correction offered, one first types a code
 *   that is not registered and is refused, one audits a ballot and checks the saved opening on
 *   the independent page before casting, two vote again later;
 * - the organiser closes and tallies through the running server; two trustees decrypt with
 *   `mjvote trustee decrypt`; the organiser publishes;
 * - the results page shows the ranking that `mjvote verify` recomputes; the board page finds
 *   every voter's tracking code counted (their last) or superseded (a revote's first); the
 *   auditor's page reports every check passing; on a tampered copy of the record it names the
 *   failing check.
 *
 * With MJVOTE_SCREENSHOTS=DIR it also saves a screenshot of each page (and the booth's steps) at
 * desktop and phone width into DIR (docs/screenshots/ holds the committed ones).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { generateCredentialCode, checkCredentialCode } from '../../src/election/credential.js';
import { CROCKFORD_ALPHABET } from '../../src/election/base32.js';
import { browserTests } from '../helpers/chromium.js';
import { builtPages, launchBrowser, staticSite, type StaticSite, type WebBrowser } from './harness.js';
import { cliElection, mjvote, ok, serve, type CliElection, type Served } from './election-cli.js';
import { BOOTH } from '../../web/src/strings/booth.js';
import { CHECK_OPENING } from '../../web/src/strings/check-opening.js';

const CHROMIUM = browserTests('test/web/election.test.ts');
const SHOTS = process.env['MJVOTE_SCREENSHOTS'];

const CANDIDATES = [
  { id: 'c1', fr: 'Ada Lovelace', en: 'Ada Lovelace' },
  { id: 'c2', fr: 'Alan Turing', en: 'Alan Turing' },
  { id: 'c3', fr: 'Grace Hopper', en: 'Grace Hopper' },
  { id: 'c4', fr: 'Edsger Dijkstra', en: 'Edsger Dijkstra' },
  { id: 'c5', fr: 'Barbara Liskov', en: 'Barbara Liskov' },
];
const GRADES = {
  fr: ['Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant'],
  en: ['Very good', 'Good', 'Fairly good', 'Passable', 'Poor'],
};
const VOTERS = 20;
const MISTYPES = 4;
const WRONG_CODE_FIRST = 5;
const AUDITS = 6;
const REVOTERS = [2, 9];

/** Seeded grades (mulberry32): the same election on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(2026);
const someGrades = (): number[] => CANDIDATES.map(() => Math.floor(random() * GRADES.fr.length));

interface VoterPlan {
  readonly voter: number;
  readonly grades: readonly number[];
  readonly lang: 'fr' | 'en';
  readonly phone: boolean;
}
const firstRound: VoterPlan[] = Array.from({ length: VOTERS }, (_, v) => ({
  voter: v,
  grades: someGrades(),
  lang: v % 3 === 0 ? 'en' : 'fr',
  phone: v % 4 === 1,
}));
const secondRound: VoterPlan[] = REVOTERS.map((v) => ({ voter: v, grades: someGrades(), lang: 'fr', phone: false }));

/** One character of a valid code changed (its checksum locates and corrects it). */
function mistype(code: string): string {
  const compact = code.replace(/-/g, '');
  const i = 9;
  const other = CROCKFORD_ALPHABET[(CROCKFORD_ALPHABET.indexOf(compact[i]!) + 7) % 32]!;
  return compact.slice(0, i) + other + compact.slice(i + 1);
}

describe.skipIf(CHROMIUM.skip)('a whole election through the pages', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mjvote-pages-election-'));
  let e: CliElection;
  let served: Served;
  let web: WebBrowser;
  let tamperedSite: StaticSite | null = null;
  /** Each voter's tracking codes, in the order cast. */
  const cast = new Map<number, string[]>();
  let auditedCode = '';

  beforeAll(async () => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    e = await cliElection(tmp, { voters: VOTERS, candidates: CANDIDATES, grades: GRADES });
    served = await serve(e.dir, ['--workers', '1', '--pages', (await builtPages()).dir]);
    web = await launchBrowser(CHROMIUM.executable(), () => served.url);
  });
  afterAll(async () => {
    await web?.close();
    await served?.stop();
    await tamperedSite?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Saves the page at desktop (1280 px) and phone (375 px) width, whatever its own viewport. */
  async function shot(page: Page, name: string): Promise<void> {
    if (!SHOTS) return;
    const own = page.viewportSize();
    for (const [width, height, suffix] of [
      [1280, 900, 'desktop'],
      [375, 740, 'phone'],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.screenshot({
        path: join(SHOTS, `${name}-${suffix}.png`),
        fullPage: true,
        scale: 'css',
        animations: 'disabled',
        caret: 'hide',
      });
    }
    if (own) await page.setViewportSize(own);
  }
  async function atStep(page: Page, text: string): Promise<void> {
    await page.waitForFunction((t) => document.getElementById('step-heading')?.textContent === t, text);
  }

  /** One voter in the booth, from the code to the receipt (or to an audit, then the receipt). */
  async function vote(plan: VoterPlan, opts: { shots?: boolean } = {}): Promise<void> {
    const t = BOOTH[plan.lang];
    const page = await web.page({ phone: plan.phone, locale: plan.lang === 'fr' ? 'fr-FR' : 'en-GB' });
    page.setDefaultTimeout(120_000);
    await page.goto(`${served.url}/`);
    await atStep(page, t.codeHeading);
    if (opts.shots) await shot(page, 'booth-1-code');
    const code = e.codes[plan.voter]!;
    if (plan.voter === WRONG_CODE_FIRST && !cast.has(plan.voter)) {
      let stranger = generateCredentialCode();
      while (e.codes.includes(stranger)) stranger = generateCredentialCode();
      await page.fill('#code', stranger);
      await page.press('#code', 'Enter');
      await page.waitForFunction((m) => document.getElementById('code-error')?.textContent === m, t.codeNotRegistered);
      expect(await page.textContent('#step-heading')).toBe(t.codeHeading); // refused before grading
    }
    if (plan.voter === MISTYPES && !cast.has(plan.voter)) {
      const typed = mistype(code);
      expect(checkCredentialCode(typed).ok).toBe(false);
      await page.fill('#code', typed);
      await page.press('#code', 'Enter');
      await page.waitForSelector('#use-correction');
      expect(await page.textContent('#code-error')).toBe(t.codeTypo(10, 3));
      await page.click('#use-correction'); // submits the corrected code
    } else {
      await page.fill('#code', code);
      await page.press('#code', 'Enter');
    }
    await atStep(page, t.gradesHeading);
    if (cast.has(plan.voter)) expect(await page.textContent('#revote-notice')).toBe(t.alreadyVoted(cast.get(plan.voter)!.length));
    for (const [j, g] of plan.grades.entries()) await page.check(`#grade-${j}-${g}`);
    if (opts.shots) await shot(page, 'booth-2-grades');
    await page.click('button[type=submit]');
    await atStep(page, t.reviewHeading);
    expect(await page.$$eval('tbody tr td:last-child', (tds) => tds.map((td) => td.textContent))).toEqual(
      plan.grades.map((g) => GRADES[plan.lang][g]),
    );
    if (opts.shots) await shot(page, 'booth-3-review');
    await page.click('text=' + t.reviewEncrypt);
    await atStep(page, t.trackingHeading);
    expect(await page.textContent('#backend')).toMatch(/WebAssembly/);
    if (opts.shots) await shot(page, 'booth-4-tracking-code');
    if (plan.voter === AUDITS && !cast.has(plan.voter)) {
      auditedCode = (await page.textContent('#tracking-code'))!;
      await page.click('#audit');
      await atStep(page, t.auditHeading);
      expect(await page.textContent('#audit-verdict')).toBe(t.auditOk);
      await page.waitForSelector('#audit-published');
      await shot(page, 'booth-5-audit');
      const [d] = (await Promise.all([page.waitForEvent('download'), page.click('#save-audit')])) as [Download, void];
      const auditFile = join(tmp, `audit-${plan.voter}.json`);
      writeFileSync(auditFile, readFileSync((await d.path())!));
      // The independent page checks the saved file, and finds the opened ballot on the board.
      const C = CHECK_OPENING[plan.lang];
      const checker = await page.context().newPage();
      checker.setDefaultTimeout(120_000);
      await checker.goto(`${served.url}/check-opening.html`);
      await checker.waitForSelector('#opening-file');
      await checker.setInputFiles('#opening-file', auditFile);
      await checker.click('#check');
      await checker.waitForSelector('#board-status');
      await checker.waitForFunction(() => /\d/.test(document.getElementById('board-status')?.textContent ?? ''));
      expect(await checker.textContent('#result')).toBe(C.openingOk + C.proofsOk);
      expect(await checker.textContent('#result-tracking-code')).toBe(auditedCode);
      expect(await checker.$$eval('#revealed tbody tr td:last-child', (tds) => tds.map((td) => td.textContent))).toEqual(
        plan.grades.map((g) => GRADES[plan.lang][g]),
      );
      await shot(checker, 'check-opening');
      await checker.close();
      await page.click('#encrypt-again');
      await atStep(page, t.trackingHeading);
      expect(await page.textContent('#tracking-code')).not.toBe(auditedCode);
    }
    const code2 = (await page.textContent('#tracking-code'))!;
    await page.click('#cast');
    await atStep(page, t.receiptHeading);
    expect(await page.textContent('#receipt-tracking-code')).toBe(code2);
    if (cast.has(plan.voter)) expect(await page.$('#receipt-revote')).not.toBeNull();
    if (opts.shots) await shot(page, 'booth-6-receipt');
    cast.set(plan.voter, [...(cast.get(plan.voter) ?? []), code2]);
    await page.context().close();
  }

  it('20 voters vote in the booth: a mistyped code corrected, a wrong code refused, an audit checked on the independent page, two revotes', async () => {
    // Two voters alone first, for the screenshots at both widths; then the others three at a time.
    await vote({ ...firstRound[0]!, lang: 'fr', phone: false }, { shots: true });
    await vote({ ...firstRound[1]!, lang: 'fr', phone: true });
    const rest = [...firstRound.slice(2), ...secondRound];
    let next = 0;
    await Promise.all(
      Array.from({ length: 3 }, async () => {
        while (next < rest.length) {
          const plan = rest[next++]!;
          // A revote waits for the voter's first ballot.
          while (secondRound.includes(plan) && !cast.has(plan.voter)) await new Promise((r) => setTimeout(r, 100));
          await vote(plan);
        }
      }),
    );
    expect([...cast.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: VOTERS }, (_, v) => v));
    for (const v of REVOTERS) expect(cast.get(v)).toHaveLength(2);
    const info = (await (await fetch(`${served.url}/election`)).json()) as { ballots: number; voters: number; audits: number };
    expect(info).toMatchObject({ ballots: VOTERS + REVOTERS.length, voters: VOTERS, audits: 1 });
    expect(web.problems).toEqual([]);
  });

  it('the board page finds every tracking code: the last of each voter counted, a revote’s first superseded, the audited one audited', async () => {
    const page = await web.page();
    page.setDefaultTimeout(120_000);
    await page.goto(`${served.url}/board.html?lang=en`);
    await page.waitForSelector('#feed[data-feed="live"]');
    const lookups: [string, string][] = [...cast.values()].flatMap((codes) =>
      codes.map((c, i): [string, string] => [c, i === codes.length - 1 ? 'counted' : 'superseded']),
    );
    lookups.push([auditedCode, 'audited']);
    for (const [code, status] of lookups) {
      await page.fill('#tracking-code', code);
      await page.press('#tracking-code', 'Enter');
      await page.waitForSelector(`#tracking-result[data-status="${status}"]`);
      expect(await page.inputValue('#tracking-code')).toBe(code);
    }
    await shot(page, 'board-found');
    const phone = await web.page({ phone: true });
    await phone.goto(`${served.url}/board.html?lang=fr&code=${cast.get(0)![0]}`);
    await phone.waitForSelector('#tracking-result[data-status="counted"]');
    await phone.context().close();
    await page.context().close();
  });

  it('the organiser closes and tallies through the server, two trustees decrypt, the organiser publishes', async () => {
    await ok(['election', 'close', e.dir]);
    await ok(['election', 'tally', e.dir]);
    const shares = [await e.decrypt(1), await e.decrypt(3)];
    await ok(['election', 'publish', e.dir, ...shares.flatMap((s) => ['--shares', s])]);
    expect((await fetch(`${served.url}/record/result.json`)).status).toBe(200);
  });

  it('the results page shows the ranking mjvote verify recomputes, in both languages', async () => {
    const v = await mjvote(['verify', e.dir, '--json']);
    expect(v.code, v.stderr).toBe(0);
    const report = JSON.parse(v.stdout) as {
      ok: boolean;
      result: { ranking: { ranking: { candidate: string; rank: number; majorityGradeIndex: number }[] } };
    };
    expect(report.ok).toBe(true);
    const expected = report.result.ranking.ranking;
    for (const [lang, phone] of [
      ['fr', false],
      ['en', true],
    ] as const) {
      const page = await web.page({ phone });
      page.setDefaultTimeout(120_000);
      await page.goto(`${served.url}/results.html?lang=${lang}`);
      await page.waitForSelector('#ranking');
      const rows = await page
        .locator('#ranking tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [
            Number(tr.getAttribute('data-rank')),
            tr.querySelector('.candidate')!.textContent,
            Number(tr.querySelector('.grade')!.getAttribute('data-grade')),
          ]),
        );
      const name = (fr: string): string => CANDIDATES.find((c) => c.fr === fr)![lang];
      expect(rows).toEqual(expected.map((c) => [c.rank, name(c.candidate), c.majorityGradeIndex]));
      if (!phone) {
        await shot(page, 'results');
        // The record in one file: the link downloads an archive that tar extracts and mjvote verify accepts.
        const [d] = (await Promise.all([page.waitForEvent('download'), page.click('#record-archive a')])) as [Download, void];
        expect(d.suggestedFilename()).toBe('pages-e2e-record.tar');
        const out = join(tmp, 'downloaded-record');
        mkdirSync(out);
        execFileSync('tar', ['-xf', (await d.path())!, '-C', out]);
        const extracted = await mjvote(['verify', join(out, 'pages-e2e-record'), '--json']);
        expect(extracted.code, extracted.stderr).toBe(0);
        expect(JSON.parse(extracted.stdout).result).toEqual(report.result);
      }
      await page.context().close();
    }
  });

  it('the auditor’s page verifies the published record: every check passes', async () => {
    for (const phone of [false, true]) {
      const page = await web.page({ phone });
      page.setDefaultTimeout(300_000);
      await page.goto(`${served.url}/verify.html?lang=en`);
      await page.getByLabel('Tracking codes to look up (optional)').fill([...cast.values()].map((c) => c.at(-1)).join('\n'));
      await page.getByRole('button', { name: 'Verify the record' }).click();
      await page.waitForSelector('#verdict');
      expect(await page.textContent('#verdict')).toMatch(/^VERIFIED: all \d+ checks pass\.$/);
      expect(await page.$$eval('#tracking tbody tr', (rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(
        Array(VOTERS).fill('counted'),
      );
      if (!phone) await shot(page, 'verify');
      await page.context().close();
    }
    expect(web.problems).toEqual([]);
  });

  it('on a tampered copy of the record, the auditor’s page names the failing check', async () => {
    const copy = join(tmp, 'tampered');
    cpSync(e.dir, copy, { recursive: true, filter: (src) => !src.includes('/private') });
    const resultPath = join(copy, 'result.json');
    const result = JSON.parse(readFileSync(resultPath, 'utf8')) as { meritProfiles: { counts: string[] }[] };
    // One grade of the first candidate moved to the next grade: the published result lies.
    const counts = result.meritProfiles[0]!.counts;
    const from = counts.findIndex((n) => n !== '0');
    counts[from] = String(Number(counts[from]) - 1);
    counts[(from + 1) % counts.length] = String(Number(counts[(from + 1) % counts.length]) + 1);
    writeFileSync(resultPath, JSON.stringify(result));
    // The record's files and the pages, as a static host would serve them (no Range: the page reads the board once more).
    tamperedSite = await staticSite(new Map([['/record/', copy]]));
    const origin = tamperedSite.origin;
    const watcher = await launchBrowser(CHROMIUM.executable(), () => origin);
    try {
      const page = await watcher.page();
      page.setDefaultTimeout(300_000);
      await page.goto(`${origin}/verify.html?lang=en`);
      await page.getByRole('button', { name: 'Verify the record' }).click();
      await page.waitForSelector('#verdict');
      expect(await page.textContent('#verdict')).toMatch(/^NOT VERIFIED/);
      const failing = await page.$$eval('#checks li[data-status="fail"]', (lis) => lis.map((li) => Number(li.getAttribute('data-check'))));
      const v = await mjvote(['verify', copy, '--json']);
      const report = JSON.parse(v.stdout) as { checks: { number: number; status: string }[] };
      expect(failing).toEqual(report.checks.filter((c) => c.status === 'fail').map((c) => c.number));
      expect(failing.length).toBeGreaterThan(0);
      await shot(page, 'verify-tampered');
      expect(watcher.problems).toEqual([]);
    } finally {
      await watcher.close();
    }
  });
});
