/**
 * A small benchmark harness for docs/BENCHMARKS.md: cases of one table run interleaved
 * (round-robin, so that load changes on a shared machine hit every case alike), each `reps`
 * times after a warm-up; the table reports medians and the ratio to the table's baseline
 * (its first case), measured in the same run.
 */
export interface Case {
  name: string;
  /** Work per call, for the per-unit column (e.g. 1000 proofs); default 1. */
  units?: number;
  fn: () => unknown;
}

export interface Row {
  name: string;
  medianMs: number;
  perUnitUs: number;
  ratio: number;
  runs: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs the cases interleaved and returns one row per case (ratio = baseline median / this median). */
export function measure(cases: Case[], reps: number, warmup = 1): Row[] {
  for (let w = 0; w < warmup; w++) for (const c of cases) c.fn();
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < reps; r++)
    cases.forEach((c, i) => {
      const t = performance.now();
      c.fn();
      times[i]!.push(performance.now() - t);
    });
  const base = median(times[0]!) / (cases[0]!.units ?? 1);
  return cases.map((c, i) => {
    const m = median(times[i]!);
    const per = m / (c.units ?? 1);
    return { name: c.name, medianMs: m, perUnitUs: per * 1000, ratio: base / per, runs: reps };
  });
}

/** A markdown table of rows. `unit` names what one unit is (e.g. "op", "proof", "point"). */
export function table(title: string, rows: Row[], unit = 'op'): string {
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
  return [
    `#### ${title}`,
    '',
    `| case | median per call | per ${unit} | speed vs first row |`,
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.medianMs)} ms | ${fmt(r.perUnitUs)} µs | ${r.ratio.toFixed(2)}× |`),
    '',
    `(median of ${rows[0]?.runs} interleaved runs)`,
    '',
  ].join('\n');
}
