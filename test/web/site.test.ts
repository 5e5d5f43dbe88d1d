/**
 * Every page of the site (issue 23), served by a real ballot box with its pages, in headless
 * Chromium at desktop and phone width: it loads without an error, requests nothing from another
 * origin, fits a 375-pixel screen without sideways scrolling, and axe-core finds no WCAG 2.1 A
 * or AA violation. The pages' own tests (test/web/*.test.ts) go through what each page does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveBallotBox, type RunningBallotBox } from '../../src/server/node-http.js';
import { browserTests } from '../helpers/chromium.js';
import { electionFixture } from '../server/fixture.js';
import { axeViolations, launchBrowser, sitePages, type WebBrowser } from './harness.js';

const CHROMIUM = browserTests('test/web/site.test.ts');
const PAGES = ['index.html', 'board.html', 'results.html', 'verify.html', 'check-opening.html'];

describe.skipIf(CHROMIUM.skip)('the site in Chromium', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mjvote-site-'));
  let srv: RunningBallotBox;
  let web: WebBrowser;

  beforeAll(async () => {
    const f = electionFixture(tmp, 'site', { voters: 3, languages: true });
    srv = await serveBallotBox(f.dir, { port: 0, checker: { workers: 1 }, pages: await sitePages() });
    web = await launchBrowser(CHROMIUM.executable(), () => srv.url);
  });
  afterAll(async () => {
    await web?.close();
    await srv?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('the stylesheet parses to one CSS rule per top-level block of the file (no brace lost in an edit)', async () => {
    const text = await (await fetch(`${srv.url}/style.css`)).text();
    // Top-level blocks of the file, comments and strings left out.
    const bare = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/'[^']*'|"[^"]*"/g, "''");
    let depth = 0;
    let blocks = 0;
    for (const ch of bare) {
      if (ch === '{' && depth++ === 0) blocks++;
      if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    const page = await web.page();
    await page.goto(`${srv.url}/index.html`);
    const parsed = await page.evaluate(
      () => Array.from(document.styleSheets).find((s) => s.href?.endsWith('/style.css'))?.cssRules.length ?? -1,
    );
    expect(parsed).toBe(blocks);
    expect(blocks).toBeGreaterThan(50);
    await page.context().close();
  });

  for (const phone of [false, true])
    for (const name of PAGES)
      it(`${name} at ${phone ? 'phone (375 px)' : 'desktop'} width: loads, stays on its origin, fits, no axe violation`, async () => {
        const page = await web.page({ phone });
        await page.goto(`${srv.url}/${name}`);
        await page.waitForFunction(() => document.querySelector('main h1') !== null);
        await page.waitForLoadState('networkidle');
        expect(await axeViolations(page)).toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        for (const lang of ['Français', 'English']) {
          await page.getByRole('button', { name: lang }).click();
          expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang === 'English' ? 'en' : 'fr');
          expect(await axeViolations(page)).toEqual([]);
        }
        await page.context().close();
        expect(web.problems).toEqual([]);
      });
});
