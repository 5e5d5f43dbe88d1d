/**
 * The auditor's page (web/public/verify.html, web/src/verify-page.ts) in headless Chromium: a
 * plain static server on 127.0.0.1 serves the built pages (test/web/harness.ts `staticSite`)
 * with the pages' Content-Security-Policy (`PAGES_CSP`), a published record at `record/` (where
 * `mjvote serve` publishes it, with Range support) and tampered copies at other addresses. The
 * page verifies the default record on its Web Workers and shows every check passed, the same
 * statuses as Node's `verifyRecord`, and the tracking codes looked up; given a tampered record's
 * address, or as a folder picked with the file input, it names the failing check and the
 * failing line as Node does; it does so with the
 * keyboard alone, in French too, and axe-core finds no WCAG 2.1 A/AA violation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { runDemoElection } from '../../src/demo/simulate.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { parseElection } from '../../src/election/election.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { browserTests } from '../helpers/chromium.js';
import { axeViolations, launchBrowser, staticSite, type StaticSite, type WebBrowser } from '../web/harness.js';
import {
  copyRecord,
  failedChecks,
  flipHex,
  readBoard,
  readJson,
  removeCopies,
  tempDir,
  writeBoardRechained,
  writeJson,
} from '../verify/helpers.js';

const CHROMIUM = browserTests('test/browser/verify-page.test.ts');
describe.skipIf(CHROMIUM.skip)("the auditor's page in Chromium", () => {
  let site: StaticSite;
  let web: WebBrowser;
  let origin = '';
  const records = new Map<string, string>();
  let codes: { counted: string; superseded: string };

  beforeAll(async () => {
    const good = tempDir();
    rmSync(good, { recursive: true });
    await runDemoElection({
      voters: 12,
      candidates: 3,
      grades: 3,
      trustees: 3,
      threshold: 2,
      out: good,
      seed: 'page',
      revoteRate: 0.5,
      audits: 1,
    });
    records.set('record', good);
    const lines = readBoard(good);
    const election = parseElection(lines.find((l) => l.kind === 'setup')!.payload.election);
    const ballots = lines.filter((l) => l.kind === 'ballot').map((l) => parseBallot((l.payload as any).ballot, election));
    const last = new Map(ballots.map((b) => [b.credentialHex, b]));
    codes = {
      counted: [...last.values()][0]!.trackingCode,
      superseded: ballots.find((b) => last.get(b.credentialHex) !== b)!.trackingCode,
    };

    const proof = copyRecord(good);
    const pl = readBoard(proof);
    const b = (pl.filter((l) => l.kind === 'ballot')[2]!.payload as any).ballot;
    b.answers[0].proofs[1][1].challenge = flipHex(b.answers[0].proofs[1][1].challenge, 9);
    writeBoardRechained(proof, pl);
    records.set('proof', proof);

    const count = copyRecord(good);
    const res = readJson(count, 'result.json');
    res.meritProfiles[2].counts[0] = String(BigInt(res.meritProfiles[2].counts[0]) + 1n);
    writeJson(count, 'result.json', res);
    records.set('count', count);

    // /record/<file> (the published record, as mjvote serve has it) and /records/<name>/<file>
    site = await staticSite(
      new Map([['/record/', good], ...[...records].map(([name, dir]): [string, string] => [`/records/${name}/`, dir])]),
      {
        ranges: true,
      },
    );
    origin = site.origin;
    web = await launchBrowser(CHROMIUM.executable(), () => origin);
  }, 180_000);

  afterAll(async () => {
    await web?.close();
    await site?.close();
    removeCopies();
  });

  /** The statuses the page shows, by check number. */
  const statuses = (page: Page) =>
    page.$$eval('#checks li', (items) =>
      items.map((li) => [Number(li.getAttribute('data-check')), li.getAttribute('data-status')] as const),
    );

  it('verifies the published record on its Web Workers: every check passes, as in Node; codes looked up; keyboard only; no axe violation', async () => {
    const page = await web.page();
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(`${origin}/verify.html?lang=en`);
    await page.waitForSelector('main h1');
    expect(await axeViolations(page)).toEqual([]);
    // 2 threads by default (this machine has at least 2 cores)
    expect(await page.inputValue('#workers')).toBe('2');
    // keyboard only: the tracking codes' box, then the button
    await page.getByLabel('Tracking codes to look up (optional)').focus();
    await page.keyboard.type(`${codes.counted}\n${codes.superseded.toLowerCase().replace(/-/g, ' ')}\n00000-11111-22222-33333-44444-55555`);
    await page.getByRole('button', { name: 'Verify the record' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#verdict', { timeout: 120_000 });

    expect(workers).toEqual([`${origin}/verify-worker.js`, `${origin}/verify-worker.js`]);
    const node = await verifyRecord(records.get('record')!, { trackingCodes: [codes.counted, codes.superseded] });
    expect(node.ok).toBe(true);
    expect(await page.textContent('#verdict')).toMatch(/^VERIFIED: all 9 checks pass\.$/);
    expect(await statuses(page)).toEqual(node.checks.map((c) => [c.number, c.status]));
    expect(await page.$$eval('#tracking tbody tr', (rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual([
      'counted',
      'superseded',
      'absent',
    ]);
    // the recomputed ranking is shown, in Node's order
    expect(await page.$$eval('#result tbody tr td:nth-child(2)', (t) => t.map((x) => x.textContent))).toEqual(
      node.result!.ranking.ranking.map((c) => c.candidate),
    );
    // the progress bar is labelled and ended full; focus moved to the report's heading
    const bar = page.getByRole('progressbar', { name: 'Verification progress' });
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('report-h');
    expect(await axeViolations(page)).toEqual([]);
    // in French, the same report, in French
    await page.getByRole('button', { name: 'Français' }).click();
    expect(await page.textContent('#verdict')).toMatch(/^VÉRIFIÉ : les 9 vérifications réussissent\.$/);
    expect(await page.textContent('#checks li[data-check="4"] h4')).toMatch(/^Vérification 4 : bulletins/);
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
    expect(web.problems).toEqual([]);
  }, 180_000);

  it.each([
    ['proof', 4],
    ['count', 7],
  ] as const)(
    'a tampered record (%s) at another address: the page names the failing check %i and its failures, as Node',
    async (name, check) => {
      const node = await verifyRecord(records.get(name)!);
      expect(failedChecks(node)).toContain(check);
      const page = await web.page();
      await page.goto(`${origin}/verify.html?lang=en`);
      await page.getByLabel('The record at another address').check();
      await page.getByLabel('Address of the record (the folder holding record.json)').fill(`/records/${name}/`);
      await page.getByRole('button', { name: 'Verify the record' }).click();
      await page.waitForSelector('#verdict', { timeout: 120_000 });
      expect(await page.textContent('#verdict')).toMatch(
        new RegExp(`^NOT VERIFIED: \\d+ failures? \\(checks ${failedChecks(node).join(', ')}\\)\\.$`),
      );
      expect(await statuses(page)).toEqual(node.checks.map((c) => [c.number, c.status]));
      const failing = node.checks.find((c) => c.number === check)!.failures;
      const rows = await page.$$eval(`#checks li[data-check="${check}"] tr.failure`, (trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)),
      );
      expect(rows).toEqual(failing.map((f) => [f.file, f.line === undefined ? '' : String(f.line), f.path ?? '', f.reason]));
      expect(await page.textContent(`#checks li[data-check="${check}"] h4`)).toMatch(
        new RegExp(`^Check ${check}: .* — FAILED \\(${failing.length} failures?\\)$`),
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
      expect(web.problems).toEqual([]);
    },
    180_000,
  );

  it('a folder picked on this computer (webkitdirectory): verified as in Node; its subfolders are not the record', async () => {
    const page = await web.page();
    await page.goto(`${origin}/verify.html?lang=en`);
    await page.getByLabel('A record folder on this computer').check();
    await page.getByRole('button', { name: 'Verify the record' }).click();
    expect(await page.textContent('#record-folder-error')).toBe('Pick the record’s folder.');
    const dir = copyRecord(records.get('count')!);
    mkdirSync(join(dir, 'old'));
    writeFileSync(join(dir, 'old', 'record.json'), '{}');
    await page.setInputFiles('#record-folder', dir);
    await page.getByRole('button', { name: 'Verify the record' }).click();
    await page.waitForSelector('#verdict', { timeout: 120_000 });
    const node = await verifyRecord(dir);
    expect(await statuses(page)).toEqual(node.checks.map((c) => [c.number, c.status]));
    expect(await page.textContent('#checks li[data-check="7"] h4')).toMatch(/FAILED/);
    await page.context().close();
    expect(web.problems).toEqual([]);
  }, 120_000);

  it('an address with nothing there: the page says the record cannot be read, naming record.json', async () => {
    const page = await web.page();
    await page.goto(`${origin}/verify.html?lang=en`);
    await page.getByLabel('The record at another address').check();
    await page.getByRole('button', { name: 'Verify the record' }).click();
    // an empty address is refused next to the field
    expect(await page.textContent('#record-url-error')).toBe('Enter the address of the record.');
    expect(await page.getAttribute('#record-url', 'aria-invalid')).toBe('true');
    await page.getByLabel('Address of the record (the folder holding record.json)').fill('/records/none/');
    await page.getByRole('button', { name: 'Verify the record' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The record cannot be read at all: record.json: HTTP 404 Not Found');
    await page.context().close();
    // the 404 is the point here, not a problem of the page
    web.problems.splice(0);
  }, 60_000);
});
