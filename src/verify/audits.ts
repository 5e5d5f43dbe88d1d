/**
 * Check 9: audited (opened) ballots. Each `audit` entry holds a ballot of this election and its
 * Benaloh opening, which must re-encrypt to it; no ballot entry (cast before or after the audit)
 * may carry the hash of an audited ballot. Audits are few: their hashes are kept in memory.
 * @module
 */
import { expectObject } from '../json/guards.js';
import { parseBallot } from '../ballot/parse.js';
import { checkOpening, parseOpening } from '../ballot/opening.js';
import { checkBallot } from '../ballot/check.js';
import type { JsonObject } from '../json/canonical.js';
import type { RecordContext } from './context.js';
import type { OccurrenceIndex } from './occurrences.js';

/** The audits seen on the board. */
export class AuditChecks<E> {
  /** Audited ballot hash → line of its audit entry. */
  private readonly audited = new Map<string, number>();
  private count = 0;
  private valid = 0;

  constructor(private readonly ctx: RecordContext<E>) {}

  /** The audited ballots: ballot hash → line of its (first) audit entry. */
  get auditedHashes(): ReadonlyMap<string, number> {
    return this.audited;
  }

  /** Checks one `audit` entry. */
  add(line: number, payload: JsonObject | null): void {
    const ctx = this.ctx;
    this.count++;
    const election = ctx.election;
    if (election === null) return;
    const before = ctx.findings.failureCount(9);
    const opened = ctx.attempt(9, 'board', { line }, () => {
      const p = expectObject(payload, 'payload', ['ballot', 'opening']);
      return { ballot: parseBallot(p.ballot, election, 'payload.ballot'), opening: parseOpening(p.opening, election, 'payload.opening') };
    });
    if (opened === undefined) return;
    const { ballot, opening } = opened;
    if (ballot.electionId !== election.manifest.electionId || ballot.fingerprintHex !== election.fingerprintHex)
      ctx.fail(9, 'board', { line, path: 'payload.ballot.fingerprint' }, 'the audited ballot is for another election');
    const c = checkOpening(election, ballot, opening);
    if (!c.ok) ctx.fail(9, 'board', { line, path: `payload.${c.path}` }, c.reason);
    // The audited ballot is a ballot the booth made: its signature, proofs and credential are
    // checked as a cast ballot's are (a failure points at the booth, or at the board's writer).
    const b = checkBallot(election, ballot, { ...(ctx.credentials !== null && { credentials: ctx.credentials }), batch: true });
    if (!b.ok) ctx.fail(9, 'board', { line, path: `payload.${b.path}` }, `the audited ballot fails its checks (${b.code}): ${b.reason}`);
    const first = this.audited.get(ballot.hashHex);
    if (first === undefined) this.audited.set(ballot.hashHex, line);
    else ctx.fail(9, 'board', { line, path: 'payload.ballot' }, `this ballot was already audited at line ${first}`);
    if (ctx.findings.failureCount(9) === before) this.valid++;
  }

  /** After the board: no cast ballot is an audited one; sets the counts. */
  finish(castHashes: OccurrenceIndex<null> | null): void {
    const ctx = this.ctx;
    if (castHashes !== null)
      for (const [hash, line] of this.audited) {
        const cast = castHashes.firstLine(hash);
        if (cast !== undefined)
          ctx.fail(
            9,
            'board',
            { line },
            `this audited ballot was also cast (ballot entry at line ${cast}): an opened ballot must never be cast`,
          );
      }
    if (this.count > 0 && ctx.election === null) ctx.findings.skip(9, 'no usable election parameters (checks 1 and 2)');
    ctx.findings.count(9, 'audits', this.count);
    ctx.findings.count(9, 'valid', this.valid);
  }
}
