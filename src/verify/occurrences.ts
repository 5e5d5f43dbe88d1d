/**
 * An index of keys (ballot hashes, first ciphertexts) seen on the board, by line, that partial
 * results can merge: it keeps the first and the last occurrence of each key, so that merging
 * index A (earlier lines) with index B (later lines) compares A's last occurrence with B's
 * first. Every repeated occurrence is then reported once, against the occurrence just before
 * it, whichever way the merges are grouped (the merge is associative).
 * @module
 */

/** One occurrence of a key: its line and a tag (e.g. the credential that cast it). */
export interface Occurrence<T> {
  readonly line: number;
  readonly tag: T;
}

/** Keys by first and last occurrence; add in line order, merge later indexes into earlier ones. */
export class OccurrenceIndex<T> {
  private readonly first = new Map<string, Occurrence<T>>();
  /** Only for keys seen more than once (rare): memory stays one entry per key. */
  private readonly last = new Map<string, Occurrence<T>>();

  /** Number of distinct keys. */
  get size(): number {
    return this.first.size;
  }

  /** Records an occurrence (lines in increasing order); returns the previous occurrence of the key, if any. */
  add(key: string, line: number, tag: T): Occurrence<T> | undefined {
    const o = { line, tag };
    const f = this.first.get(key);
    if (f === undefined) {
      this.first.set(key, o);
      return undefined;
    }
    const prev = this.last.get(key) ?? f;
    this.last.set(key, o);
    return prev;
  }

  /** Whether the key was seen. */
  has(key: string): boolean {
    return this.first.has(key);
  }

  /** The line of the key's first occurrence, if it was seen. */
  firstLine(key: string): number | undefined {
    return this.first.get(key)?.line;
  }

  /**
   * Merges an index of later lines into this one, calling `conflict(previous, next)` for every
   * key both hold (previous = this index's last occurrence, next = the other's first).
   */
  merge(later: OccurrenceIndex<T>, conflict: (previous: Occurrence<T>, next: Occurrence<T>) => void): void {
    for (const [key, f] of later.first) {
      const mine = this.first.get(key);
      const laterLast = later.last.get(key);
      if (mine === undefined) {
        this.first.set(key, f);
        if (laterLast !== undefined) this.last.set(key, laterLast);
        continue;
      }
      conflict(this.last.get(key) ?? mine, f);
      this.last.set(key, laterLast ?? f);
    }
  }

  /** Every key. */
  keys(): IterableIterator<string> {
    return this.first.keys();
  }

  /** A structured-clonable copy (to send a worker's index to the main thread). */
  toWire(): OccurrenceIndexWire<T> {
    return { first: [...this.first], last: [...this.last] };
  }

  /** Rebuilds an index from {@link OccurrenceIndex.toWire}. */
  static fromWire<T>(w: OccurrenceIndexWire<T>): OccurrenceIndex<T> {
    const x = new OccurrenceIndex<T>();
    for (const [k, o] of w.first) x.first.set(k, o);
    for (const [k, o] of w.last) x.last.set(k, o);
    return x;
  }
}

/** Wire form of an {@link OccurrenceIndex}. */
export interface OccurrenceIndexWire<T> {
  first: [string, Occurrence<T>][];
  last: [string, Occurrence<T>][];
}
