/**
 * What the checks share while one record is verified: the record's index and manifest, the
 * parsed files, the election the ballots are checked against, and the {@link Findings}.
 * @module
 */
import { FormatError, MjvoteError } from '../errors.js';
import type { Group } from '../group/group.js';
import type { Manifest } from '../election/manifest.js';
import type { Election } from '../election/election.js';
import type { CeremonyTranscript } from '../ceremony/transcript.js';
import type { CredentialList } from '../election/credential.js';
import type { RecordIndex, RecordRole, RecordSource } from '../record/record-source.js';
import type { CheckNumber, Findings } from './report.js';

/** Where a failure is: a line of the board, a JSON path, or both. */
export interface Where {
  readonly line?: number;
  readonly path?: string;
}

/** The shared state of one verification. */
export class RecordContext<E> {
  /** The ceremony transcript as published (null when ceremony.json cannot be read or parsed). */
  transcript: CeremonyTranscript<E> | null = null;
  /** The raw value of ceremony.json (for its canonical hash), when it is JSON. */
  ceremonyJson: unknown = undefined;
  /** The published credential list (null when credentials.json cannot be read or parsed). */
  credentials: CredentialList<E> | null = null;
  /** The raw value of credentials.json, when it is JSON. */
  credentialsJson: unknown = undefined;
  /** The election of the board's `setup` entry, when it parses. */
  setupElection: Election<E> | null = null;
  /**
   * The ballot box's receipt key, from the `setup` entry: the key (a valid Ed25519 public key),
   * null when the entry publishes none, undefined when there is no usable one (no usable setup
   * entry, or an invalid key: check 1).
   */
  receiptKey: Uint8Array | null | undefined = undefined;
  /**
   * Builds the election from manifest.json and ceremony.json, for when the setup entry is
   * unusable; called at most once, and only then (building an election precomputes a key table).
   */
  buildFallbackElection: (() => Election<E> | null) | null = null;
  private fallback: Election<E> | null | undefined = undefined;

  constructor(
    readonly record: RecordSource,
    readonly group: Group<E>,
    readonly findings: Findings,
  ) {}

  /** The record's index (`record.json`), or null for a record in the making without one. */
  get index(): RecordIndex | null {
    return this.record.index;
  }

  /** manifest.json. */
  get manifest(): Manifest {
    return this.record.manifest;
  }

  /** The election ballots, audits and shares are checked against: the setup entry's, else the one rebuilt from the files. */
  get election(): Election<E> | null {
    if (this.setupElection !== null) return this.setupElection;
    if (this.fallback === undefined) this.fallback = this.buildFallbackElection?.() ?? null;
    return this.fallback;
  }

  /** The file name of a role. */
  file(role: RecordRole): string {
    return this.record.files[role];
  }

  /** The path of a role's file. */
  path(role: RecordRole): string {
    return this.record.path(role);
  }

  /** Records a failure of `check` in the file of `role`. */
  fail(check: CheckNumber, role: RecordRole, where: Where, reason: string): void {
    this.findings.fail({
      check,
      file: this.file(role),
      ...(where.line !== undefined && { line: where.line }),
      ...(where.path !== undefined && { path: where.path }),
      reason,
    });
  }

  /**
   * Runs `body`; a FormatError or another mjvote error it throws (untrusted content that does not
   * parse or fit), or a RangeError (a value out of range, or nested too deeply for a recursive
   * step), becomes a failure of `check` and the result is undefined.
   */
  attempt<T>(check: CheckNumber, role: RecordRole, where: Where, body: () => T): T | undefined {
    try {
      return body();
    } catch (e) {
      if (e instanceof FormatError) this.fail(check, role, { ...where, path: e.path }, e.reason);
      else if (e instanceof MjvoteError || e instanceof RangeError) this.fail(check, role, where, e.message);
      else throw e;
      return undefined;
    }
  }

  /** Reads a role's JSON file; a missing or unparsable file is a failure of `check` and gives undefined. */
  async readJson(check: CheckNumber, role: RecordRole): Promise<unknown> {
    const r = await this.record.readJson(role);
    if (r.ok) return r.value;
    this.fail(check, role, {}, `cannot read the file: ${r.reason}`);
    return undefined;
  }
}
