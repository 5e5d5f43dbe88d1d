/**
 * The merit-profile chart: structure of the SVG text, then the chart rendered to PNG by headless
 * Chromium and checked pixel by pixel (bar colours per grade, the 50% line, legend swatches).
 * The render test runs where test/helpers/chromium.ts finds a Chromium (MJVOTE_CHROMIUM, else the
 * usual install paths); it is skipped with a line on stderr where there is none, unless
 * MJVOTE_REQUIRE_BROWSER=1 (as in `.ci/run`), where it fails.
 */
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FormatError } from '../../src/errors.js';
import { gradeColors, meritProfileSvg } from '../../src/mj/svg.js';
import { parseProfilesJson } from '../../src/mj/json.js';
import { rank } from '../../src/mj/rank.js';
import { browserTests, CHROMIUM_ARGS } from '../helpers/chromium.js';
import { decodePng } from './png.js';

const CHROMIUM = browserTests('test/mj/svg.test.ts');

const file = parseProfilesJson(JSON.parse(readFileSync(new URL('fixtures/primaire-populaire-2022.json', import.meta.url), 'utf8')));
const result = rank(file.profiles, file.grades);

interface Segment {
  x: number;
  y: number;
  width: number;
  height: number;
  fill: string;
  candidate: string;
  grade: number;
}

function segments(svg: string): Segment[] {
  const re =
    /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="(#[0-9a-f]{6})" data-candidate="([^"]*)" data-grade="(\d+)"\/>/g;
  return [...svg.matchAll(re)].map((m) => ({
    x: +m[1]!,
    y: +m[2]!,
    width: +m[3]!,
    height: +m[4]!,
    fill: m[5]!,
    candidate: m[6]!,
    grade: +m[7]!,
  }));
}

const rgbOf = (hex: string): number[] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

describe('meritProfileSvg: the document', () => {
  const svg = meritProfileSvg(result, { title: 'Primaire <Populaire> & "2022"' });

  it('is self-contained: no script, no external reference, no foreign font', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toMatch(/<script|href=|url\(|@import|@font-face|<image|<foreignObject|on[a-z]+=/i);
    expect(svg).toContain('<title id="mj-title">Primaire &lt;Populaire&gt; &amp; &quot;2022&quot;</title>');
  });

  it('draws one bar per candidate in rank order, one segment per non-zero grade, best grade first', () => {
    const segs = segments(svg);
    const rows = [...new Set(segs.map((s) => s.candidate))];
    expect(rows).toEqual(result.ranking.map((c) => c.candidate));
    const colors = gradeColors(5);
    for (const c of result.ranking) {
      const mine = segs.filter((s) => s.candidate === c.candidate);
      expect(mine.map((s) => s.grade)).toEqual([0, 1, 2, 3, 4]);
      expect(mine.map((s) => s.fill)).toEqual(colors);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.x).toBeCloseTo(mine[i - 1]!.x + mine[i - 1]!.width, 1);
      const rowY = mine[0]!.y;
      expect(mine.every((s) => s.y === rowY)).toBe(true);
    }
    const ys = result.ranking.map((c) => segs.find((s) => s.candidate === c.candidate)!.y);
    expect(ys).toEqual(ys.slice().sort((a, b) => a - b));
  });

  it('labels every candidate with rank, name, majority grade and mention', () => {
    for (const c of result.ranking) {
      expect(svg).toContain(`>${c.rank}</text>`);
      expect(svg).toContain(`>${c.candidate}</text>`);
    }
    expect(svg).toContain('>Bien +</text>');
    expect(svg).toContain('>Assez bien \u2212</text>');
    expect(svg).toContain('>Insuffisant</text>');
    expect(svg).toContain('<desc id="mj-desc">1. Christiane Taubira: Bien +; 2. Yannick Jadot: Assez bien +;');
  });

  it('escapes hostile candidate names and grade labels everywhere', () => {
    const evil = meritProfileSvg(rank({ '<script>x</script>': [1, 1], 'a"b\'c&d': [2, 0] }, ['<b>', '&amp;']));
    expect(evil).not.toContain('<script>');
    expect(evil).not.toContain('<b>');
    expect(evil).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(evil).toContain('data-candidate="a&quot;b&apos;c&amp;d"');
    expect(evil).toContain('&amp;amp;');
  });

  it('skips empty grades and survives counts beyond the double range', () => {
    const huge = 10n ** 400n;
    const s = meritProfileSvg(rank({ x: [huge, 0n, huge] }, ['a', 'b', 'c']));
    const segs = segments(s);
    expect(segs.map((g) => g.grade)).toEqual([0, 2]);
    expect(segs[0]!.width).toBeCloseTo(segs[1]!.width, 1);
  });

  it('validates custom colours', () => {
    expect(() => meritProfileSvg(result, { colors: ['#000000'] })).toThrow(FormatError);
    expect(() => meritProfileSvg(result, { colors: ['red', '#000000', '#000000', '#000000', '#000000'] })).toThrow(/options.colors\[0\]/);
  });

  it('has a diverging palette for any number of grades, blue first and red last', () => {
    for (let g = 1; g <= 15; g++) {
      const p = gradeColors(g);
      expect(p).toHaveLength(g);
      expect(new Set(p).size).toBe(g);
      const [r, , b] = rgbOf(p[0]!);
      expect(b!).toBeGreaterThan(r!); // best grade is blue
      if (g > 1) {
        const [r2, g2, b2] = rgbOf(p[g - 1]!);
        expect(r2!).toBeGreaterThan(Math.max(g2!, b2!)); // worst grade is red
      }
    }
    // ColorBrewer RdYlBu, reversed (colour-blind safety: test/mj/colours.test.ts).
    expect(gradeColors(5)).toEqual(['#2c7bb6', '#abd9e9', '#ffffbf', '#fdae61', '#d7191c']);
  });
});

describe.skipIf(CHROMIUM.skip)('meritProfileSvg rendered by headless Chromium', () => {
  it('renders the Primaire Populaire chart to a PNG with the right pixels', async () => {
    const executablePath = CHROMIUM.executable(); // throws why, where a Chromium is required but missing
    const svg = meritProfileSvg(result, { title: 'Primaire Populaire 2022' });
    const [, w, h] = /width="([\d.]+)" height="([\d.]+)"/.exec(svg)!.map(Number) as [number, number, number];
    const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
    let png: Buffer;
    try {
      const page = await browser.newPage({ viewport: { width: Math.ceil(w), height: Math.ceil(h) }, deviceScaleFactor: 1 });
      await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
      png = await page.screenshot({ clip: { x: 0, y: 0, width: Math.ceil(w), height: Math.ceil(h) } });
    } finally {
      await browser.close();
    }
    const image = decodePng(png);
    expect([image.width, image.height]).toEqual([Math.ceil(w), Math.ceil(h)]);

    const line = /<line id="median-line" x1="([\d.]+)" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)"/.exec(svg)!;
    const medianX = +line[1]!;
    const close = (got: number[], want: number[], tolerance: number): boolean => got.every((v, i) => Math.abs(v - want[i]!) <= tolerance);

    let checked = 0;
    for (const s of segments(svg)) {
      if (s.width < 8) continue;
      // Sample near the top-left of the segment: away from the centred percentage and from the 50% line.
      let px = Math.floor(s.x + 3);
      if (Math.abs(px - medianX) < 4) px = Math.floor(s.x + s.width - 4);
      const py = Math.floor(s.y + 4);
      const got = image.pixel(px, py).slice(0, 3);
      expect(close(got, rgbOf(s.fill), 3), `${s.candidate} grade ${s.grade} at (${px},${py}): got ${got}, want ${s.fill}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(30);

    // The 50% line is dark across every bar, and the background beside the bars is white.
    for (const s of segments(svg).filter((x) => x.grade === 0)) {
      const y = Math.floor(s.y + s.height / 2 + 9);
      const onLine = image.pixel(Math.floor(medianX), y);
      expect(Math.max(...onLine.slice(0, 3)), `median line at y=${y}`).toBeLessThan(90);
    }
    expect(image.pixel(2, 2).slice(0, 3)).toEqual([255, 255, 255]);

    // Legend swatches: one per grade, in the grade colours.
    const swatches = [
      ...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="18" height="18" rx="3" fill="(#[0-9a-f]{6})"[^>]*data-legend="(\d)"/g),
    ];
    expect(swatches.map((m) => m[3])).toEqual(gradeColors(5));
    for (const m of swatches)
      expect(close(image.pixel(Math.floor(+m[1]! + 9), Math.floor(+m[2]! + 9)).slice(0, 3), rgbOf(m[3]!), 3)).toBe(true);
  });
});
