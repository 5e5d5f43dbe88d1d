/**
 * The booth (index.html) and the opening check (check-opening.html) in headless Chromium,
 * against a real ballot box (`serveBallotBox` with the built pages): voters vote with the
 * keyboard, mistype their codes, audit, revote and get refused, and Node checks what reached
 * the board. axe-core must find nothing at every step, at desktop and at phone width, and the
 * pages must raise no error nor ask another origin.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { serveBallotBox, type RunningBallotBox } from '../../src/server/node-http.js';
import { generateCredentialCode } from '../../src/election/credential.js';
import { parseBallotReceipt, verifyBallotReceiptSignature } from '../../src/board/receipt.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { electionToJson } from '../../src/election/election.js';
import { main } from '../../src/cli/main.js';
import { browserTests } from '../helpers/chromium.js';
import { electionFixture, type ElectionFixture } from '../server/fixture.js';
import { axeViolations, launchBrowser, sitePages, type WebBrowser } from './harness.js';
import { BOOTH } from '../../web/src/strings/booth.js';
import { CHECK_OPENING } from '../../web/src/strings/check-opening.js';

const CHROMIUM = browserTests('test/web/booth.test.ts');
const FR = BOOTH.fr;
const EN = BOOTH.en;

describe.skipIf(CHROMIUM.skip)('the booth in Chromium', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mjvote-booth-'));
  let srv: RunningBallotBox;
  let web: WebBrowser;
  let f: ElectionFixture;

  beforeAll(async () => {
    f = electionFixture(tmp, 'booth', { voters: 6, languages: true });
    srv = await serveBallotBox(f.dir, { port: 0, checker: { workers: 1 }, pages: await sitePages() });
    web = await launchBrowser(CHROMIUM.executable(), () => srv.url);
  });
  afterAll(async () => {
    await web?.close();
    await srv?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const api = async (path: string): Promise<any> => (await fetch(`${srv.url}/${path}`)).json();
  const boardEntries = async (): Promise<any[]> =>
    (await (await fetch(`${srv.url}/board`)).text())
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l));

  /** axe finds nothing, and nothing scrolls sideways. */
  async function accessible(page: Page, where: string): Promise<void> {
    expect(await axeViolations(page), where).toEqual([]);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      where,
    ).toBeLessThanOrEqual(0);
  }
  const heading = (page: Page): Promise<string> => page.evaluate(() => document.getElementById('step-heading')?.textContent ?? '');
  async function atStep(page: Page, text: string): Promise<void> {
    try {
      await page.waitForFunction((t) => document.getElementById('step-heading')?.textContent === t, text, { timeout: 60_000 });
    } catch (e) {
      throw new Error(
        `never reached step "${text}": the page shows ${JSON.stringify(await page.textContent('main'))}; problems: ${web.problems.join('; ')}`,
        { cause: e },
      );
    }
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('step-heading'); // focus moved to the step
  }
  const active = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.id ?? '');
  /** Presses Tab until the focused element matches `selector` (keyboard only), at most 12 times. */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }
  async function downloaded(page: Page, act: () => Promise<void>): Promise<{ name: string; text: string }> {
    const [d] = (await Promise.all([page.waitForEvent('download'), act()])) as [Download, void];
    return { name: d.suggestedFilename(), text: readFileSync((await d.path())!, 'utf8') };
  }
  async function openBooth(opts: { phone?: boolean; lang?: 'fr' | 'en' } = {}): Promise<Page> {
    const page = await web.page({ phone: opts.phone, locale: opts.lang === 'fr' ? 'fr-FR' : 'en-US' });
    page.setDefaultTimeout(60_000); // a step that never comes fails the test instead of hanging it
    await page.goto(`${srv.url}/index.html`);
    await atStep(page, (opts.lang === 'fr' ? FR : EN).codeHeading);
    return page;
  }
  /** Mouse-free enough for the other tests: fill the code and submit. */
  async function enterCode(page: Page, code: string): Promise<void> {
    await page.fill('#code', code);
    await page.press('#code', 'Enter');
  }
  async function grade(page: Page, grades: readonly number[]): Promise<void> {
    for (const [j, g] of grades.entries()) await page.check(`#grade-${j}-${g}`);
  }

  it('a voter votes with the keyboard alone, in French; the ballot, its tracking code and the saved receipt check in Node', async () => {
    const page = await openBooth({ lang: 'fr' });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await page.textContent('h1')).toBe('Élection du serveur');
    const input = page.locator('#code');
    expect(await input.getAttribute('autocomplete')).toBe('off');
    expect(await input.getAttribute('spellcheck')).toBe('false');
    expect(await input.getAttribute('autocapitalize')).toBe('characters');
    await accessible(page, 'code step');

    await page.keyboard.press('Tab');
    expect(await active(page)).toBe('code');
    await page.keyboard.type(f.codes[0]!.toLowerCase());
    await page.keyboard.press('Enter');
    await atStep(page, FR.gradesHeading);
    expect(await page.$('#code')).toBeNull(); // the code field is gone with its value
    await accessible(page, 'grades step');

    // Tab into each group, Space (first grade) or arrows (others), as a keyboard user does.
    await page.keyboard.press('Tab');
    expect(await active(page)).toBe('grade-0-0');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    expect(await active(page)).toBe('grade-1-0');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.textContent('#graded-count')).toBe(FR.gradedCount(3, 3));
    await tabTo(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await atStep(page, FR.reviewHeading);
    expect(await page.$$eval('tbody tr', (rows) => rows.map((r) => r.textContent))).toEqual([
      'Candidate 1Très bien',
      'Candidate 2Bien',
      'Candidate 3Assez bien',
    ]);
    await accessible(page, 'review step');

    await tabTo(page, 'button.primary');
    await page.keyboard.press('Enter');
    await atStep(page, FR.trackingHeading);
    const shown = (await page.textContent('#tracking-code'))!;
    expect(shown).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
    expect(await page.textContent('#backend')).toMatch(/WebAssembly/);
    await accessible(page, 'tracking code step');

    await tabTo(page, '#cast');
    await page.keyboard.press('Enter');
    await atStep(page, FR.receiptHeading);
    expect(await page.textContent('#receipt-tracking-code')).toBe(shown);
    expect(await page.$('#receipt-revote')).toBeNull();
    await accessible(page, 'receipt step');
    await tabTo(page, '#save-receipt');
    const file = await downloaded(page, () => page.keyboard.press('Enter'));
    expect(await page.getAttribute('a[href^="board.html?code="]', 'href')).toBe(`board.html?code=${shown}`);

    // Node: the receipt verifies under the box's key and names the ballot on the board.
    const info = await api('election');
    const receipt = parseBallotReceipt(JSON.parse(file.text));
    expect(verifyBallotReceiptSignature(receipt, info.receiptKey)).toBe(true);
    expect(receipt.trackingCode).toBe(shown);
    const entries = await boardEntries();
    const entry = entries.find((e) => e.kind === 'ballot' && parseBallot(e.payload.ballot, f.d.election).trackingCode === shown);
    expect(entry).toBeDefined();
    expect(parseBallot(entry.payload.ballot, f.d.election).hashHex).toBe(receipt.ballotHash);
    expect((await api(`tracking/${shown}`)).status).toBe('counted');
    await page.context().close();
    expect(web.problems).toEqual([]);
  });

  for (const phone of [false, true])
    it(`code problems are explained, a typo's correction is offered and taken, an unknown code refused; grades start empty (${phone ? 'phone' : 'desktop'})`, async () => {
      const page = await openBooth({ phone });
      const code = f.codes[phone ? 2 : 1]!;
      const error = (): Promise<string | null> => page.textContent('#code-error');

      await enterCode(page, '');
      expect(await error()).toBe(EN.codeEmpty);
      await enterCode(page, code.slice(0, -2));
      expect(await error()).toBe(EN.codeLength(26));
      await accessible(page, 'wrong length');
      await enterCode(page, code.slice(0, 10) + 'U' + code.slice(11)); // grouped index 10: the 9th symbol
      expect(await error()).toBe(EN.codeCharacter(9, 3));
      expect(await page.getAttribute('#code', 'aria-invalid')).toBe('true');
      expect(await page.getAttribute('#code', 'aria-describedby')).toContain('code-error');

      // A code of another election (valid checksum, not registered) is refused before grading.
      await enterCode(page, generateCredentialCode());
      await page.waitForFunction((t) => document.getElementById('code-error')?.textContent === t, EN.codeNotRegistered);
      expect(await heading(page)).toBe(EN.codeHeading);
      await accessible(page, 'not registered');

      // One character changed (the 7th: group 2) is located and the correction offered.
      const compact = code.replace(/-/g, '');
      const wrong = compact[6] === 'A' ? 'B' : 'A';
      const typo = compact.slice(0, 6) + wrong + compact.slice(7);
      await enterCode(page, typo);
      expect(await error()).toBe(EN.codeTypo(7, 2));
      expect(await page.textContent('#code-suggestion mark')).toBe(compact[6]);
      expect((await page.textContent('#code-suggestion .suggestion'))!.replace(/ \(.*\) /, '')).toBe(code);
      expect(await page.inputValue('#code')).toBe(typo); // never silently replaced
      await accessible(page, 'typo with its correction');
      await page.click('#use-correction');
      await atStep(page, EN.gradesHeading);

      // Nothing preselected; Continue with ungraded candidates shows the error summary.
      expect(await page.$$eval('input[type=radio]:checked', (x) => x.length)).toBe(0);
      expect(await page.$$eval('fieldset legend', (x) => x.map((l) => l.textContent))).toEqual([
        'Candidate 1 (en)',
        'Candidate 2 (en)',
        'Candidate 3 (en)',
      ]);
      await page.check('#grade-1-2');
      await page.click('button[type=submit]');
      await page.waitForSelector('#error-summary');
      expect(await page.getAttribute('#error-summary', 'role')).toBe('alert');
      expect(await active(page)).toBe('error-summary');
      expect(await page.$$eval('#error-summary a', (a) => a.map((x) => x.textContent))).toEqual([
        EN.ungraded('Candidate 1 (en)'),
        EN.ungraded('Candidate 3 (en)'),
      ]);
      expect(await heading(page)).toBe(EN.gradesHeading);
      await accessible(page, 'error summary');
      await page.click('#error-summary li:nth-child(2) a');
      expect(await active(page)).toBe('grade-2-0');

      // The language switch redraws in French and keeps the grades.
      await page.getByRole('button', { name: 'Français' }).click();
      expect(await heading(page)).toBe(FR.gradesHeading);
      expect(await page.isChecked('#grade-1-2')).toBe(true);
      expect(await page.textContent('#error-summary h3')).toBe(FR.errorSummaryHeading);
      await page.getByRole('button', { name: 'English' }).click();

      // The remaining steps at this width: review, tracking code, audit result (never cast).
      await grade(page, [0, 2, 1]);
      await page.click('button[type=submit]');
      await atStep(page, EN.reviewHeading);
      await accessible(page, 'review');
      await page.click('text=' + EN.reviewEncrypt);
      await atStep(page, EN.trackingHeading);
      await accessible(page, 'tracking code');
      await page.click('#audit');
      await atStep(page, EN.auditHeading);
      await page.waitForSelector('#audit-published');
      expect(await page.textContent('#audit-verdict')).toBe(EN.auditOk);
      await accessible(page, 'audit result');
      await page.context().close();
      expect(web.problems).toEqual([]);
    });

  it('audit: the page shows the grades, the board has the opening, the saved file checks on check-opening.html and with mjvote check-opening, a tampered one fails; then a fresh ballot is cast', async () => {
    const page = await openBooth({ phone: true });
    await enterCode(page, f.codes[3]!);
    await atStep(page, EN.gradesHeading);
    await grade(page, [2, 0, 1]);
    await page.click('button[type=submit]');
    await atStep(page, EN.reviewHeading);
    await page.click('text=' + EN.reviewEncrypt);
    await atStep(page, EN.trackingHeading);
    const first = (await page.textContent('#tracking-code'))!;
    await page.click('#audit');
    await atStep(page, EN.auditHeading);
    expect(await page.textContent('#audit-verdict')).toBe(EN.auditOk);
    expect(await page.$$eval('tbody tr', (rows) => rows.map((r) => Array.from(r.children).map((c) => c.textContent)))).toEqual([
      ['Candidate 1 (en)', 'Fairly good', 'Fairly good'],
      ['Candidate 2 (en)', 'Very good', 'Very good'],
      ['Candidate 3 (en)', 'Good', 'Good'],
    ]);
    await page.waitForSelector('#audit-published');
    const tracked = await api(`tracking/${first}`);
    expect(tracked.status).toBe('audited');
    expect(await page.textContent('#audit-published')).toBe(EN.auditPublished(tracked.seq));
    await accessible(page, 'audit result');
    const file = await downloaded(page, () => page.click('#save-audit'));
    const auditPath = join(tmp, file.name);
    writeFileSync(auditPath, file.text);
    expect(JSON.parse(file.text).opening.grades).toEqual([2, 0, 1]);

    // The command checks it; a tampered copy (another grade for candidate 1) fails there.
    const run = async (args: string[]) => {
      let out = '';
      let err = '';
      const code = await main(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {} });
      return { code, out, err };
    };
    const ok = await run(['check-opening', auditPath, '--election', f.dir, '--lang', 'fr']);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toContain(`tracking code ${first}`);
    expect(ok.out).toContain('Candidate 1: Assez bien');
    expect(ok.out).toContain('ok   proofs and signature');
    const tampered = JSON.parse(file.text);
    tampered.opening.grades[0] = 0;
    const tamperedPath = join(tmp, 'tampered.json');
    writeFileSync(tamperedPath, JSON.stringify(tampered));
    const bad = await run(['check-opening', tamperedPath, '--election', f.dir]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('FAIL opening: opening.randomness[0][0]');

    // check-opening.html, an independent page, checks the same file and finds it on the board.
    const T = CHECK_OPENING.en;
    const checker = await page.context().newPage();
    checker.setDefaultTimeout(60_000);
    await checker.goto(`${srv.url}/check-opening.html`);
    await checker.waitForSelector('#opening-file');
    await accessible(checker, 'check-opening form');
    await checker.setInputFiles('#opening-file', auditPath);
    await checker.click('#check');
    await checker.waitForFunction((t) => document.getElementById('board-status')?.textContent === t, T.boardAudited(tracked.seq));
    expect(await checker.evaluate(() => document.activeElement?.id)).toBe('result-heading');
    expect(await checker.textContent('#result')).toBe(T.openingOk + T.proofsOk);
    expect(await checker.textContent('#result-tracking-code')).toBe(first);
    expect(await checker.$$eval('#revealed tbody tr', (rows) => rows.map((r) => r.textContent))).toEqual([
      'Candidate 1 (en)Fairly good',
      'Candidate 2 (en)Very good',
      'Candidate 3 (en)Good',
    ]);
    await accessible(checker, 'check-opening result');
    // With the election from a file (as offline), the tampered file fails, naming the cell.
    const electionPath = join(tmp, 'election.json');
    writeFileSync(electionPath, JSON.stringify(electionToJson(f.d.election)));
    await checker.setInputFiles('#election-file', electionPath);
    await checker.setInputFiles('#opening-file', tamperedPath);
    await checker.click('#check');
    await checker.waitForSelector('#result .error-text');
    expect(await checker.textContent('#result .error-text')).toMatch(
      /^The opening does NOT match the ballot: opening\.randomness\[0\]\[0\]: /,
    );
    expect(await checker.$('#revealed')).toBeNull();
    await accessible(checker, 'check-opening failure');
    await checker.close();

    // Back in the booth: a fresh encryption (another tracking code), then cast.
    await page.click('#encrypt-again');
    await atStep(page, EN.trackingHeading);
    const second = (await page.textContent('#tracking-code'))!;
    expect(second).not.toBe(first);
    await page.click('#cast');
    await atStep(page, EN.receiptHeading);
    expect(await page.textContent('#receipt-tracking-code')).toBe(second);
    await accessible(page, 'receipt after an audit');
    expect((await api(`tracking/${second}`)).status).toBe('counted');
    expect((await api(`tracking/${first}`)).status).toBe('audited');
    await page.context().close();
    expect(web.problems).toEqual([]);
  });

  it('a second ballot of the same code: the booth says it replaces the first; the board holds both, the last counted', async () => {
    const code = f.codes[5]!;
    const cast = async (grades: number[], phone: boolean): Promise<string> => {
      const page = await openBooth({ phone });
      await enterCode(page, code);
      await atStep(page, EN.gradesHeading);
      await grade(page, grades);
      await page.click('button[type=submit]');
      await page.click('text=' + EN.reviewEncrypt);
      await atStep(page, EN.trackingHeading);
      const tc = (await page.textContent('#tracking-code'))!;
      await page.click('#cast');
      await atStep(page, EN.receiptHeading);
      if (grades[0] === 1) {
        expect(await page.textContent('#receipt-revote')).toBe(EN.receiptRevote);
        await accessible(page, 'revote receipt');
      } else expect(await page.$('#receipt-revote')).toBeNull();
      await page.context().close();
      return tc;
    };
    const first = await cast([0, 0, 0], false);
    // The second time the grades step says a new ballot replaces the first.
    const page = await openBooth({ phone: true });
    await enterCode(page, code);
    await atStep(page, EN.gradesHeading);
    expect(await page.textContent('#revote-notice')).toBe(EN.alreadyVoted(1));
    await accessible(page, 'revote notice');
    await page.context().close();
    const second = await cast([1, 1, 1], true);
    expect((await api(`tracking/${first}`)).status).toBe('superseded');
    const now = await api(`tracking/${second}`);
    expect(now.status).toBe('counted');
    const ballots = (await boardEntries()).filter((e) => e.kind === 'ballot');
    const mine = ballots.filter((e) => [first, second].includes(parseBallot(e.payload.ballot, f.d.election).trackingCode));
    expect(mine.map((e) => parseBallot(e.payload.ballot, f.d.election).trackingCode)).toEqual([first, second]);
    expect(web.problems).toEqual([]);
  });

  it('a busy box (503) gets the same ballot again after Retry-After, and the voter one receipt', async () => {
    const page = await openBooth();
    await enterCode(page, f.codes[2]!);
    await atStep(page, EN.gradesHeading);
    await grade(page, [1, 2, 0]);
    await page.click('button[type=submit]');
    await page.click('text=' + EN.reviewEncrypt);
    await atStep(page, EN.trackingHeading);
    const tc = (await page.textContent('#tracking-code'))!;
    // The network answers the first POST /ballots as a busy box does; the later ones reach the real box.
    const bodies: string[] = [];
    await page.route('**/ballots', async (route) => {
      bodies.push(route.request().postData() ?? '');
      if (bodies.length === 1)
        await route.fulfill({
          status: 503,
          headers: { 'retry-after': '1', 'content-type': 'application/json' },
          body: JSON.stringify({ code: 'busy', reason: 'too many ballots are being checked: send it again shortly' }),
        });
      else await route.continue();
    });
    await page.click('#cast');
    await page.waitForFunction((t) => document.querySelector('main [role=status]')?.textContent === t, EN.castRetrying(1));
    await atStep(page, EN.receiptHeading);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]); // the same ballot text
    expect(parseBallot(JSON.parse(bodies[0]!), f.d.election).trackingCode).toBe(tc);
    expect(await page.textContent('#receipt-tracking-code')).toBe(tc);
    expect((await api(`tracking/${tc}`)).status).toBe('counted');
    await page.context().close();
    const busy = web.problems.filter((x) => / status of 503 \(Service Unavailable\)$/.test(x));
    expect(busy.length).toBeLessThanOrEqual(1); // Chromium's own report of the 503, if any
    web.problems.splice(0, web.problems.length, ...web.problems.filter((x) => !busy.includes(x)));
    expect(web.problems).toEqual([]);
  });

  it('a refusal is explained (the box sealed while the voter decided), at desktop and phone width; then the booth says voting is closed', async () => {
    const pages: Page[] = [];
    for (const [k, phone] of [
      [4, false],
      [1, true],
    ] as const) {
      const page = await openBooth({ phone });
      await enterCode(page, f.codes[k]!);
      await atStep(page, EN.gradesHeading);
      await grade(page, [0, 1, 2]);
      await page.click('button[type=submit]');
      await page.click('text=' + EN.reviewEncrypt);
      await atStep(page, EN.trackingHeading);
      pages.push(page);
    }
    await srv.service.close();
    for (const page of pages) {
      await page.click('#cast');
      await atStep(page, EN.refusalHeading);
      expect(await page.textContent('#refusal')).toBe(EN.refusals['sealed']);
      await accessible(page, 'refusal');
    }
    const page = pages[1]!;
    await page.goto(`${srv.url}/index.html`);
    await atStep(page, EN.closedHeading);
    expect(await page.getAttribute('a[href="board.html"]:not(nav a)', 'href')).toBe('board.html');
    await accessible(page, 'closed');
    for (const p of pages) await p.context().close();
    // Chromium itself reports each refused request as a console error: exactly the two 410s, nothing else.
    const gone = web.problems.filter((x) => / status of 410 \(Gone\)$/.test(x));
    expect(gone).toHaveLength(2);
    web.problems.splice(0, web.problems.length, ...web.problems.filter((x) => !gone.includes(x)));
    expect(web.problems).toEqual([]);
  });
});
