/**
 * `mjvote verify DIR`: the universal verifier on an election record directory. Prints each
 * numbered check with pass/fail and its counts, every failure (file, line, JSON path, reason),
 * and the result it recomputed (merit profiles and ranking); `--json` prints the full report.
 * Exit status: 0 every check passes, 1 some check fails, 2 the record cannot be read at all.
 * @module
 */
import { availableParallelism } from 'node:os';
import cliProgress from 'cli-progress';
import { verifyRecord, type VerifyProgress } from '../verify/verify-record.js';
import { verificationReportToJson, RecordUnreadableError, RECEIPTS_CHECK, type VerificationReport } from '../verify/report.js';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  parseCommandArgs,
  readTextInput,
  processIo,
  runReporting,
  type CliIo,
  type Command,
} from './command.js';
import { formatRankTable } from './rank.js';
import { FormatError } from '../errors.js';
import { parseTrackingCode } from '../ballot/hash.js';
import { parseJson } from '../json/parse.js';
import type { GivenReceipt } from '../verify/receipts.js';

const USAGE = `Usage: mjvote verify DIR [--json] [--no-batch] [--workers N] [--up-to tally] [--board-head HASH]
                    [--tracking-code CODE]... [--tracking-codes FILE] [--receipt FILE]...

Verifies an election record directory (as written by mjvote demo or a ballot box) from the
record alone: no secret, no trust in the platform. Nine numbered checks of the record, and a
tenth of the receipts given (docs/verification.md):
  1 parameters   manifest, setup entry, election fingerprint recomputed; version 2: the
                 trustees are the manifest's (identity keys) and signed every ceremony message
  2 ceremony     commitments and reveals, proofs of knowledge, complaints, qualified set,
                 joint key, trustee verification keys
  3 credentials  credential list well-formed, no duplicates, published before the first ballot
  4 ballots      every ballot: format, election, credential listed, signature, every proof,
                 no duplicate, no replayed ciphertext
  5 board        hash chain, seal, nothing after the seal but tally, shares, result;
                 last ballot per credential counted
  6 tally        each encrypted tally cell = sum of the counted ballots
  7 decryption   every share's proof (and, version 2, its trustee's identity signature),
                 at least t valid, combination = published counts
  8 result       counts sum to the counted ballots, MJ ranking recomputed = published
  9 audits       audited ballots' openings consistent, none of them cast
 10 receipts     each receipt given that the ballot box signed (with the key its setup entry
                 publishes) is on the board as signed; skipped without --receipt

Options:
  --json         print the full report as JSON (every check, count and failure)
  --no-batch     check ballot proofs one by one instead of in batches (slower; same failures)
  --workers N    threads checking ballots (default: the number of cores; 1 = no worker threads)
  --up-to tally  a record in the making, sealed and tallied but not yet decrypted (what
                 trustees and auditors check before the decryption): checks 7 and 8 are
                 skipped and record.json may be absent (the files then have their default names)
  --board-head HASH
                 the board must end at this head (64 hex digits, published elsewhere: by the
                 auditors, in the press), which rules out a second, forked board
  --tracking-code CODE
                 a voter's tracking code (six groups of five; repeatable): reported as counted,
                 superseded (a later ballot of the same credential counts), audited or absent,
                 with what the voter should do
  --tracking-codes FILE
                 tracking codes, one per line (blank lines and lines starting with # ignored)
  --receipt FILE a ballot receipt the ballot box gave (repeatable; the file holds one receipt
                 or JSON lines of receipts; - reads standard input): reported on the board,
                 MISSING (check 10 fails: the box acknowledged a ballot the board does not
                 hold), not signed by this box, of another election, or malformed
  -h, --help     show this help

Exit status: 0 every check passes (and every tracking code given is on the board, every receipt
given is on the board as signed); 1 some check fails (each failure is listed), or a tracking
code given is absent, or a receipt given is not one this box signed for this election; 2 the
record cannot be read at all (DIR, record.json or the manifest missing, unreadable or invalid),
a receipt file is not JSON, or a bad option.
`;

const OPTIONS = {
  json: { type: 'boolean' },
  'no-batch': { type: 'boolean' },
  workers: { type: 'string' },
  'up-to': { type: 'string' },
  'board-head': { type: 'string' },
  'tracking-code': { type: 'string', multiple: true },
  'tracking-codes': { type: 'string' },
  receipt: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The human-readable summary of a report. */
export function formatVerificationReport(report: VerificationReport): string {
  const out: string[] = [];
  out.push(`record:   ${report.dir}`);
  out.push(
    `election: ${report.electionId} (${report.group}), ${report.counts.candidates} candidates, ${report.counts.grades} grades, ${report.counts.trustees} trustees (t = ${report.counts.threshold})`,
  );
  if (report.trustees !== undefined)
    report.trustees.forEach((t, i) =>
      out.push(
        `${i === 0 ? 'trustees:' : ''.padEnd(9)} ${t.trustee} ${t.fingerprint}${i === 0 ? '  (identity fingerprints, as the manifest lists them)' : ''}`,
      ),
    );
  for (const note of report.notes) out.push(`note:     ${note}`);
  out.push('');
  const nameWidth = Math.max(...report.checks.map((c) => c.name.length + String(c.number).length - 1));
  for (const c of report.checks) {
    const counts = Object.entries(c.counts)
      .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
      .join(', ');
    const nFail = c.failures.length + c.omitted;
    const status = c.status === 'fail' ? `FAIL (${nFail})` : c.status === 'skipped' ? 'skipped' : 'pass';
    const note = c.status === 'skipped' && c.skipped ? `  [${c.skipped}]` : '';
    // Check 10's wider number eats into its name's column, so that the status column stays aligned.
    const name = c.name.padEnd(nameWidth - String(c.number).length + 1);
    out.push(`  ${c.number} ${name}  ${status.padEnd(10)}  ${counts}${note}`.trimEnd());
  }
  // A skipped check 10 (no receipt given) is no fault of the record: the table says why.
  const failed = report.checks.filter((c) => c.status !== 'pass' && !(c.number === RECEIPTS_CHECK && c.status === 'skipped'));
  if (failed.some((c) => c.failures.length > 0)) {
    out.push('');
    out.push('failures:');
    for (const c of failed) {
      for (const f of c.failures) {
        const where = [f.file, f.line !== undefined ? `line ${f.line}` : '', f.path ?? ''].filter((x) => x !== '').join(', ');
        out.push(`  [${c.number} ${c.name}] ${where}: ${f.reason}`);
      }
      if (c.omitted > 0) out.push(`  [${c.number} ${c.name}] … and ${c.omitted.toLocaleString('en-US')} more failures of this check`);
    }
  }
  if (report.result) {
    const r = report.result;
    out.push('');
    out.push(
      r.source === 'decryption'
        ? 'result recomputed from the threshold decryption of the tally:'
        : 'result ranked from the PUBLISHED merit profiles (the decryption did not give them):',
    );
    out.push(formatRankTable(r.ranking).trimEnd());
    out.push('');
    out.push(`merit profiles (counts per grade, ${r.ranking.grades[0]} … ${r.ranking.grades[r.ranking.grades.length - 1]}):`);
    const w = Math.max(...r.meritProfiles.map((p) => p.name.length));
    for (const p of r.meritProfiles) out.push(`  ${p.name.padEnd(w)}  ${p.counts.map(String).join(' ')}`);
  }
  out.push('');
  const secs = (report.ms / 1000).toFixed(1);
  const figures = `${report.counts.ballots} ballot entries, ${report.counts.counted} counted, ${report.counts.audits} audits; ${report.batch ? 'batched' : 'one-by-one'} proofs; ${secs} s`;
  if (report.trackingCodes !== undefined) {
    out.push('');
    out.push('tracking codes:');
    for (const t of report.trackingCodes)
      out.push(`  ${t.code}  ${t.status.toUpperCase().padEnd(10)}${t.line === undefined ? '' : ` (board line ${t.line})`}: ${t.advice}`);
  }
  if (report.receipts !== undefined) {
    out.push('');
    out.push('receipts:');
    for (const r of report.receipts) {
      const what = [r.trackingCode, r.line === undefined ? undefined : `entry ${r.line}`].filter((x) => x !== undefined).join(', ');
      out.push(`  ${r.source}  ${r.status.toUpperCase().replace(/-/g, ' ')}${what === '' ? '' : ` (${what})`}: ${r.reason}`);
      out.push(`      ${r.advice}`);
    }
  }
  const skipped = report.checks.filter((c) => c.status === 'skipped' && c.number !== RECEIPTS_CHECK);
  const passed = report.checks.filter((c) => c.status === 'pass');
  if (report.ok && skipped.length === 0) out.push(`VERIFIED: all ${passed.length} checks pass (${figures})`);
  else if (report.ok) {
    out.push(
      `VERIFIED up to the tally: checks ${passed.map((c) => c.number).join(', ')} pass; ${skipped.map((c) => c.number).join(' and ')} skipped, not yet decrypted (${figures})`,
    );
  } else {
    const n = failed.reduce((s, c) => s + c.failures.length + c.omitted, 0);
    const notPassed = failed.filter((c) => c.status === 'fail');
    const alsoSkipped = failed.filter((c) => c.status === 'skipped');
    const which = notPassed.length > 0 ? notPassed : failed;
    const skippedNote = notPassed.length > 0 && alsoSkipped.length > 0 ? `; ${alsoSkipped.map((c) => c.number).join(', ')} skipped` : '';
    out.push(
      `FAILED: check${which.length > 1 ? 's' : ''} ${which.map((c) => c.number).join(', ')} did not pass${skippedNote} (${n} failure${n === 1 ? '' : 's'}; ${figures})`,
    );
  }
  const notEvidence = (report.receipts ?? []).filter((r) => r.status !== 'on-board' && r.status !== 'missing').length;
  if (notEvidence > 0)
    out.push(
      `${notEvidence} of the ${report.receipts!.length} receipts given ${notEvidence === 1 ? 'is' : 'are'} not evidence about this board (see receipts above)`,
    );
  return out.join('\n') + '\n';
}

/**
 * The receipts of a `--receipt` file: one JSON receipt (pretty-printed or not), or JSON lines
 * of receipts (blank lines ignored), each named `FILE line N`.
 * @throws UsageError when the file is neither.
 */
export function receiptsOfFile(text: string, file: string): GivenReceipt[] {
  let whole: FormatError;
  try {
    return [{ json: parseJson(text, file), source: file }];
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    whole = e;
  }
  const out: GivenReceipt[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, l] of lines.entries()) {
    if (l.trim() === '') continue;
    const source = `${file} line ${i + 1}`;
    try {
      out.push({ json: parseJson(l, source), source });
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      throw new UsageError(`--receipt ${file}: neither one JSON receipt nor JSON lines of receipts (${whole.message})`);
    }
  }
  if (out.length === 0) throw new UsageError(`--receipt ${file}: no receipt in the file`);
  return out;
}

/** A progress bar on stderr (a terminal only). */
function progressBar(): { update: (p: VerifyProgress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | null = null;
  let phase = '';
  const stop = (): void => {
    bar?.stop();
    bar = null;
  };
  return {
    update: (p) => {
      if (p.phase !== phase) {
        stop();
        phase = p.phase;
        if (p.phase === 'board') {
          bar = new cliProgress.SingleBar(
            {
              format: 'board        [{bar}] {percentage}% {eta_formatted}',
              hideCursor: true,
              clearOnComplete: true,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, 0);
        }
      }
      bar?.update(p.done);
    },
    stop,
  };
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  return runReporting('mjvote verify', io, async () => {
    const { values, positionals } = parseCommandArgs(argv, OPTIONS, 'verify');
    if (values.help) {
      io.stdout(USAGE);
      return EXIT_OK;
    }
    if (positionals.length === 0) throw new UsageError('missing the record directory DIR (see mjvote verify --help)');
    if (positionals.length > 1)
      throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} (one record directory at a time)`);
    let workers = availableParallelism();
    if (values.workers !== undefined) {
      if (!/^[1-9][0-9]{0,2}$/.test(values.workers))
        throw new UsageError(`--workers: expected an integer in [1, 999], got '${values.workers}'`);
      workers = Number(values.workers);
    }
    const upTo = values['up-to'] ?? 'result';
    if (upTo !== 'result' && upTo !== 'tally') throw new UsageError(`--up-to: expected tally or result, got '${upTo}'`);
    const head = values['board-head'];
    if (head !== undefined && !/^[0-9a-f]{64}$/.test(head))
      throw new UsageError('--board-head: expected 64 lowercase hex digits (a board head hash)');
    const codes = [...(values['tracking-code'] ?? [])];
    if (values['tracking-codes'] !== undefined) {
      const text = await readTextInput(values['tracking-codes'], io);
      for (const l of text.split(/\r?\n/)) if (l.trim() !== '' && !l.trim().startsWith('#')) codes.push(l.trim());
    }
    for (const c of codes) {
      try {
        parseTrackingCode(c, `tracking code ${JSON.stringify(c)}`);
      } catch (e) {
        if (e instanceof FormatError) throw new UsageError(`${e.path}: ${e.reason}`);
        throw e;
      }
    }
    const receipts: GivenReceipt[] = [];
    for (const file of values.receipt ?? []) receipts.push(...receiptsOfFile(await readTextInput(file, io), file));
    const dir = positionals[0]!;
    const tty = io === processIo && process.stderr.isTTY === true && !values.json;
    const bar = tty ? progressBar() : null;
    let report: VerificationReport;
    try {
      report = await verifyRecord(dir, {
        batch: !values['no-batch'],
        workers,
        upTo,
        ...(codes.length > 0 && { trackingCodes: codes }),
        ...(receipts.length > 0 && { receipts }),
        ...(head !== undefined && { expectedHead: head }),
        ...(bar && { onProgress: bar.update }),
      });
    } catch (e) {
      if (e instanceof RecordUnreadableError) {
        io.stderr(`mjvote verify: the record cannot be read: ${e.message}\n`);
        return EXIT_USAGE;
      }
      throw e;
    } finally {
      bar?.stop();
    }
    io.stdout(values.json ? JSON.stringify(verificationReportToJson(report), null, 2) + '\n' : formatVerificationReport(report));
    const absent = report.trackingCodes?.some((t) => t.status === 'absent') ?? false;
    const notEvidence = report.receipts?.some((r) => r.status !== 'on-board') ?? false;
    return report.ok && !absent && !notEvidence ? EXIT_OK : EXIT_FAILURE;
  });
}

/** The `verify` command. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify an election record (and receipts): ten numbered checks, every failure named',
  usage: USAGE,
  run,
};
