/**
 * The merit-profile chart: one horizontal stacked bar per candidate, in rank order, one colour
 * per grade from best (blue, left) to worst (red, right), a vertical line at 50% through the
 * majority grades, and for each candidate its rank, name, majority grade and mention.
 *
 * Self-contained SVG 1.1: no scripts, no external fonts, stylesheets or images (system font
 * stack only), every label XML-escaped. Display only: widths are floating point, the ranking
 * and the printed percentages come from the exact result.
 *
 * Colours: ColorBrewer RdYlBu (Cynthia Brewer, Mark Harrower, The Pennsylvania State
 * University; Apache License 2.0), reversed so that blue is the best grade. Not RdYlGn: its
 * greens and reds collapse for red–green colour-blind readers (test/mj/colours.test.ts).
 * @module
 */
import { FormatError } from '../errors.js';
import { formatPercent } from './fraction.js';
import type { CandidateResult, MjResult } from './rank.js';
import type { MjRule } from './rules.js';

/**
 * ColorBrewer RdYlBu schemes for 3 … 11 grades, reversed: best grade (dark blue) first, worst
 * (red) last. Adjacent colours stay apart under protanopia, deuteranopia and tritanopia
 * (CIE76 ΔE ≥ 10 after the Machado–Oliveira–Fernandes simulation: test/mj/colours.test.ts).
 */
const RDYLBU: Readonly<Record<number, readonly string[]>> = {
  3: ['#91bfdb', '#ffffbf', '#fc8d59'],
  4: ['#2c7bb6', '#abd9e9', '#fdae61', '#d7191c'],
  5: ['#2c7bb6', '#abd9e9', '#ffffbf', '#fdae61', '#d7191c'],
  6: ['#4575b4', '#91bfdb', '#e0f3f8', '#fee090', '#fc8d59', '#d73027'],
  7: ['#4575b4', '#91bfdb', '#e0f3f8', '#ffffbf', '#fee090', '#fc8d59', '#d73027'],
  8: ['#4575b4', '#74add1', '#abd9e9', '#e0f3f8', '#fee090', '#fdae61', '#f46d43', '#d73027'],
  9: ['#4575b4', '#74add1', '#abd9e9', '#e0f3f8', '#ffffbf', '#fee090', '#fdae61', '#f46d43', '#d73027'],
  10: ['#313695', '#4575b4', '#74add1', '#abd9e9', '#e0f3f8', '#fee090', '#fdae61', '#f46d43', '#d73027', '#a50026'],
  11: ['#313695', '#4575b4', '#74add1', '#abd9e9', '#e0f3f8', '#ffffbf', '#fee090', '#fdae61', '#f46d43', '#d73027', '#a50026'],
};

const HEX_COLOUR_RE = /^#[0-9a-fA-F]{6}$/;

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function hex(c: readonly number[]): string {
  return '#' + c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}

/**
 * A diverging palette of `count` colours, best grade first: dark blue → pale yellow → red
 * (ColorBrewer RdYlBu reversed for 3 to 11 grades, the 4-class scheme's ends for 2; linear
 * interpolation of the 11-class scheme beyond 11, whose neighbours then come closer than the
 * colour-blindness test's threshold). Safe for the common colour-vision deficiencies: no
 * red–green opposition, and lightness falls off on both sides of the middle grade.
 */
export function gradeColors(count: number): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('gradeColors: count must be a positive integer');
  if (count === 1) return ['#2c7bb6'];
  if (count === 2) return ['#2c7bb6', '#d7191c'];
  const scheme = RDYLBU[count];
  if (scheme) return scheme.slice();
  const base = RDYLBU[11]!.map(rgb);
  return Array.from({ length: count }, (_, i) => {
    const x = (i * (base.length - 1)) / (count - 1);
    const lo = Math.floor(x);
    const hi = Math.min(lo + 1, base.length - 1);
    const t = x - lo;
    return hex(base[lo]!.map((v, k) => v + (base[hi]![k]! - v) * t));
  });
}

/** Dark or white text, whichever reads better on `background` (`#rrggbb`; WCAG relative luminance). */
export function textOn(background: string): string {
  const [r, g, b] = rgb(background).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.3 ? '#1b1b1b' : '#ffffff';
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Options of {@link meritProfileSvg}. */
export interface MeritProfileSvgOptions {
  /** Chart title (default: none). */
  readonly title?: string;
  /** Width in pixels (default 960; grows if the labels need it). */
  readonly width?: number;
  /** One `#rrggbb` colour per grade, best first (default: {@link gradeColors}). */
  readonly colors?: readonly string[];
  /** Line under the title (default: rule and number of voters; `''` for none). */
  readonly subtitle?: string;
}

const RULE_NAMES: Readonly<Record<MjRule, string>> = {
  'majority-judgment': 'Majority judgment',
  'majority-gauge': 'Majority gauge',
  typical: 'Typical judgment (Fabre)',
  usual: 'Usual judgment (Fabre)',
  central: 'Central judgment (Fabre)',
};

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const PAD = 24;
const ROW = 40;
const BAR = 26;
const MINUS = '\u2212';

/** A conservative width estimate for `text` at `size` px (no font metrics in a pure function). */
function textWidth(text: string, size: number, bold = false): number {
  let units = 0;
  for (const ch of text) units += /[MWmw@%]/.test(ch) ? 0.95 : /[il.,:;'|!Ijt ]/.test(ch) ? 0.36 : /[A-Z0-9]/.test(ch) ? 0.74 : 0.62;
  return Math.ceil(units * size * (bold ? 1.12 : 1));
}

/** Centre of a label of width `lw` in the segment [x, x+w], moved off the 50% line when it would cross it. */
function labelCentre(x: number, w: number, lw: number, medianX: number): number {
  const centre = x + w / 2;
  if (Math.abs(centre - medianX) >= lw / 2 + 4) return centre;
  const right = medianX + 5 + lw / 2;
  const left = medianX - 5 - lw / 2;
  if (right + lw / 2 <= x + w - 2) return right;
  if (left - lw / 2 >= x + 2) return left;
  return centre;
}

function gradeLabel(c: CandidateResult): string {
  const mention = c.mention === '-' ? MINUS : c.mention;
  return mention ? `${c.majorityGrade.label} ${mention}` : c.majorityGrade.label;
}

function num(x: number): string {
  return (Math.round(x * 100) / 100).toString();
}

function text(x: number, y: number, size: number, content: string, attrs = ''): string {
  return `<text x="${num(x)}" y="${num(y)}" font-size="${size}"${attrs ? ' ' + attrs : ''}>${escapeXml(content)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, attrs: string): string {
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" ${attrs}/>`;
}

/**
 * The merit-profile chart of a ranking, as a self-contained SVG document (a string).
 * Bars are in rank order; segment `i` of a bar is grade `i` (best first) and carries
 * `data-candidate` and `data-grade` attributes; the 50% line has `id="median-line"`.
 */
export function meritProfileSvg(result: MjResult, options: MeritProfileSvgOptions = {}): string {
  const grades = result.grades;
  const colors = options.colors ? options.colors.slice() : gradeColors(grades.length);
  if (colors.length !== grades.length)
    throw new FormatError('options.colors', `expected ${grades.length} colours (one per grade), got ${colors.length}`);
  colors.forEach((c, i) => {
    if (!HEX_COLOUR_RE.test(c)) throw new FormatError(`options.colors[${i}]`, `expected #rrggbb, got ${JSON.stringify(c)}`);
  });
  const rows = result.ranking;
  const voters = rows.length > 0 && rows.every((c) => c.total === rows[0]!.total) ? rows[0]!.total : undefined;
  const subtitle =
    options.subtitle ??
    `${RULE_NAMES[result.rule]}${voters !== undefined ? ` · ${voters.toLocaleString('en-US')} voters` : ''} · the grade under the 50% line is the majority grade`;

  // Columns: rank | name | bar | majority grade pill.
  const rankWidth = textWidth(String(rows.length), 14, true) + 14;
  const nameWidth = Math.max(80, ...rows.map((c) => textWidth(c.candidate, 15, true)));
  const pillWidth = Math.max(...rows.map((c) => textWidth(gradeLabel(c), 14, true))) + 24;
  const minBar = 360;
  const fixed = PAD + rankWidth + nameWidth + 20 + 16 + pillWidth + PAD;
  const width = Math.max(options.width ?? 960, fixed + minBar, PAD * 2 + (options.title ? textWidth(options.title, 22, true) : 0));
  const barX = PAD + rankWidth + nameWidth + 20;
  const barW = width - fixed;
  const pillX = barX + barW + 16;

  const out: string[] = [];
  let y = PAD;
  if (options.title) {
    y += 22;
    out.push(text(PAD, y, 22, options.title, 'font-weight="700" fill="#1b1b1b"'));
  }
  if (subtitle) {
    y += options.title ? 24 : 16;
    out.push(text(PAD, y, 14, subtitle, 'fill="#555555"'));
  }

  // Legend: one swatch per grade, best first; wraps to several lines when needed.
  y += 18;
  let lx = PAD;
  const legend: string[] = [];
  grades.forEach((g, i) => {
    const w = 18 + 6 + textWidth(g, 14) + 18;
    if (lx + w > width - PAD && lx > PAD) {
      lx = PAD;
      y += 24;
    }
    legend.push(rect(lx, y, 18, 18, `rx="3" fill="${colors[i]}" stroke="#8a8a8a" stroke-width="1" data-legend="${i}"`));
    legend.push(text(lx + 24, y + 14, 14, g, 'fill="#1b1b1b"'));
    lx += w;
  });
  out.push(`<g id="legend">${legend.join('')}</g>`);
  y += 18 + 22;

  const top = y;
  const medianX = barX + barW / 2;
  rows.forEach((c, r) => {
    const rowY = top + r * ROW;
    const barY = rowY + (ROW - BAR) / 2;
    const mid = barY + BAR / 2 + 5;
    const parts: string[] = [];
    parts.push(text(PAD + rankWidth - 14, mid, 14, String(c.rank), 'font-weight="700" fill="#555555" text-anchor="end"'));
    parts.push(text(PAD + rankWidth, mid, 15, c.candidate, 'font-weight="700" fill="#1b1b1b"'));
    let x = barX;
    c.profile.forEach((count, g) => {
      if (count === 0n) return;
      const w = (Number((count * 1_000_000n) / c.total) / 1_000_000) * barW; // bigint-safe share
      const attrs = `fill="${colors[g]}" data-candidate="${escapeXml(c.candidate)}" data-grade="${g}"`;
      parts.push(rect(x, barY, w, BAR, attrs));
      if (w >= 34) {
        const label = `${formatPercent(count, c.total, 0)}%`;
        parts.push(
          text(labelCentre(x, w, textWidth(label, 12), medianX), mid, 12, label, `fill="${textOn(colors[g]!)}" text-anchor="middle"`),
        );
      }
      x += w;
    });
    parts.push(rect(barX, barY, barW, BAR, 'fill="none" stroke="#8a8a8a" stroke-width="1"'));
    const alpha = c.majorityGrade.index;
    const label = gradeLabel(c);
    parts.push(rect(pillX, barY, pillWidth, BAR, `rx="${BAR / 2}" fill="${colors[alpha]}" stroke="#8a8a8a" stroke-width="1"`));
    parts.push(text(pillX + pillWidth / 2, mid, 14, label, `font-weight="700" fill="${textOn(colors[alpha]!)}" text-anchor="middle"`));
    out.push(`<g class="candidate">${parts.join('')}</g>`);
  });
  const bottom = top + rows.length * ROW;
  out.push(text(medianX, top - 6, 12, '50%', 'fill="#1b1b1b" text-anchor="middle" font-weight="700"'));
  out.push(
    `<line id="median-line" x1="${num(medianX)}" y1="${num(top)}" x2="${num(medianX)}" y2="${num(bottom)}" stroke="#1b1b1b" stroke-width="2"/>`,
  );
  const height = bottom + PAD;

  const titleText = options.title ?? 'Merit profiles';
  const desc = rows.map((c) => `${c.rank}. ${c.candidate}: ${gradeLabel(c)}`).join('; ');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" ` +
    `role="img" aria-labelledby="mj-title mj-desc" font-family="${escapeXml(FONT)}">` +
    `<title id="mj-title">${escapeXml(titleText)}</title><desc id="mj-desc">${escapeXml(desc)}</desc>` +
    rect(0, 0, width, height, 'fill="#ffffff"') +
    out.join('') +
    `</svg>\n`
  );
}
