/**
 * The results page (web/src/results.ts) in Chromium against a real ballot box: before
 * publication it says where the election stands; after the organiser closes, tallies and
 * publishes through the admin API, the ranking it shows is the published result.json's and the
 * one `verifyRecord` recomputes (names in the page's language, order, ties, majority grades); the
 * chart has one bar per candidate whose segments follow the merit profiles in the grade
 * colours; the table holds the same numbers; the record's links download its files byte for
 * byte. A record of another election, or a ranking its profiles do not give, is an error, not a
 * result. axe-core finds nothing in any state, at desktop and phone width.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBallotBox, type RunningBallotBox } from '../../src/server/node-http.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { manifestLabels } from '../../src/election/manifest.js';
import { gradeColors } from '../../src/mj/svg.js';
import { browserTests } from '../helpers/chromium.js';
import { electionFixture, type ElectionFixture } from '../server/fixture.js';
import { axeViolations, launchBrowser, sitePages, type WebBrowser } from './harness.js';
import { RESULTS } from '../../web/src/strings/results.js';
import { BOARD } from '../../web/src/strings/board.js';

const CHROMIUM = browserTests('test/web/results.test.ts');

interface ResultJson {
  ballots: number;
  meritProfiles: { candidate: string; name: string; counts: string[] }[];
  ranking: {
    grades: string[];
    ranking: { candidate: string; rank: number; majorityGrade: string; majorityGradeIndex: number; mention: string }[];
  };
}

describe.skipIf(CHROMIUM.skip)('the results page', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mjvote-results-page-'));
  let f: ElectionFixture;
  let srv: RunningBallotBox;
  let web: WebBrowser;

  const post = async (path: string, text: string): Promise<void> => {
    const r = await fetch(`${srv.url}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    expect(r.status).toBe(201);
  };
  const admin = async (path: string, body?: unknown): Promise<Response> => {
    const token = readFileSync(join(f.dir, 'private', 'admin-token'), 'utf8').trim();
    const r = await fetch(`${srv.adminUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    expect(r.status).toBe(200);
    return r;
  };
  const expectClean = async (page: Page): Promise<void> => {
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  };
  const open = async (lang: 'en' | 'fr', phone: boolean): Promise<Page> => {
    const page = await web.page({ phone });
    await page.goto(`${srv.url}/results.html?lang=${lang}`);
    await page.waitForSelector('#phase');
    return page;
  };

  beforeAll(async () => {
    f = electionFixture(tmp, 'results', { voters: 8, languages: true });
    srv = await serveBallotBox(f.dir, { port: 0, checker: { workers: 1 }, pages: await sitePages() });
    web = await launchBrowser(CHROMIUM.executable(), () => srv.url);
  });
  afterAll(async () => {
    await web?.close();
    await srv?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('before publication: says where the election stands and that results come with the record', async () => {
    expect((await fetch(`${srv.url}/record/record.json`)).status).toBe(404);
    for (const phone of [false, true])
      for (const lang of ['en', 'fr'] as const) {
        const page = await open(lang, phone);
        expect(await page.locator('#phase').textContent()).toBe(RESULTS[lang].phase(BOARD[lang].phases.open));
        expect(await page.locator('#not-yet').textContent()).toBe(RESULTS[lang].notYet);
        expect(await page.locator('#ranking').count()).toBe(0);
        await expectClean(page);
        await page.context().close();
      }
    expect(web.problems).toEqual([]);
  });

  it('after publication: the ranking, chart, table and record are the published and recomputed ones', async () => {
    // Candidates 2 and 3 get the same merit profile (a tie); voter 6 revotes; voter 5 audits.
    const votes: [number, number[]][] = [
      [0, [0, 1, 1]],
      [1, [0, 2, 2]],
      [2, [1, 0, 0]],
      [3, [1, 1, 1]],
      [4, [2, 2, 2]],
      [6, [2, 2, 2]],
      [6, [0, 0, 0]],
    ];
    for (const [k, grades] of votes) await post('ballots', f.ballot(k, grades).text);
    await post('audits', f.audit(5, [1, 2, 0]).text);

    await admin('/admin/close');
    {
      const page = await open('en', false);
      expect(await page.locator('#phase').textContent()).toBe(RESULTS.en.phase(BOARD.en.phases.sealed));
      await expectClean(page);
      await page.context().close();
    }
    const tally = await (await admin('/admin/tally')).text();
    const done = JSON.parse(tally.trim().split('\n').pop()!) as { done: { head: string } };
    await admin('/admin/publish', { shares: f.shareFiles([1, 2], done.done.head) });

    const index = JSON.parse(readFileSync(join(f.dir, 'record.json'), 'utf8')) as { files: Record<string, string> };
    const published = JSON.parse(readFileSync(join(f.dir, index.files.result!), 'utf8')) as ResultJson;
    const report = await verifyRecord(f.dir);
    expect(report.ok).toBe(true);
    const recomputed = report.result!.ranking;
    // The published ranking is the verifier's; the tie is real.
    expect(published.ranking.ranking.map((c) => [c.candidate, c.rank, c.majorityGradeIndex, c.mention])).toEqual(
      recomputed.ranking.map((c) => [c.candidate, c.rank, c.majorityGrade.index, c.mention]),
    );
    expect(published.ranking.ranking.map((c) => c.rank)).toEqual([1, 2, 2]);
    const K = f.manifest.grades.length;
    const colours = gradeColors(K).map((h) => `rgb(${[1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)).join(', ')})`);

    for (const phone of [false, true])
      for (const lang of ['en', 'fr'] as const) {
        const r = RESULTS[lang];
        const labels = manifestLabels(f.manifest, [lang]);
        const shownName = (name: string) => labels.candidates[f.manifest.candidates.findIndex((c) => c.name === name)]!;
        const page = await open(lang, phone);
        await page.waitForSelector('#ranking');
        expect(await page.locator('#counted').textContent()).toBe(r.counted(published.ballots));

        // The ranking: names in the page's language, order, ranks (ties shown), majority grades.
        const rows = await page.locator('#ranking tbody tr').evaluateAll((trs) =>
          trs.map((tr) => ({
            rank: Number(tr.getAttribute('data-rank')),
            rankText: tr.querySelector('.rank')!.textContent,
            name: tr.querySelector('.candidate')!.textContent,
            grade: Number(tr.querySelector('.grade')!.getAttribute('data-grade')),
            gradeText: tr.querySelector('.grade')!.textContent,
          })),
        );
        expect(rows.map((x) => [x.rank, x.name, x.grade])).toEqual(
          published.ranking.ranking.map((c) => [c.rank, shownName(c.candidate), c.majorityGradeIndex]),
        );
        expect(rows.map((x) => [x.rank, x.name, x.grade])).toEqual(
          recomputed.ranking.map((c) => [c.rank, shownName(c.candidate), c.majorityGrade.index]),
        );
        published.ranking.ranking.forEach((c, i) => {
          const word = c.mention === '+' ? `+${r.mentionPlus}` : c.mention === '-' ? `\u2212${r.mentionMinus}` : '';
          expect(rows[i]!.gradeText).toBe(
            c.mention ? `${labels.grades[c.majorityGradeIndex]} ${word}` : labels.grades[c.majorityGradeIndex],
          );
          expect(rows[i]!.rankText).toBe(c.rank === 2 ? `2 (${r.tie})` : String(c.rank));
        });

        // The chart: one bar per candidate in rank order; segment widths follow the profiles, in the grade colours.
        const bars = await page.locator('#chart .chart-row').evaluateAll((rs) =>
          rs.map((row) => {
            const bar = row.querySelector('.mj-bar') as HTMLElement;
            return {
              candidate: row.getAttribute('data-candidate'),
              width: bar.clientWidth,
              segments: Array.from(bar.querySelectorAll<HTMLElement>('.segment')).map((s) => ({
                grade: Number(s.dataset.grade),
                count: s.dataset.count,
                width: s.getBoundingClientRect().width,
                colour: getComputedStyle(s).backgroundColor,
              })),
            };
          }),
        );
        expect(bars.map((b) => b.candidate)).toEqual(published.ranking.ranking.map((c) => c.candidate));
        for (const b of bars) {
          const counts = published.meritProfiles.find((p) => p.name === b.candidate)!.counts.map(Number);
          const total = counts.reduce((a, x) => a + x, 0);
          const nonZero = counts.flatMap((c, g) => (c > 0 ? [g] : []));
          expect(b.segments.map((s) => s.grade)).toEqual(nonZero);
          for (const s of b.segments) {
            expect(s.count).toBe(String(counts[s.grade]));
            expect(Math.abs(s.width - (b.width * counts[s.grade]!) / total)).toBeLessThan(1.5);
            expect(s.colour).toBe(colours[s.grade]);
          }
        }
        expect(await page.locator('#chart').getAttribute('aria-describedby')).toBe('profiles-table');

        // The table: the same numbers, in rank order.
        const table = await page.locator('#profiles-table tbody tr').evaluateAll((trs) =>
          trs.map((tr) => ({
            candidate: tr.getAttribute('data-candidate'),
            counts: Array.from(tr.querySelectorAll('td[data-count]')).map((td) => td.getAttribute('data-count')),
            text: Array.from(tr.querySelectorAll('td[data-count]')).map((td) => td.firstChild!.textContent),
          })),
        );
        expect(table.map((t) => t.candidate)).toEqual(published.ranking.ranking.map((c) => c.candidate));
        for (const t of table) {
          const counts = published.meritProfiles.find((p) => p.name === t.candidate)!.counts;
          expect(t.counts).toEqual(counts);
          expect(t.text).toEqual(counts);
        }

        // The record: every file linked, downloaded byte for byte.
        const links = await page
          .locator('#record-files a[download]')
          .evaluateAll((as) => as.map((a) => ({ href: (a as HTMLAnchorElement).href, name: a.getAttribute('download') })));
        expect(links.map((l) => l.name).sort()).toEqual([...new Set(Object.values(index.files))].sort());
        if (!phone && lang === 'en')
          for (const l of links) {
            const got = Buffer.from(await (await fetch(l.href)).arrayBuffer());
            expect(got.equals(readFileSync(join(f.dir, l.name!))), l.name!).toBe(true);
          }
        expect(await page.locator('pre.command').textContent()).toBe('mjvote verify DIR');
        expect(await page.locator('a[href="verify.html"]').count()).toBeGreaterThan(0);
        await expectClean(page);
        await page.context().close();
      }
    expect(web.problems).toEqual([]);
  });

  it('the board page, once published: the phase, the counts and a link to the results', async () => {
    const e = (await (await fetch(`${srv.url}/election`)).json()) as Record<string, unknown>;
    expect(e.phase).toBe('published');
    for (const phone of [false, true]) {
      const page = await web.page({ phone });
      await page.goto(`${srv.url}/board.html?lang=fr`);
      await page.waitForSelector('#phase[data-phase="published"]');
      expect(await page.locator('#phase').textContent()).toBe(BOARD.fr.phases.published);
      expect(await page.locator('#count-entries').textContent()).toBe(String(e.entries));
      expect(await page.locator('#board-head').textContent()).toBe(e.head);
      expect(await page.getByRole('link', { name: BOARD.fr.resultsLink }).getAttribute('href')).toBe('results.html');
      await expectClean(page);
      await page.context().close();
    }
    expect(web.problems).toEqual([]);
  });

  it("refuses another election's record and a ranking its profiles do not give", async () => {
    const index = readFileSync(join(f.dir, 'record.json'), 'utf8');
    const result = JSON.parse(readFileSync(join(f.dir, 'result.json'), 'utf8')) as ResultJson;

    const other = await web.page();
    await other.route('**/record/record.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: index.replace(f.manifest.electionId, 'another-election') }),
    );
    await other.goto(`${srv.url}/results.html?lang=en`);
    await other.waitForSelector('#record-problem');
    expect(await other.locator('#record-problem').textContent()).toContain('record.json.electionId');
    expect(await other.locator('#ranking').count()).toBe(0);
    await expectClean(other);
    await other.context().close();

    // The ranking swapped: the first and last candidates change places.
    const r = result.ranking.ranking;
    const swapped = { ...result, ranking: { ...result.ranking, ranking: [r[2], r[1], r[0]] } };
    const tampered = await web.page();
    await tampered.route('**/record/result.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(swapped) }),
    );
    await tampered.goto(`${srv.url}/results.html?lang=fr`);
    await tampered.waitForSelector('#record-problem');
    expect(await tampered.locator('#record-problem').textContent()).toBe(RESULTS.fr.wrongRanking);
    expect(await tampered.locator('#ranking').count()).toBe(0);
    await tampered.context().close();

    // Not JSON with a duplicate key: refused by the strict parser, not a crash.
    const duplicate = await web.page();
    await duplicate.route('**/record/result.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: `{"version":1,"version":1}` }),
    );
    await duplicate.goto(`${srv.url}/results.html?lang=en`);
    await duplicate.waitForSelector('#record-problem');
    await duplicate.context().close();
    expect(web.problems).toEqual([]);
  });
});
