/**
 * A whole election run as separate processes, through the commands only: the organiser
 * (`mjvote election new/open/cast/close/tally/publish/status`), the registrar (`register`), three
 * trustees each on its own identity and state files (`mjvote trustee …`), 50 voters with
 * `mjvote vote` (revotes, an audit, a tampered ballot, a ballot after the close), two trustees
 * decrypting, and `mjvote verify` on the record. The merit profiles must be the grades cast
 * (the last ballot of each voter, counted here from what the voters chose).
 *
 * Along the way, each step refuses what it must, with a clear message, exit 2 or 1, and nothing
 * written (the directory's files are byte for byte the same): `open` with a manifest that is not
 * the transcript's or a credential list of another election; `tally` on an open box; `publish`
 * on an open box and on a sealed but untallied one; `publish` with fewer than t shares, a share
 * of another tally (of a fork of the election's board), a share signed by another trustee than
 * the one it names, a share of a trustee the ceremony does not have.
 *
 * Every command is its own `node --import tsx src/cli/main.ts` process (about a second of start-up
 * each); the voters run a few at a time. Identity and state files use the test-only scrypt cost.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mjvote, type Run } from '../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'mjvote-election-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const at = (...parts: string[]): string => join(tmp, ...parts);

/** Runs `f` over `items`, at most `width` at a time; results in input order. */
async function inParallel<T, R>(items: readonly T[], width: number, f: (x: T, k: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await f(items[k]!, k);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
const WIDTH = Math.max(2, availableParallelism());

function expectOk(r: Run): void {
  expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0);
}

/** A refusal: the exit code, the last line on stderr (but the test-cost warnings) matching, no stack trace. */
function expectRefusal(r: Run, code: 1 | 2, pattern: RegExp): void {
  expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(code);
  const lines = r.stderr
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '' && !l.includes('MJVOTE_TEST_ONLY_SCRYPT_LOG_N'));
  expect(lines.at(-1)).toMatch(pattern);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

/** Every file under `dir` (relative path → SHA-256 of its bytes); empty when `dir` is absent. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else
        out.set(
          p,
          createHash('sha256')
            .update(readFileSync(join(dir, p)))
            .digest('hex'),
        );
    }
  };
  if (existsSync(dir)) walk('');
  return out;
}

/** Runs a step that must be refused and checks that it wrote nothing in `dir`. */
async function refusedLeavesUnchanged(dir: string, args: readonly string[], code: 1 | 2, pattern: RegExp): Promise<Run> {
  const before = snapshot(dir);
  const r = await mjvote(args);
  expectRefusal(r, code, pattern);
  expect(snapshot(dir)).toEqual(before);
  return r;
}

// ---- The election ----
const CANDIDATES = [
  ['c1', 'Ada Lovelace'],
  ['c2', 'Alan Turing'],
  ['c3', 'Grace Hopper'],
  ['c4', 'Edsger Dijkstra'],
] as const;
const GRADES = ['Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant'] as const;
const VOTERS = 50;
const T = 2;

/** A small seeded generator (mulberry32): the same grades on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(2022);
const someGrades = (): number[] => CANDIDATES.map(() => Math.floor(random() * GRADES.length));

/** One `mjvote vote` a voter runs: who, the grades (indices), audit or not, where it writes. */
interface Ballot {
  readonly voter: number;
  readonly grades: readonly number[];
  readonly audit: boolean;
  readonly file: string;
  trackingCode?: string;
}
const ballot = (voter: number, name: string, audit = false): Ballot => ({
  voter,
  grades: someGrades(),
  audit,
  file: at('voters', `${name}.json`),
});

const firstBallots = Array.from({ length: VOTERS }, (_, v) => ballot(v, `voter-${v}`));
const REVOTERS = [3, 11, 19, 27, 35];
const revotes = REVOTERS.map((v) => ballot(v, `voter-${v}-revote`));
const AUDITOR = 7;
const audit = ballot(AUDITOR, `voter-${AUDITOR}-audit`, true);
/** A ballot of voter 9's that a relay alters on the way (a vote changed), and one of voter 13's too late. */
const toTamper = ballot(9, 'voter-9-tampered');
const tooLate = ballot(13, 'voter-13-after-close');

/** The grades counted: the last ballot each voter got onto the board before the seal. */
function expectedProfiles(): string[][] {
  const last = new Map<number, readonly number[]>();
  for (const b of [...firstBallots, ...revotes]) last.set(b.voter, b.grades);
  return CANDIDATES.map((_, j) => GRADES.map((_, g) => String([...last.values()].filter((grades) => grades[j] === g).length)));
}

const trusteeDir = (i: number): string => at(`trustee-${i}`);
/** Trustee i's step, on its own files, with its passphrase from its own file. */
const trustee = (i: number, args: readonly string[]): Promise<Run> =>
  mjvote(['trustee', ...args, '--passphrase-file', join(trusteeDir(i), 'passphrase')]);

let deliveries: { voter: string; code: string }[] = [];
let tallyHead = '';

describe('a whole election through the commands, each role its own process', () => {
  it('the three trustees make their identities', async () => {
    const runs = await inParallel([1, 2, 3], WIDTH, async (i) => {
      mkdirSync(trusteeDir(i));
      writeFileSync(join(trusteeDir(i), 'passphrase'), `trustee ${i} keeps this passphrase to itself\n`, { mode: 0o600 });
      return trustee(i, ['identity', '--out', join(trusteeDir(i), 'identity.json')]);
    });
    runs.forEach(expectOk);
    for (const i of [1, 2, 3]) expect(existsSync(join(trusteeDir(i), 'identity.pub.json'))).toBe(true);
  });

  it('the organiser writes the manifest (and two others, for the refusals below)', async () => {
    const manifestArgs = (out: string, id: string, title: string): string[] => [
      'election',
      'new',
      '--out',
      out,
      '--id',
      id,
      '--title',
      title,
      ...CANDIDATES.flatMap(([id, name]) => ['--candidate', `${id}=${name}`]),
      ...GRADES.flatMap((g) => ['--grade', g]),
      ...[1, 2, 3].flatMap((i) => ['--identity', join(trusteeDir(i), 'identity.pub.json')]),
      '--threshold',
      String(T),
    ];
    const r = await mjvote(manifestArgs(at('manifest.json'), 'e2e-2025', 'Primaire de test'));
    expectOk(r);
    expect(r.stdout).toMatch(/any 2 of whom can decrypt/);
    // The same election id with another title: another manifest, which the ceremony is not bound to.
    expectOk(await mjvote(manifestArgs(at('manifest-other-title.json'), 'e2e-2025', 'Primaire de test (bis)')));
    // Another election altogether.
    expectOk(await mjvote(manifestArgs(at('manifest-other-election.json'), 'e2e-other', 'Une autre élection')));
  });

  it('the registrar registers 50 voters from a CSV file; the codes are only in the delivery file', async () => {
    mkdirSync(at('registrar'));
    const csv = ['name,email', ...Array.from({ length: VOTERS }, (_, v) => `Voter ${v},voter-${v}@example.org`)].join('\n') + '\n';
    writeFileSync(at('registrar', 'voters.csv'), csv);
    const r = await mjvote([
      'election',
      'register',
      '--manifest',
      at('manifest.json'),
      '--voters',
      at('registrar', 'voters.csv'),
      '--column',
      'email',
      '--delivery-out',
      at('registrar', 'delivery.csv'),
      '--credentials-out',
      at('credentials.json'),
    ]);
    expectOk(r);
    expect(statSync(at('registrar', 'delivery.csv')).mode & 0o777).toBe(0o600);
    const [header, ...rows] = readFileSync(at('registrar', 'delivery.csv'), 'utf8').trimEnd().split('\n');
    expect(header).toBe('voter,code,electionId,title');
    deliveries = rows.map((row) => {
      const [voter, code] = row.split(',');
      return { voter: voter!, code: code! };
    });
    expect(deliveries.map((d) => d.voter)).toEqual(Array.from({ length: VOTERS }, (_, v) => `voter-${v}@example.org`));
    expect(new Set(deliveries.map((d) => d.code)).size).toBe(VOTERS);
    for (const { code } of deliveries) expect(r.stdout + r.stderr).not.toContain(code);
    // A credential list of another election, for the refusal at open.
    expectOk(
      await mjvote([
        'election',
        'register',
        '--manifest',
        at('manifest-other-election.json'),
        '--count',
        '3',
        '--delivery-out',
        at('registrar', 'other-delivery.csv'),
        '--credentials-out',
        at('credentials-other-election.json'),
      ]),
    );
  });

  it('the trustees run the key ceremony, each on its own state file, and agree on the joint key', async () => {
    mkdirSync(at('messages'));
    const msg = (name: string): string => at('messages', name);
    const state = (i: number): string => join(trusteeDir(i), 'trustee.state');
    const each = async (step: (i: number) => Promise<Run>): Promise<Run[]> => {
      const runs = await inParallel([1, 2, 3], WIDTH, step);
      runs.forEach(expectOk);
      return runs;
    };
    await each((i) =>
      trustee(i, [
        'init',
        '--manifest',
        at('manifest.json'),
        '--index',
        String(i),
        '--identity',
        join(trusteeDir(i), 'identity.json'),
        '--state',
        state(i),
        '--out',
        msg(`commit-${i}.json`),
      ]),
    );
    await each((i) =>
      trustee(i, [
        'reveal',
        '--state',
        state(i),
        '--commitments',
        at('messages'),
        '--out',
        msg(`reveal-${i}.json`),
        '--shares-out',
        msg(`shares-${i}.json`),
      ]),
    );
    await each((i) =>
      trustee(i, [
        'check',
        '--state',
        state(i),
        '--reveals',
        at('messages'),
        '--shares',
        at('messages'),
        '--out',
        msg(`complaints-${i}.json`),
      ]),
    );
    const transcript = await mjvote([
      'trustee',
      'transcript',
      '--manifest',
      at('manifest.json'),
      '--messages',
      at('messages'),
      '--out',
      at('ceremony.json'),
    ]);
    expectOk(transcript);
    expect(transcript.stdout).toContain('qualified trustees: 1, 2, 3');
    const finished = await each((i) => trustee(i, ['finish', '--state', state(i), '--transcript', at('ceremony.json')]));
    const keys = [transcript, ...finished].map((r) => /joint public key: ([0-9a-f]{64})/.exec(r.stdout)?.[1]);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(1);
  });

  it('open refuses a manifest that is not the transcript’s, and a credential list of another election, writing nothing', async () => {
    const open = (manifest: string, credentials: string): string[] => [
      'election',
      'open',
      at('election'),
      '--manifest',
      manifest,
      '--ceremony',
      at('ceremony.json'),
      '--credentials',
      credentials,
    ];
    await refusedLeavesUnchanged(tmp, open(at('manifest-other-title.json'), at('credentials.json')), 1, /not this manifest's ceremony/);
    await refusedLeavesUnchanged(
      tmp,
      open(at('manifest.json'), at('credentials-other-election.json')),
      2,
      /credentials\.electionId: expected 'e2e-2025', got 'e2e-other'/,
    );
    expect(existsSync(at('election'))).toBe(false);
  });

  it('the organiser opens the ballot box (and, for the refusals below, a fork of it)', async () => {
    const open = (dir: string): Promise<Run> =>
      mjvote([
        'election',
        'open',
        dir,
        '--manifest',
        at('manifest.json'),
        '--ceremony',
        at('ceremony.json'),
        '--credentials',
        at('credentials.json'),
      ]);
    const r = await open(at('election'));
    expectOk(r);
    expect(r.stdout).toContain(`${VOTERS} registered voters, trustees 1, 2, 3 qualified`);
    // The same election opened twice: a second board, the fork a dishonest organiser could show a trustee.
    expectOk(await open(at('fork')));
  });

  it('the voters vote with mjvote vote, a few at a time, each with its own code', async () => {
    mkdirSync(at('voters'));
    const all = [...firstBallots, audit, ...revotes, toTamper, tooLate];
    const runs = await inParallel(all, WIDTH, (b) =>
      mjvote(
        [
          'vote',
          '--election',
          at('election'),
          ...CANDIDATES.flatMap(([id], j) => ['--grade', `${id}=${GRADES[b.grades[j]!]}`]),
          ...(b.audit ? ['--audit'] : []),
          '--out',
          b.file,
        ],
        { MJVOTE_CREDENTIAL_CODE: deliveries[b.voter]!.code },
      ),
    );
    runs.forEach((r, k) => {
      expectOk(r);
      const b = all[k]!;
      b.trackingCode = /^tracking code ([0-9A-Z-]+)/.exec(r.stderr)?.[1];
      expect(b.trackingCode).toBeDefined();
      expect(r.stdout + r.stderr).not.toContain(deliveries[b.voter]!.code);
    });
    // The relay changes voter 9's vote for the first candidate: the two first choices swapped.
    const line = JSON.parse(readFileSync(toTamper.file, 'utf8')) as { answers: { choices: unknown[] }[] };
    const choices = line.answers[0]!.choices;
    [choices[0], choices[1]] = [choices[1], choices[0]];
    writeFileSync(toTamper.file, JSON.stringify(line) + '\n');
  });

  it('a fork of the board is tallied and trustee 3 decrypts it (a share of another tally, for the refusals)', async () => {
    const fork = at('fork');
    expectOk(await mjvote(['election', 'cast', fork, firstBallots[0]!.file, firstBallots[1]!.file]));
    expectOk(await mjvote(['election', 'close', fork]));
    expectOk(await mjvote(['election', 'tally', fork]));
    const r = await trustee(3, [
      'decrypt',
      '--state',
      join(trusteeDir(3), 'trustee.state'),
      '--record',
      fork,
      '--out',
      at('messages', 'decryption-share-3-fork.json'),
    ]);
    expectOk(r);
  });

  it('on the open box, tally and publish are refused and write nothing', async () => {
    const dir = at('election');
    await refusedLeavesUnchanged(dir, ['election', 'tally', dir], 1, /the election is open; close it first/);
    await refusedLeavesUnchanged(
      dir,
      ['election', 'publish', dir, '--shares', at('messages', 'decryption-share-3-fork.json')],
      1,
      /the election is open; close and tally it first/,
    );
  });

  it('the ballot box casts the ballots: one answer each, the tampered one refused', async () => {
    const dir = at('election');
    const batch = [...firstBallots, audit, toTamper];
    const r = await mjvote(['election', 'cast', dir, ...batch.map((b) => b.file), '--json']);
    expect(r.code, r.stderr).toBe(1); // a line was refused; the others are cast
    const answers = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { accepted: boolean; audit?: boolean; trackingCode?: string; code?: string; path?: string });
    expect(answers).toHaveLength(batch.length);
    firstBallots.forEach((b, k) => expect(answers[k]).toMatchObject({ accepted: true, trackingCode: b.trackingCode, revote: false }));
    expect(answers[VOTERS]).toMatchObject({ audit: true, accepted: true });
    expect(answers[VOTERS + 1]).toMatchObject({ accepted: false, code: 'bad-signature' });
    // Revotes, in a second batch: each replaces its voter's earlier ballot.
    const again = await mjvote(['election', 'cast', dir, ...revotes.map((b) => b.file), '--json']);
    expectOk(again);
    const revoteAnswers = again.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(revoteAnswers).toEqual(
      revotes.map((b) => expect.objectContaining({ accepted: true, trackingCode: b.trackingCode, revote: true })),
    );
    const status = await mjvote(['election', 'status', dir, '--json']);
    expectOk(status);
    expect(JSON.parse(status.stdout)).toMatchObject({
      phase: 'open',
      registered: VOTERS,
      ballots: VOTERS + REVOTERS.length,
      voters: VOTERS,
      audits: 1,
      decryptionShares: 0,
    });
  });

  it('the organiser closes the box: a later ballot is refused and leaves the board as it was', async () => {
    const dir = at('election');
    expectOk(await mjvote(['election', 'close', dir]));
    const before = snapshot(dir);
    const late = await mjvote(['election', 'cast', dir, tooLate.file, '--json']);
    expect(late.code).toBe(1);
    expect(JSON.parse(late.stdout)).toMatchObject({ accepted: false, code: 'sealed' });
    expect(snapshot(dir)).toEqual(before);
    // Sealed but not tallied: nothing to publish yet.
    await refusedLeavesUnchanged(
      dir,
      ['election', 'publish', dir, '--shares', at('messages', 'decryption-share-3-fork.json')],
      1,
      /the election is sealed; close and tally it first/,
    );
  });

  it('the organiser tallies; trustees 1 and 2 decrypt, each pinning the announced board head', async () => {
    const dir = at('election');
    const r = await mjvote(['election', 'tally', dir]);
    expectOk(r);
    expect(r.stdout).toContain(`tally: ${VOTERS} counted ballots`);
    tallyHead = /board head: ([0-9a-f]{64})/.exec(r.stdout)![1]!;
    const runs = await inParallel([1, 2], WIDTH, (i) =>
      trustee(i, [
        'decrypt',
        '--state',
        join(trusteeDir(i), 'trustee.state'),
        '--record',
        dir,
        '--board-head',
        tallyHead,
        '--out',
        at('messages', `decryption-share-${i}.json`),
      ]),
    );
    runs.forEach(expectOk);
    for (const run of runs) expect(run.stdout).toContain(`BOARD HEAD  ${tallyHead}`);
  });

  it('publish refuses too few shares, a share of another tally, a share not signed by its trustee, a trustee the ceremony does not have', async () => {
    const dir = at('election');
    const share = (name: string): string => at('messages', name);
    await refusedLeavesUnchanged(
      dir,
      ['election', 'publish', dir, '--shares', share('decryption-share-1.json')],
      1,
      /1 valid decryption share message\(s\) \(trustees 1\), threshold t = 2; missing: 2, 3/,
    );
    await refusedLeavesUnchanged(
      dir,
      ['election', 'publish', dir, '--shares', share('decryption-share-1.json'), '--shares', share('decryption-share-3-fork.json')],
      2,
      /decryption-share-3-fork\.json\.tallySha256: shares of another tally than tally\.json/,
    );
    // Trustee 1's share file, relabelled as trustee 2's: its identity signature is trustee 1's.
    const one = JSON.parse(readFileSync(share('decryption-share-1.json'), 'utf8')) as { message: { trustee: number } };
    writeFileSync(share('relabelled-as-2.json'), JSON.stringify({ ...one, message: { ...one.message, trustee: 2 } }));
    await refusedLeavesUnchanged(
      dir,
      ['election', 'publish', dir, '--shares', share('decryption-share-1.json'), '--shares', share('relabelled-as-2.json')],
      1,
      /threshold t = 2; .*invalid: trustee 2 \(unsigned\)/,
    );
    writeFileSync(share('relabelled-as-4.json'), JSON.stringify({ ...one, message: { ...one.message, trustee: 4 } }));
    await refusedLeavesUnchanged(
      dir,
      ['election', 'publish', dir, '--shares', share('decryption-share-2.json'), '--shares', share('relabelled-as-4.json')],
      2,
      /relabelled-as-4\.json\.message\.trustee/,
    );
  });

  it('publish writes the record, which mjvote verify accepts, with the merit profiles of the grades cast', async () => {
    const dir = at('election');
    const share = (i: number): string => at('messages', `decryption-share-${i}.json`);
    const pub = await mjvote(['election', 'publish', dir, '--shares', share(1), '--shares', share(2)]);
    expectOk(pub);
    expect(pub.stdout).toContain('decrypted with the shares of trustees 1, 2 (valid: 1, 2)');
    const status = await mjvote(['election', 'status', dir, '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ phase: 'published', decryptionShares: 2 });

    // Every voter's last tracking code is on the board, counted.
    const counted = new Map<number, string>();
    for (const b of [...firstBallots, ...revotes]) counted.set(b.voter, b.trackingCode!);
    writeFileSync(at('tracking-codes.txt'), [...counted.values()].join('\n') + '\n');
    const verify = await mjvote(['verify', dir, '--json', '--tracking-codes', at('tracking-codes.txt')]);
    expect(verify.code, verify.stderr).toBe(0);
    const report = JSON.parse(verify.stdout) as { ok: boolean; checks: { failures: unknown[] }[] };
    expect(report.ok, JSON.stringify(report.checks.filter((c) => c.failures.length > 0))).toBe(true);

    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as {
      ballots: number;
      meritProfiles: { candidate: string; counts: string[] }[];
    };
    expect(result.ballots).toBe(VOTERS);
    expect(result.meritProfiles.map((p) => p.candidate)).toEqual(CANDIDATES.map(([id]) => id));
    expect(result.meritProfiles.map((p) => p.counts)).toEqual(expectedProfiles());
    for (const f of ['record.json', 'decryption-shares.json', 'tally.json', 'board.jsonl']) expect(existsSync(join(dir, f))).toBe(true);
  });
});
