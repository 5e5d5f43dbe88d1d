/**
 * Homomorphic aggregation of MJ ballots into an encrypted tally.
 *
 * For candidate j and grade g the encrypted tally is A[j][g] = Σ α, B[j][g] = Σ β over the
 * counted ballots (one per credential, the last one cast). Its decryption is the number of
 * voters who gave j the grade g: the merit profile.
 *
 * Partial tallies combine associatively and commutatively (`merge`), so that a record can be
 * split across workers or machines and the pieces added in any order; a superseded ballot (a
 * revote) is removed with `subtract`.
 * @module
 */
import { FormatError } from '../errors.js';
import type { Group } from '../group/group.js';
import type { Ciphertext } from '../elgamal.js';
import { ciphertextToJson, type CiphertextJson } from '../proofs/wire.js';
import { expectArray, expectObject } from '../json/guards.js';

/** An encrypted tally: one ciphertext per (candidate, grade), and how many ballots it sums. */
export interface EncryptedTally<E> {
  readonly cells: readonly (readonly Ciphertext<E>[])[];
  readonly ballots: number;
}

/** Wire form of an encrypted tally. */
export interface EncryptedTallyJson {
  version: 1;
  ballots: number;
  cells: CiphertextJson[][];
}

/** Ballots a {@link TallyAccumulator} holds before summing them in with `sumMany`. */
const PENDING_BALLOTS = 64;

/** A running encrypted tally (mutable; not shared between threads). */
export class TallyAccumulator<E> {
  private readonly alpha: E[][];
  private readonly beta: E[][];
  private count = 0;

  constructor(
    readonly group: Group<E>,
    readonly candidates: number,
    readonly grades: number,
  ) {
    this.alpha = Array.from({ length: candidates }, () => Array.from({ length: grades }, () => group.identity));
    this.beta = Array.from({ length: candidates }, () => Array.from({ length: grades }, () => group.identity));
  }

  /** Number of ballots currently summed. */
  get ballots(): number {
    return this.count;
  }

  private check(cells: readonly (readonly Ciphertext<E>[])[]): void {
    if (cells.length !== this.candidates || cells.some((r) => r.length !== this.grades))
      throw new RangeError(`tally: expected ${this.candidates}×${this.grades} ciphertexts`);
  }

  /**
   * Ballots added but not yet summed in: each cell is summed with the group's `sumMany` in one
   * call per {@link PENDING_BALLOTS} ballots instead of one `add` per ballot (the WebAssembly
   * backend does it in one call into WebAssembly). Sums commute, so `subtract` and `merge` work
   * on the summed part and only `result` flushes.
   */
  private pending: (readonly (readonly Ciphertext<E>[])[])[] = [];

  private flush(): void {
    if (this.pending.length === 0) return;
    const g = this.group;
    for (let j = 0; j < this.candidates; j++)
      for (let k = 0; k < this.grades; k++) {
        const alphas: E[] = [this.alpha[j]![k]!];
        const betas: E[] = [this.beta[j]![k]!];
        for (const cells of this.pending) {
          alphas.push(cells[j]![k]!.alpha);
          betas.push(cells[j]![k]!.beta);
        }
        this.alpha[j]![k] = g.sumMany(alphas);
        this.beta[j]![k] = g.sumMany(betas);
      }
    this.pending = [];
  }

  /** Adds one ballot's ciphertexts. */
  add(cells: readonly (readonly Ciphertext<E>[])[]): void {
    this.check(cells);
    this.pending.push(cells);
    this.count++;
    if (this.pending.length >= PENDING_BALLOTS) this.flush();
  }

  /** Removes one ballot previously added (a superseded revote). */
  subtract(cells: readonly (readonly Ciphertext<E>[])[]): void {
    this.check(cells);
    if (this.count === 0) throw new RangeError('tally: nothing to subtract from');
    const g = this.group;
    for (let j = 0; j < this.candidates; j++)
      for (let k = 0; k < this.grades; k++) {
        this.alpha[j]![k] = g.subtract(this.alpha[j]![k]!, cells[j]![k]!.alpha);
        this.beta[j]![k] = g.subtract(this.beta[j]![k]!, cells[j]![k]!.beta);
      }
    this.count--;
  }

  /** Adds a partial tally (associative and commutative). */
  merge(other: EncryptedTally<E>): void {
    this.check(other.cells);
    const g = this.group;
    for (let j = 0; j < this.candidates; j++)
      for (let k = 0; k < this.grades; k++) {
        this.alpha[j]![k] = g.add(this.alpha[j]![k]!, other.cells[j]![k]!.alpha);
        this.beta[j]![k] = g.add(this.beta[j]![k]!, other.cells[j]![k]!.beta);
      }
    this.count += other.ballots;
  }

  /** A snapshot of the tally. */
  result(): EncryptedTally<E> {
    this.flush();
    return {
      ballots: this.count,
      cells: this.alpha.map((row, j) => row.map((alpha, k) => ({ alpha, beta: this.beta[j]![k]! }))),
    };
  }
}

/** Cell-wise equality of two encrypted tallies (and of their ballot counts). */
export function talliesEqual<E>(group: Group<E>, a: EncryptedTally<E>, b: EncryptedTally<E>): boolean {
  if (a.ballots !== b.ballots || a.cells.length !== b.cells.length) return false;
  return a.cells.every(
    (row, j) =>
      row.length === b.cells[j]!.length &&
      row.every((c, k) => group.equals(c.alpha, b.cells[j]![k]!.alpha) && group.equals(c.beta, b.cells[j]![k]!.beta)),
  );
}

/** The wire form of an encrypted tally (`tally.json`, the board's tally payload). */
export function encryptedTallyToJson<E>(group: Group<E>, t: EncryptedTally<E>): EncryptedTallyJson {
  return { version: 1, ballots: t.ballots, cells: t.cells.map((row) => row.map((c) => ciphertextToJson(group, c))) };
}

/**
 * Parses an encrypted tally of the given shape. Aggregates may be the identity (a tally of no
 * ballots), so both components allow it.
 */
export function parseEncryptedTally<E>(
  group: Group<E>,
  json: unknown,
  candidates: number,
  grades: number,
  path = 'tally',
): EncryptedTally<E> {
  const o = expectObject(json, path, ['version', 'ballots', 'cells']);
  if (o.version !== 1) throw new FormatError(`${path}.version`, 'expected 1');
  if (typeof o.ballots !== 'number' || !Number.isSafeInteger(o.ballots) || o.ballots < 0)
    throw new FormatError(`${path}.ballots`, 'expected a non-negative integer');
  const cells = expectArray(o.cells, `${path}.cells`, candidates).map((row, j) =>
    expectArray(row, `${path}.cells[${j}]`, grades).map((c, k) => {
      const p = `${path}.cells[${j}][${k}]`;
      const co = expectObject(c, p, ['alpha', 'beta']);
      return {
        alpha: group.fromHex(co.alpha, `${p}.alpha`, { allowIdentity: true }),
        beta: group.fromHex(co.beta, `${p}.beta`, { allowIdentity: true }),
      };
    }),
  );
  return { ballots: o.ballots, cells };
}
