/**
 * The grade colours (`gradeColors`, used by the merit-profile chart and the results page) stay
 * apart for readers with a colour-vision deficiency: every pair of neighbouring grades, for every
 * number of grades an election may have (2 … 10, and the 11 of ColorBrewer's largest scheme),
 * after simulating protanopia, deuteranopia and tritanopia, differs by CIE76 ΔE ≥ 10 — well
 * above the just-noticeable difference (about 2.3), so bars and legend swatches are told apart
 * by colour alone. The former palette (ColorBrewer RdYlGn) fails the same test, which is why it
 * was replaced. The text drawn on each colour (`textOn`) keeps a WCAG AA contrast.
 *
 * Simulation: Machado, Oliveira & Fernandes (2009), "A physiologically-based model for
 * simulation of color vision deficiency", IEEE TVCG 15(6), the matrices for severity 1.0 (the
 * dichromacies), applied to linearised sRGB and clamped to [0, 1]; then CIE XYZ (sRGB primaries,
 * D65) and CIELAB (D65 white).
 */
import { describe, expect, it } from 'vitest';
import { gradeColors, textOn } from '../../src/mj/svg.js';

type Matrix = readonly [readonly number[], readonly number[], readonly number[]];

/** Machado et al. 2009, severity 1.0 (rows act on linear [R, G, B]). */
const DEFICIENCIES: Readonly<Record<string, Matrix>> = {
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
};

/** The smallest ΔE between neighbouring grades that the palette must keep under each simulation. */
const MIN_DELTA_E = 10;

/** ColorBrewer RdYlGn, best (green) first: the palette `gradeColors` had before (2 … 10 grades). */
const RDYLGN: Readonly<Record<number, readonly string[]>> = {
  2: ['#1a9641', '#d7191c'],
  3: ['#1a9641', '#ffffbf', '#d7191c'],
  4: ['#1a9641', '#a6d96a', '#fdae61', '#d7191c'],
  5: ['#1a9641', '#a6d96a', '#ffffbf', '#fdae61', '#d7191c'],
  6: ['#1a9850', '#91cf60', '#d9ef8b', '#fee08b', '#fc8d59', '#d73027'],
  7: ['#1a9850', '#91cf60', '#d9ef8b', '#ffffbf', '#fee08b', '#fc8d59', '#d73027'],
  8: ['#1a9850', '#66bd63', '#a6d96a', '#d9ef8b', '#fee08b', '#fdae61', '#f46d43', '#d73027'],
  9: ['#1a9850', '#66bd63', '#a6d96a', '#d9ef8b', '#ffffbf', '#fee08b', '#fdae61', '#f46d43', '#d73027'],
  10: ['#006837', '#1a9850', '#66bd63', '#a6d96a', '#d9ef8b', '#fee08b', '#fdae61', '#f46d43', '#d73027', '#a50026'],
};

function srgbBytes(hex: string): [number, number, number] {
  expect(hex).toMatch(/^#[0-9a-f]{6}$/);
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** sRGB byte → linear light (IEC 61966-2-1). */
function linear(v: number): number {
  const s = v / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** The colour as a reader with `deficiency` sees it, in linear sRGB (no simulation: `undefined`). */
function seen(hex: string, deficiency?: Matrix): [number, number, number] {
  const rgb = srgbBytes(hex).map(linear);
  if (deficiency === undefined) return rgb as [number, number, number];
  return deficiency.map((row) => Math.min(1, Math.max(0, row[0]! * rgb[0]! + row[1]! * rgb[1]! + row[2]! * rgb[2]!))) as [
    number,
    number,
    number,
  ];
}

/** Linear sRGB → CIELAB (D65). */
function lab([r, g, b]: readonly number[]): [number, number, number] {
  const x = 0.4124564 * r! + 0.3575761 * g! + 0.1804375 * b!;
  const y = 0.2126729 * r! + 0.7151522 * g! + 0.072175 * b!;
  const z = 0.0193339 * r! + 0.119192 * g! + 0.9503041 * b!;
  const f = (t: number): number => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  const [fx, fy, fz] = [f(x / 0.95047), f(y), f(z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/** CIE76 colour difference. */
function deltaE76(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}

/** Every pair of neighbouring colours closer than MIN_DELTA_E for some deficiency, described. */
function confusions(palette: readonly string[]): string[] {
  const found: string[] = [];
  for (const [name, m] of Object.entries(DEFICIENCIES))
    for (let i = 1; i < palette.length; i++) {
      const d = deltaE76(lab(seen(palette[i - 1]!, m)), lab(seen(palette[i]!, m)));
      if (d < MIN_DELTA_E) found.push(`${palette.length} grades, ${name}: ${palette[i - 1]} / ${palette[i]} ΔE ${d.toFixed(1)}`);
    }
  return found;
}

/** WCAG 2.1 contrast ratio of two sRGB colours. */
function contrast(a: string, b: string): number {
  const lum = (h: string): number => {
    const [r, g, bl] = seen(h);
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe('grade colours for colour-blind readers', () => {
  it('the simulation is the published one: pure red and green collapse for deuteranopes, not for tritanopes', () => {
    // Sanity of the machinery: without it, the tests below could pass on a broken simulation.
    const red = lab(seen('#d7191c', DEFICIENCIES.deuteranopia));
    const green = lab(seen('#1a9641', DEFICIENCIES.deuteranopia));
    expect(deltaE76(lab(seen('#d7191c')), lab(seen('#1a9641')))).toBeGreaterThan(80);
    expect(deltaE76(red, green)).toBeLessThan(25);
    expect(deltaE76(lab(seen('#d7191c', DEFICIENCIES.tritanopia)), lab(seen('#1a9641', DEFICIENCIES.tritanopia)))).toBeGreaterThan(60);
    // White stays white and black black under every matrix (each row sums to 1).
    for (const m of Object.values(DEFICIENCIES)) {
      expect(deltaE76(lab(seen('#ffffff', m)), [100, 0, 0])).toBeLessThan(0.5);
      expect(deltaE76(lab(seen('#000000', m)), [0, 0, 0])).toBeLessThan(0.5);
    }
  });

  it(`gradeColors: neighbouring grades differ by ΔE ≥ ${MIN_DELTA_E} under protanopia, deuteranopia and tritanopia, 2 to 11 grades`, () => {
    for (let n = 2; n <= 11; n++) {
      const p = gradeColors(n);
      expect(p).toHaveLength(n);
      expect(confusions(p)).toEqual([]);
    }
  });

  it('the former RdYlGn palette fails the same test (so the test can fail)', () => {
    const all = Object.values(RDYLGN).flatMap(confusions);
    expect(all.length).toBeGreaterThan(0);
    // Its light greens and yellows merge for red–green deficiencies.
    expect(all.some((c) => c.includes('deuteranopia'))).toBe(true);
    expect(all.some((c) => c.includes('protanopia'))).toBe(true);
  });

  it('the text on each colour keeps a contrast of at least 4.5:1 (WCAG AA)', () => {
    for (let n = 1; n <= 11; n++) for (const c of gradeColors(n)) expect(contrast(textOn(c), c), c).toBeGreaterThanOrEqual(4.5);
  });
});
