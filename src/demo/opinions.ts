/**
 * Simulated voters' opinions for `mjvote demo` and the large-record generator: a seeded,
 * reproducible PRNG (NOT for cryptography: every key, nonce and ballot randomness still comes
 * from the platform CSPRNG) and a simple opinion model.
 *
 * Model: each candidate j has a latent appeal a_j; each voter has a leaning per candidate drawn
 * around it plus a personal severity; the grade is the latent score cut into K bands, so
 * grades are correlated and profiles look like real MJ elections (popular candidates skew to
 * the best grades, fringe ones to the worst).
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../bytes.js';

/** A small seeded PRNG (sfc32) with helpers. */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: string) {
    const h = sha256(utf8(`mjvote-demo-seed:${seed}`));
    const v = new DataView(h.buffer);
    this.a = v.getUint32(0);
    this.b = v.getUint32(4);
    this.c = v.getUint32(8);
    this.d = v.getUint32(12);
    for (let i = 0; i < 16; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** A random subset of size k of [1..n], ascending. */
  subset(n: number, k: number): number[] {
    const all = Array.from({ length: n }, (_, i) => i + 1);
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [all[i], all[j]] = [all[j]!, all[i]!];
    }
    return all.slice(0, k).sort((a, b) => a - b);
  }
}

/** An electorate's opinion model. */
export class OpinionModel {
  private readonly appeal: number[];
  constructor(
    private readonly rng: SeededRandom,
    readonly candidates: number,
    readonly grades: number,
  ) {
    this.appeal = Array.from({ length: candidates }, () => rng.normal() * 0.7);
  }
  /** One voter's grades: an index per candidate, 0 = best. */
  ballot(): number[] {
    const severity = this.rng.normal() * 0.4;
    return this.appeal.map((a) => {
      const score = a - severity + this.rng.normal(); // higher is better
      // Cut the score into K bands, the middle grade at 0; band 0 is the best grade.
      const band = Math.floor(this.grades / 2 - (score * this.grades) / 5);
      return Math.min(this.grades - 1, Math.max(0, band));
    });
  }
}
