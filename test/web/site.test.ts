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
