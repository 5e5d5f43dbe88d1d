/**
 * The tamper suite: one valid demo record (10 voters, 3 candidates, 3 grades, 3 trustees with
 * t = 2, with revotes and an audit) is copied for each case, edited, and verified. The untouched
 * record passes; each edit fails with the check that should catch it (asserted by number). Board
 * edits are re-chained like a forger would (seq, prev, seal, record.json's boardHead), so that
 * they do not merely break the chain; the un-rechained variants fail check 5.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runDemoElection, type DemoReport } from '../../src/demo/simulate.js';
import { parseElection, type Election } from '../../src/election/election.js';
import { generateCredential } from '../../src/election/credential.js';
import { encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { openingToJson } from '../../src/ballot/opening.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { schnorrProofToJson } from '../../src/proofs/wire.js';
import { fromHex } from '../../src/bytes.js';
import type { JsonObject } from '../../src/json/canonical.js';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { type VerificationReport } from '../../src/verify/report.js';
import { verifyJsonOn } from '../helpers/cli.js';
import {
  allFailures,
  copyRecord,
  failedChecks,
  flipHex,
  lineOf,
  manifestCeremonyParams,
  readBoard,
  resign,
  readJson,
  writeBoardRaw,
  writeBoardRechained,
  writeJson,
  type Line,
  removeCopies,
  tempDir,
} from './helpers.js';

afterAll(removeCopies);

let record: string;
let election: Election<any>;
let demo: DemoReport;

beforeAll(async () => {
  record = tempDir();
  const r = (demo = await runDemoElection({
    voters: 10,
    candidates: 3,
    grades: 3,
    trustees: 3,
    threshold: 2,
    out: record,
    seed: 'tamper-suite',
    revoteRate: 0.3,
    audits: 1,
  }));
  // The suite needs at least one revote and one audit on the board.
  expect(r.revotes).toBeGreaterThanOrEqual(1);
  expect(r.audits).toBe(1);
  election = parseElection(readBoard(record)[0]!.payload.election);
});

/** Copies the record, applies `edit` to the copy, verifies it. */
async function tampered(edit: (dir: string) => void, opts: { batch?: boolean } = {}): Promise<VerificationReport> {
  const dir = copyRecord(record);
  edit(dir);
  return verifyRecord(dir, opts);
}

/** Edits the board's lines and writes them back re-chained (seal counts recomputed). */
function editBoard(edit: (lines: Line[]) => void, rechain = true): (dir: string) => void {
  return (dir) => {
    const lines = readBoard(dir);
    edit(lines);
    if (rechain) writeBoardRechained(dir, lines, { fixSealCounts: true });
    else writeBoardRaw(dir, lines);
  };
}

/** Ballot lines' indexes (0-based) whose credential casts exactly one ballot. */
function singleBallots(lines: readonly Line[]): number[] {
  const creds = lines.filter((l) => l.kind === 'ballot').map((l) => (l.payload.ballot as any).credential as string);
  return lines
    .map((l, i) => (l.kind === 'ballot' && creds.filter((c) => c === (l.payload.ballot as any).credential).length === 1 ? i : -1))
    .filter((i) => i >= 0);
}

/** Flips one byte of a hex scalar so that it stays a canonical scalar (< q). */
function flipScalarByte(hex: string): string {
  for (let i = hex.length - 2; i >= 0; i -= 2) {
    const b = parseInt(hex.slice(i, i + 2), 16) ^ 0x01;
    const h = hex.slice(0, i) + b.toString(16).padStart(2, '0') + hex.slice(i + 2);
    try {
      election.group.scalarFromHex(h, 's');
      return h;
    } catch {
      /* next byte */
    }
  }
  throw new Error('no byte flip keeps the scalar canonical');
}

const ballotOf = (l: Line): any => l.payload.ballot;

/** Edits the ballot of the k-th voter with a single ballot, re-chained; the report and the edited line. */
async function editSingleBallot(k: number, edit: (ballot: any) => void): Promise<{ r: VerificationReport; line: number }> {
  let line = 0;
  const r = await tampered(
    editBoard((lines) => {
      const i = singleBallots(lines)[k]!;
      line = i + 1;
      edit(ballotOf(lines[i]!));
    }),
  );
  return { r, line };
}

/** Inserts a ballot entry just before the seal, re-chained; the report and its line. */
async function insertBeforeSeal(ballot: unknown): Promise<{ r: VerificationReport; line: number }> {
  let line = 0;
  const r = await tampered(
    editBoard((lines) => {
      line = lineOf(lines, 'seal') + 1;
      lines.splice(line - 1, 0, { ...lines[lineOf(lines, 'ballot')]!, payload: { ballot: ballot as JsonObject } });
    }),
  );
  return { r, line };
}

function expectFails(r: VerificationReport, checks: number[]): void {
  expect(failedChecks(r), allFailures(r)).toEqual(checks);
}

describe('verifyRecord on the untouched demo record', () => {
  it('passes every check and recomputes the published result', async () => {
    const r = await verifyRecord(record);
    expect(r.ok, allFailures(r)).toBe(true);
    // A demo record is version 2: its trustees are the manifest's, and nothing needs a note.
    expect([r.recordVersion, readJson(record, 'record.json').version, readJson(record, 'manifest.json').version]).toEqual([2, 2, 2]);
    expect(r.trustees!.map((t) => t.fingerprint)).toEqual(demo.identities.map((id) => id.fingerprint));
    expect(r.notes).toEqual([]);
    expect(r.checks.map((c) => c.status)).toEqual([...Array(9).fill('pass'), 'skipped']); // 10: no receipt given
    expect(r.counts.counted).toBe(10);
    expect(r.counts.revotes).toBeGreaterThanOrEqual(1);
    expect(r.counts.audits).toBe(1);
    const published = readJson(record, 'result.json');
    expect(r.result!.source).toBe('decryption');
    expect(r.result!.meritProfiles.map((p) => p.counts.map(String))).toEqual(published.meritProfiles.map((p: any) => p.counts));
    expect(r.result!.ranking.ranking.map((c) => c.candidate)).toEqual(published.ranking.ranking.map((c: any) => c.candidate));
  });

  it('batch and one-by-one give the same report', async () => {
    const a = await verifyRecord(record, { batch: true });
    const b = await verifyRecord(record, { batch: false, chunkSize: 3 });
    expect(b.checks).toEqual(a.checks);
  });
});

describe('each edit fails the right check', () => {
  it('a byte flipped in a ciphertext: check 4 (the ballot) and 6 (the tally no longer adds up)', async () => {
    const { r, line } = await editSingleBallot(0, (b) => (b.answers[1].choices[1].beta = flipHex(b.answers[1].choices[1].beta, 10)));
    expectFails(r, [4, 6]);
    expect(r.checks[3]!.failures.map((f) => f.line)).toEqual([line]);
  });

  it('a byte flipped in a proof: check 4 names the proof (and the signature over the changed hash)', async () => {
    const { r, line } = await editSingleBallot(
      1,
      (b) => (b.answers[2].proofs[1][0].response = flipScalarByte(b.answers[2].proofs[1][0].response)),
    );
    expectFails(r, [4]);
    const f = r.checks[3]!.failures;
    expect(f.every((x) => x.line === line)).toBe(true);
    // The ballot hash covers the proofs, so the signature fails first (checkBallot's order).
    expect(f.map((x) => x.reason).join('\n')).toMatch(/bad-signature/);
  });

  it('a byte flipped in a proof of a re-signed ballot: check 4 names that proof (the batch bisects to it)', async () => {
    // A booth that tampers with a proof and re-signs: only the proof is wrong. We hold this
    // (unlisted) credential's secret, so we can re-sign like the demo's faulty booth does.
    const cred = generateCredential(election.group, election.manifest.electionId);
    const json = ballotToJson(encryptBallot(election, cred, [0, 1, 2]).cast()) as any;
    json.answers[1].exactlyOne.response = flipScalarByte(json.answers[1].exactlyOne.response);
    const hash = parseBallot(json, election).hashHex;
    json.signature = schnorrProofToJson(election.group, cred.signBallotHash(election.fingerprint, fromHex(hash)));
    const { r, line } = await insertBeforeSeal(json);
    expect(failedChecks(r)).toContain(4);
    expect(r.checks[3]!.failures.map((f) => [f.line, f.path, f.reason.split(':')[0]])).toEqual([
      [line, 'payload.ballot.answers[1].exactlyOne', 'bad-proof'],
      [line, 'payload.ballot.credential', 'unknown-credential'],
    ]);
  });

  it('a byte flipped in a signature: check 4 only', async () => {
    const { r, line } = await editSingleBallot(2, (b) => (b.signature.response = flipScalarByte(b.signature.response)));
    expectFails(r, [4]);
    expect(r.checks[3]!.failures).toEqual([
      expect.objectContaining({
        check: 4,
        file: 'board.jsonl',
        line,
        path: 'payload.ballot.signature',
        reason: expect.stringMatching(/^bad-signature: /),
      }),
    ]);
  });

  it('the same edits without re-chaining fail check 5 as well', async () => {
    const r = await tampered(
      editBoard((lines) => {
        const s = ballotOf(lines[singleBallots(lines)[2]!]!).signature;
        s.response = flipScalarByte(s.response);
      }, false),
    );
    expectFails(r, [4, 5]);
    // The next line's prev no longer matches; the final head is unchanged (the edit is not at the end).
    expect(r.checks[4]!.failures.map((f) => f.path)).toEqual(['prev']);
  });

  it('a counted ballot dropped (a revote removed, so the voter still counts): check 6 only', async () => {
    const r = await tampered(
      editBoard((lines) => {
        const creds: (string | null)[] = lines.map((l) => (l.kind === 'ballot' ? ballotOf(l).credential : null));
        const revotes = creds.map((c, i) => (c !== null && creds.indexOf(c) !== i ? i : -1)).filter((i) => i >= 0);
        const last = revotes[revotes.length - 1]!;
        lines.splice(last, 1);
      }),
    );
    expectFails(r, [6]);
    expect(r.checks[5]!.failures.every((f) => f.file === 'tally.json' && /^tally\.cells\[/.test(f.path!))).toBe(true);
  });

  it("a voter's only ballot dropped: check 6 (and the result no longer counts the same ballots)", async () => {
    const r = await tampered(editBoard((lines) => void lines.splice(singleBallots(lines)[0]!, 1)));
    expect(failedChecks(r)).toEqual(expect.arrayContaining([6, 8]));
    expect(failedChecks(r)).not.toContain(4);
    expect(allFailures(r)).toMatch(/10 ballots, but 9 are counted/);
  });

  it('a ballot added under an unlisted credential: check 4 names it', async () => {
    const cred = generateCredential(election.group, election.manifest.electionId);
    const { r, line } = await insertBeforeSeal(ballotToJson(encryptBallot(election, cred, [0, 0, 0]).cast()));
    expect(failedChecks(r)).toContain(4);
    expect(r.checks[3]!.failures).toEqual([
      expect.objectContaining({ line, path: 'payload.ballot.credential', reason: expect.stringMatching(/^unknown-credential/) }),
    ]);
    // Counted by the board's rule, so the published tally (which lacks it) no longer matches.
    expect(failedChecks(r)).toContain(6);
  });

  it('a copy of a ballot under another credential: check 4 (replay, and its proofs are bound to the first credential)', async () => {
    let line = 0;
    const r = await tampered(
      editBoard((lines) => {
        const i = lineOf(lines, 'ballot', 0);
        const other = lines.slice(i + 1).find((l) => l.kind === 'ballot' && ballotOf(l).credential !== ballotOf(lines[i]!).credential)!;
        const copy = structuredClone(lines[i]!);
        ballotOf(copy).credential = ballotOf(other).credential;
        lines.splice(i + 1, 0, copy); // before the other voter's own ballot, which supersedes it
        line = i + 2;
      }),
    );
    expectFails(r, [4]);
    const reasons = r.checks[3]!.failures.filter((f) => f.line === line).map((f) => f.reason);
    expect(reasons.join('\n')).toMatch(/replay: these ciphertexts were cast by another credential at line/);
    expect(reasons.join('\n')).toMatch(/bad-signature|bad-proof/);
  });

  it('one count changed in the result: checks 7 (decryption gives other counts) and 8 (sums)', async () => {
    const r = await tampered((dir) => {
      const res = readJson(dir, 'result.json');
      res.meritProfiles[1].counts[0] = String(BigInt(res.meritProfiles[1].counts[0]) + 1n);
      writeJson(dir, 'result.json', res);
    });
    expectFails(r, [7, 8]);
    expect(r.checks[6]!.failures).toEqual([expect.objectContaining({ file: 'result.json', path: 'result.meritProfiles[1].counts[0]' })]);
  });

  it('a "__proto__" member inside result.json\'s ranking: it differs from the board entry and from the recomputed ranking', async () => {
    const r = await tampered((dir) => {
      const text = readFileSync(join(dir, 'result.json'), 'utf8');
      // JSON.parse makes "__proto__" an own member; compared through `in`, it matched Object.prototype.
      writeFileSync(join(dir, 'result.json'), text.replace('"ranking": {', '"ranking": {"__proto__": {}, '));
    });
    expect(r.ok).toBe(false);
    expect(allFailures(r)).toMatch(
      /result\.ranking\.__proto__ differs from the board's result entry \(line \d+\): missing on the second side/,
    );
  });

  it('two candidates swapped in the ranking: check 8 only', async () => {
    const r = await tampered((dir) => {
      const res = readJson(dir, 'result.json');
      const rk = res.ranking.ranking;
      [rk[0].candidate, rk[1].candidate] = [rk[1].candidate, rk[0].candidate];
      writeJson(dir, 'result.json', res);
    });
    expectFails(r, [8]);
    expect(allFailures(r)).toMatch(/result\.ranking\.ranking\[0\]\.candidate/);
  });

  it('a decryption share changed and re-signed by its trustee (faulty software; file and board entry, re-chained): check 7 names the trustee and the share', async () => {
    let trustee = 0;
    const change = (msg: any) => {
      trustee = msg.trustee;
      msg.shares[2].share = msg.shares[3].share; // a valid element, not s_j·α
      resign(manifestCeremonyParams(record), 'decryption-share', msg, demo.identities[trustee - 1]!);
    };
    const r = await tampered((dir) => {
      editBoard((lines) => change(lines[lineOf(lines, 'decryption-share')]!.payload.shares))(dir);
      const file = readJson(dir, 'decryption-shares.json');
      change(file.shares[0]);
      writeJson(dir, 'decryption-shares.json', file);
    });
    expectFails(r, [7]);
    const f = r.checks[6]!.failures;
    expect(f.some((x) => x.path === 'payload.shares.shares[2]' && x.reason.includes(`trustee ${trustee}`))).toBe(true);
    // With t = 2 and only 2 messages, one invalid message leaves too few to decrypt.
    expect(f.some((x) => /threshold t = 2/.test(x.reason))).toBe(true);
  });

  it('a decryption share changed by someone else (its identity signature no longer verifies): check 7 names the trustee', async () => {
    let trustee = 0;
    const change = (msg: any) => {
      trustee = msg.trustee;
      msg.shares[2].share = msg.shares[3].share;
    };
    const r = await tampered((dir) => {
      editBoard((lines) => change(lines[lineOf(lines, 'decryption-share')]!.payload.shares))(dir);
      const file = readJson(dir, 'decryption-shares.json');
      change(file.shares[0]);
      writeJson(dir, 'decryption-shares.json', file);
    });
    expectFails(r, [7]);
    const f = r.checks[6]!.failures;
    expect(
      f.some((x) => x.path === 'payload.shares' && x.reason.startsWith(`trustee ${trustee}: unsigned: not signed by the identity key`)),
    ).toBe(true);
  });

  it("a trustee's commitment removed from the ceremony: check 2", async () => {
    const r = await tampered((dir) => {
      const c = readJson(dir, 'ceremony.json');
      c.commitments.splice(0, 1);
      writeJson(dir, 'ceremony.json', c);
    });
    expectFails(r, [2]);
    expect(allFailures(r)).toMatch(/qualified/);
  });

  it('the hash chain broken (a line edited in place): check 5 only', async () => {
    const r = await tampered(
      editBoard((lines) => {
        const l = lines[lineOf(lines, 'ballot', 1)]!;
        // Always a different time (the record is made now: its milliseconds may already be 999).
        const before = l.time;
        l.time = l.time.replace(/\.\d{3}Z$/, l.time.endsWith('.999Z') ? '.998Z' : '.999Z');
        expect(l.time).not.toBe(before);
      }, false),
    );
    expectFails(r, [5]);
    expect(r.checks[4]!.failures).toHaveLength(1);
    expect(r.checks[4]!.failures[0]!.path).toBe('prev');
  });

  it('a line deleted without re-chaining: one seq and one prev failure, whatever follows', async () => {
    const r = await tampered(editBoard((lines) => void lines.splice(lineOf(lines, 'credentials') + 1, 1), false));
    const paths = r.checks[4]!.failures.filter((f) => f.path === 'seq' || f.path === 'prev');
    expect(paths).toHaveLength(2);
  });

  it('a ballot appended after the seal: check 5 (and it is not counted)', async () => {
    let line = 0;
    const r = await tampered(
      editBoard((lines) => {
        const copy = structuredClone(lines[lineOf(lines, 'ballot', 0)]!);
        line = lineOf(lines, 'tally') + 1;
        lines.splice(line - 1, 0, copy);
      }),
    );
    expect(failedChecks(r)).toContain(5);
    expect(r.checks[4]!.failures).toEqual([expect.objectContaining({ line, path: 'kind', reason: expect.stringMatching(/sealed/) })]);
    // Checked as a ballot (a duplicate), but not counted: the tally and result still hold.
    expect(failedChecks(r)).toEqual([4, 5]);
  });

  it('the manifest changed: check 1 only', async () => {
    const r = await tampered((dir) => {
      const m = readJson(dir, 'manifest.json');
      m.title = 'another election';
      writeJson(dir, 'manifest.json', m);
    });
    expectFails(r, [1]);
    expect(r.checks[0]!.failures.map((f) => f.file)).toEqual(expect.arrayContaining(['manifest.json', 'board.jsonl']));
  });

  it('a credential removed from the list: check 3 (hash, count) and 4 (that voter is no longer listed)', async () => {
    const r = await tampered((dir) => {
      const c = readJson(dir, 'credentials.json');
      // The list is in no voter's order (the registrar shuffles it): leave the auditing voter's
      // credential, whose audit would fail check 9 too.
      const lines = readBoard(dir);
      const audited = ballotOf(lines[lineOf(lines, 'audit')]!).credential;
      c.credentials.splice(
        c.credentials.findIndex((x: string) => x !== audited),
        1,
      );
      writeJson(dir, 'credentials.json', c);
    });
    expectFails(r, [3, 4]);
  });

  it("an audit's opening changed: check 9", async () => {
    const r = await tampered(
      editBoard((lines) => {
        const o = lines[lineOf(lines, 'audit')]!.payload.opening as any;
        o.grades[0] = (o.grades[0] + 1) % 3;
      }),
    );
    expectFails(r, [9]);
  });

  it('an audit published twice: check 9 names the repeat', async () => {
    const r = await tampered(
      editBoard((lines) => {
        const a = lines[lineOf(lines, 'audit')]!;
        lines.splice(lineOf(lines, 'audit') + 1, 0, structuredClone(a));
      }),
    );
    expectFails(r, [9]);
    expect(r.checks[8]!.failures[0]!.reason).toMatch(/^this ballot was already audited at line \d+$/);
  });

  it('an audit of a ballot under an unregistered credential (valid opening): check 9', async () => {
    const stranger = generateCredential(election.group, election.manifest.electionId);
    const handle = encryptBallot(election, stranger, [0, 1, 2]);
    const opening = openingToJson(election, handle.audit());
    const r = await tampered(
      editBoard((lines) => {
        const a = lines[lineOf(lines, 'audit')]!;
        lines.splice(lineOf(lines, 'audit') + 1, 0, {
          ...a,
          payload: { ballot: ballotToJson(handle.ballot) as unknown as JsonObject, opening: opening as unknown as JsonObject },
        });
      }),
    );
    expectFails(r, [9]);
    expect(r.checks[8]!.failures[0]!.reason).toMatch(/^the audited ballot fails its checks \(unknown-credential\)/);
  });

  it('an audited ballot cast: check 9 (and 4: never castable, here also counted)', async () => {
    const r = await tampered(
      editBoard((lines) => {
        const a = lines[lineOf(lines, 'audit')]!;
        lines.splice(lineOf(lines, 'seal'), 0, { ...a, kind: 'ballot', payload: { ballot: a.payload.ballot! } });
      }),
    );
    expect(failedChecks(r)).toContain(9);
    expect(r.checks[8]!.failures[0]!.reason).toMatch(/also cast/);
  });
});

describe('batch and one-by-one report the same failures', () => {
  it('on a board with several bad ballots in different chunks', async () => {
    const edit = editBoard((lines) => {
      const singles = singleBallots(lines);
      ballotOf(lines[singles[0]!]!).signature.response = flipScalarByte(ballotOf(lines[singles[0]!]!).signature.response);
      const p = ballotOf(lines[singles[3]!]!).answers[0].proofs[2][1];
      p.challenge = flipScalarByte(p.challenge);
      ballotOf(lines[singles[5]!]!).answers[1].choices[0].alpha = ballotOf(lines[singles[4]!]!).answers[1].choices[0].alpha;
    });
    const dir = copyRecord(record);
    edit(dir);
    const a = await verifyRecord(dir, { batch: true, chunkSize: 4 });
    const b = await verifyRecord(dir, { batch: false, chunkSize: 4 });
    const c = await verifyRecord(dir, { batch: true, chunkSize: 1000 });
    const d = verifyJsonOn('noble', dir).report;
    expect(a.checks[3]!.failures.map((f) => f.line)).toHaveLength(3);
    expect(b.checks).toEqual(a.checks);
    expect(c.checks).toEqual(a.checks);
    expect(d.checks).toEqual(a.checks);
  });
});
