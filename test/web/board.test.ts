/**
 * The public board page (web/src/board.ts) in Chromium against a real ballot box: the counts it
 * shows are GET /election's and follow ballots posted while it is open (the SSE feed); every
 * tracking-code status shows its advice in French and English with the entry, its hash (checked
 * against board.jsonl) and the board head; a malformed code is an error next to the field;
 * `?code=` prefills and looks up. axe-core finds nothing in any state, at desktop and phone width.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBallotBox, type RunningBallotBox } from '../../src/server/node-http.js';
import { entryHash } from '../../src/board/chain.js';
import { browserTests } from '../helpers/chromium.js';
import { electionFixture, type ElectionFixture } from '../server/fixture.js';
import { axeViolations, launchBrowser, sitePages, type WebBrowser } from './harness.js';
import { BOARD } from '../../web/src/strings/board.js';

const CHROMIUM = browserTests('test/web/board.test.ts');

describe.skipIf(CHROMIUM.skip)('the public board page', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mjvote-board-page-'));
  let f: ElectionFixture;
  let srv: RunningBallotBox;
  let web: WebBrowser;

  const post = async (path: string, text: string): Promise<Record<string, any>> => {
    const r = await fetch(`${srv.url}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    expect(r.status).toBe(201);
    return (await r.json()) as Record<string, any>;
  };
  const election = async (): Promise<Record<string, any>> => (await (await fetch(`${srv.url}/election`)).json()) as Record<string, any>;
  /** The numbers the page shows, by the API's names. */
  const shown = (page: Page) =>
    page.evaluate(() => {
      const num = (id: string) => Number(document.getElementById(id)!.textContent!.replace(/\D/g, ''));
      return {
        ballots: num('count-ballots'),
        voters: num('count-voters'),
        audits: num('count-audits'),
        registered: num('count-registered'),
        entries: num('count-entries'),
        phase: document.getElementById('phase')!.dataset.phase,
        head: document.getElementById('board-head')!.textContent,
      };
    });
  const expectClean = async (page: Page): Promise<void> => {
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  };
  /** The chain hash of board entry `seq`, from the board file's bytes. */
  const hashOfEntry = (seq: number): string => {
    const lines = readFileSync(join(f.dir, 'board.jsonl')).toString('utf8').split('\n');
    return entryHash(Buffer.from(lines[seq]!, 'utf8'));
  };

  beforeAll(async () => {
    f = electionFixture(tmp, 'board', { voters: 8, languages: true });
    srv = await serveBallotBox(f.dir, { port: 0, checker: { workers: 1 }, pages: await sitePages() });
    web = await launchBrowser(CHROMIUM.executable(), () => srv.url);
  });
  afterAll(async () => {
    await web?.close();
    await srv?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("shows GET /election's counts and follows ballots posted while it is open", async () => {
    const page = await web.page();
    await page.goto(`${srv.url}/board.html?lang=en`);
    await page.waitForSelector('#feed[data-feed="live"]');
    const e0 = await election();
    expect(await shown(page)).toEqual({
      ballots: e0.ballots,
      voters: e0.voters,
      audits: e0.audits,
      registered: 8,
      entries: e0.entries,
      phase: 'open',
      head: e0.head,
    });
    expect(await page.locator('#phase').textContent()).toBe(BOARD.en.phases.open);
    await expectClean(page);

    // What the polite status region says, from now on.
    await page.evaluate(() => {
      const said: string[] = ((window as any).said = []);
      const region = document.getElementById('status')!;
      new MutationObserver(() => region.textContent && said.push(region.textContent)).observe(region, { childList: true });
    });
    // Two voters vote, one revotes, one audits: the page catches up by itself, after each one.
    const steps: [string, string][] = [
      ['ballots', f.ballot(0, [0, 1, 2]).text],
      ['ballots', f.ballot(1, [2, 1, 0]).text],
      ['ballots', f.ballot(1, [1, 1, 1]).text],
      ['audits', f.audit(5, [0, 0, 0]).text],
    ];
    for (const [path, text] of steps) {
      await post(path, text);
      const entries = (await election()).entries as number;
      await page.waitForFunction((n) => document.getElementById('count-entries')?.textContent === String(n), entries);
    }
    const e1 = await election();
    expect([e1.ballots, e1.voters, e1.audits]).toEqual([e0.ballots + 3, e0.voters + 2, e0.audits + 1]);
    await page.waitForFunction((n) => document.getElementById('count-entries')?.textContent === String(n), e1.entries);
    expect(await shown(page)).toEqual({
      ballots: e1.ballots,
      voters: e1.voters,
      audits: e1.audits,
      registered: 8,
      entries: e1.entries,
      phase: 'open',
      head: e1.head,
    });
    // Four changes within seconds: a screen reader heard the counts once at most, not four times.
    await new Promise((r) => setTimeout(r, 200)); // the announcement is written 50 ms after the region is cleared
    const said = (await page.evaluate(() => (window as any).said)) as string[];
    expect(said.length).toBeLessThanOrEqual(1);
    // On request, at once, with the numbers shown.
    await page.getByRole('button', { name: BOARD.en.announceButton }).click();
    const summary = BOARD.en.summary({ ballots: e1.ballots, voters: e1.voters, audits: e1.audits, registered: 8 });
    await page.waitForFunction((s) => ((window as any).said as string[]).includes(s), summary);
    await expectClean(page);
    await page.context().close();
    expect(web.problems).toEqual([]);
  });

  it('says when the live feed is interrupted, and reconnects', async () => {
    const page = await web.page();
    await page.goto(`${srv.url}/board.html?lang=fr`);
    await page.waitForSelector('#feed[data-feed="live"]');
    const before = web.problems.length;
    // The server restarts (a graceful stop ends the live feeds), on the same address.
    const port = Number(new URL(srv.url).port);
    await srv.stop();
    await page.waitForSelector('#feed[data-feed="reconnecting"]');
    expect(await page.locator('#feed').textContent()).toBe(BOARD.fr.reconnecting);
    expect(await page.locator('#count-entries').textContent()).not.toBe(''); // the last counts stay
    await expectClean(page);
    srv = await serveBallotBox(f.dir, { port, checker: { workers: 1 }, pages: await sitePages() });
    await page.waitForSelector('#feed[data-feed="live"]');
    // The only problems while it was down are the browser's own reports of the refused connections.
    const down = web.problems.splice(before);
    expect(down.filter((p) => !/ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|Failed to load resource/.test(p))).toEqual([]);
    // Live again: a ballot posted now shows up.
    await post('ballots', f.ballot(7, [2, 2, 2]).text);
    const e = await election();
    await page.waitForFunction((n) => document.getElementById('count-entries')?.textContent === String(n), e.entries);
    await page.context().close();
    expect(web.problems).toEqual([]);
  });

  it('answers every tracking-code status with its advice, in French and English, at desktop and phone width', async () => {
    const first = f.ballot(2, [0, 0, 1]);
    const again = f.ballot(2, [1, 0, 0]);
    const audited = f.audit(3, [2, 2, 2]);
    const a1 = await post('ballots', first.text);
    const a2 = await post('ballots', again.text);
    const au = await post('audits', audited.text);
    const codes = {
      counted: { code: again.trackingCode, seq: a2.receipt.seq as number },
      superseded: { code: first.trackingCode, seq: a1.receipt.seq as number },
      audited: { code: audited.trackingCode, seq: au.seq as number },
      absent: { code: f.ballot(4, [0, 1, 2]).trackingCode, seq: null }, // made, never cast
    };
    expect(hashOfEntry(codes.counted.seq)).toBe(a2.receipt.entryHash);

    for (const phone of [false, true])
      for (const lang of ['en', 'fr'] as const) {
        const b = BOARD[lang];
        const page = await web.page({ phone });
        await page.goto(`${srv.url}/board.html?lang=${lang}`);
        await page.waitForSelector('#feed[data-feed="live"]');
        for (const [status, { code, seq }] of Object.entries(codes) as [keyof typeof codes, { code: string; seq: number | null }][]) {
          // Typed as a person might: lower case, spaces instead of dashes.
          await page.getByRole('textbox', { name: b.codeLabel }).fill(code.toLowerCase().replace(/-/g, ' '));
          await page.getByRole('button', { name: b.lookUp }).click();
          await page.waitForSelector(`#tracking-result[data-status="${status}"]`);
          const lookedUp = (await (await fetch(`${srv.url}/tracking/${code}`)).json()) as { boardHead: string; boardEntries: number };
          expect(await page.locator('#tracking-result-title').textContent()).toBe(b[status].title);
          expect(await page.locator('#tracking-advice').textContent()).toBe(b[status].advice);
          expect(await page.evaluate(() => document.activeElement?.id)).toBe('tracking-result-title');
          expect(await page.locator('#lookup-head').textContent()).toBe(lookedUp.boardHead);
          if (seq === null) expect(await page.locator('#entry-hash').count()).toBe(0);
          else {
            expect(await page.locator('#entry-seq').textContent()).toBe(String(seq));
            expect(await page.locator('#entry-hash').textContent()).toBe(hashOfEntry(seq));
          }
          if (status === 'superseded')
            expect(await page.locator('#tracking-result').textContent()).toContain(b.superseded.counted(codes.counted.seq));
          expect(await page.locator('#tracking-error').isVisible()).toBe(false);
          await expectClean(page);
        }
        // Malformed: an error next to the field, linked to it, and no answer.
        await page.getByRole('textbox', { name: b.codeLabel }).fill('ABCDE-12345');
        await page.getByRole('button', { name: b.lookUp }).click();
        await page.waitForSelector('#tracking-error:not([hidden])');
        expect(await page.locator('#tracking-error').textContent()).toBe(b.malformed(b.wrongLength(10)));
        expect(await page.locator('#tracking-code').getAttribute('aria-invalid')).toBe('true');
        expect(await page.locator('#tracking-code').getAttribute('aria-describedby')).toContain('tracking-error');
        expect(await page.locator('#tracking-result').count()).toBe(0);
        await expectClean(page);
        // Thirty symbols, one of which is not a symbol of tracking codes.
        await page.getByRole('textbox', { name: b.codeLabel }).fill(`${codes.counted.code.slice(0, -1)}U`);
        await page.getByRole('button', { name: b.lookUp }).click();
        await page.waitForFunction((t) => document.getElementById('tracking-error')?.textContent === t, b.malformed(b.badSymbol('U')));
        await page.getByRole('textbox', { name: b.codeLabel }).fill('');
        await page.getByRole('button', { name: b.lookUp }).click();
        expect(await page.locator('#tracking-error').textContent()).toBe(b.empty);
        await page.context().close();
      }
    expect(web.problems).toEqual([]);
  });

  it('prefills the code from ?code= and looks it up; a language switch keeps the answer', async () => {
    const b = f.ballot(6, [1, 2, 0]);
    const a = await post('ballots', b.text);
    const page = await web.page();
    await page.goto(`${srv.url}/board.html?lang=fr&code=${encodeURIComponent(b.trackingCode)}`);
    await page.waitForSelector('#tracking-result[data-status="counted"]');
    expect(await page.locator('#tracking-code').inputValue()).toBe(b.trackingCode);
    expect(await page.locator('#tracking-advice').textContent()).toBe(BOARD.fr.counted.advice);
    expect(await page.locator('#entry-hash').textContent()).toBe(a.receipt.entryHash);
    await page.getByRole('button', { name: 'English' }).click();
    expect(await page.locator('#tracking-advice').textContent()).toBe(BOARD.en.counted.advice);
    expect(await page.locator('#tracking-code').inputValue()).toBe(b.trackingCode);
    await expectClean(page);
    await page.context().close();
    expect(web.problems).toEqual([]);
  });
});
