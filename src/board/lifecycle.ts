/**
 * The lifecycle of a board: which entry kinds may follow which. The log treats kinds as opaque
 * strings and payloads as opaque JSON; the lifecycle is the only protocol it enforces, on
 * append and again on every read.
 *
 * A lifecycle is a sequence of steps, like a regular expression over kinds: each step names
 * one or more kinds and how many entries it holds (`'1'` exactly one, `'?'` at most one,
 * `'*'` any number, `'+'` at least one). Entries of the kinds of one step may interleave
 * freely; steps come in order. One step may be the **seal**: a single entry after which only
 * the kinds of later steps are accepted (anything else fails with a `ProtocolError` whose code
 * is `'sealed'`). Its payload carries the count of entries and the head hash before it (see
 * `docs/board.md`).
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';

/** How many entries a lifecycle step holds: exactly one, at most one, any number, at least one. */
export type Repeat = '1' | '?' | '*' | '+';

/** One step of a lifecycle. */
export interface LifecycleStep {
  /** The kinds accepted in this step (distinct across the whole lifecycle). */
  readonly kinds: readonly string[];
  /** How many entries this step holds. */
  readonly repeat: Repeat;
}

/** A validated, frozen lifecycle (build one with {@link defineLifecycle}). */
export interface Lifecycle {
  /** The steps, in order. */
  readonly steps: readonly LifecycleStep[];
  /** The seal kind, or null when this lifecycle has no seal. */
  readonly seal: string | null;
  /** Index in `steps` of the seal step, or -1. */
  readonly sealStep: number;
}

/** What {@link defineLifecycle} takes. */
export interface LifecycleSpec {
  readonly steps: readonly LifecycleStep[];
  /** The seal kind: must be the only kind of a step with repeat `'1'`. */
  readonly seal?: string;
}

/** Kinds are short lowercase words: they are written into every line without escaping. */
export const KIND_RE = /^[a-z][a-z0-9-]{0,63}$/;

const MIN: Record<Repeat, number> = { '1': 1, '?': 0, '*': 0, '+': 1 };
const MAX: Record<Repeat, number> = { '1': 1, '?': 1, '*': Infinity, '+': Infinity };

/**
 * Validates and freezes a lifecycle.
 * @throws FormatError when a kind is malformed or repeated, a repeat is unknown, or the seal is
 * not the only kind of a step with repeat `'1'`.
 */
export function defineLifecycle(spec: LifecycleSpec): Lifecycle {
  if (!Array.isArray(spec.steps) || spec.steps.length === 0)
    throw new FormatError('lifecycle.steps', 'expected a non-empty array of steps');
  const seen = new Set<string>();
  const steps = spec.steps.map((s, i) => {
    const label = `lifecycle.steps[${i}]`;
    if (!(s.repeat in MIN)) throw new FormatError(`${label}.repeat`, `expected '1', '?', '*' or '+'`);
    if (!Array.isArray(s.kinds) || s.kinds.length === 0) throw new FormatError(`${label}.kinds`, 'expected a non-empty array of kinds');
    for (const [j, k] of s.kinds.entries()) {
      if (typeof k !== 'string' || !KIND_RE.test(k)) throw new FormatError(`${label}.kinds[${j}]`, `expected a kind matching ${KIND_RE}`);
      if (seen.has(k)) throw new FormatError(`${label}.kinds[${j}]`, `kind '${k}' appears in two places`);
      seen.add(k);
    }
    return Object.freeze({ kinds: Object.freeze([...s.kinds]), repeat: s.repeat });
  });
  let sealStep = -1;
  if (spec.seal !== undefined) {
    sealStep = steps.findIndex((s) => s.kinds.includes(spec.seal!));
    const step = steps[sealStep];
    if (step === undefined || step.kinds.length !== 1 || step.repeat !== '1')
      throw new FormatError('lifecycle.seal', `the seal kind must be the only kind of a step with repeat '1'`);
  }
  return Object.freeze({ steps: Object.freeze(steps), seal: spec.seal ?? null, sealStep });
}

/**
 * mjvote's ballot box (`docs/record.md` §2): `setup`, `credentials`, any number of `ballot`s
 * and `audit`s in any mix, the `seal`, the `tally`, any number of `decryption-share`s, and the
 * `result`.
 */
export const MJVOTE_LIFECYCLE: Lifecycle = defineLifecycle({
  steps: [
    { kinds: ['setup'], repeat: '1' },
    { kinds: ['credentials'], repeat: '1' },
    { kinds: ['ballot', 'audit'], repeat: '*' },
    { kinds: ['seal'], repeat: '1' },
    { kinds: ['tally'], repeat: '1' },
    { kinds: ['decryption-share'], repeat: '*' },
    { kinds: ['result'], repeat: '1' },
  ],
  seal: 'seal',
});

/**
 * Where a log stands in its lifecycle: the current step and how many entries it holds so far.
 * Mutable; {@link LifecycleCursor.clone} gives an independent copy (used to validate a batch
 * before anything is written).
 */
export class LifecycleCursor {
  /** The lifecycle followed. */
  readonly lifecycle: Lifecycle;
  private step: number;
  private count: number;

  constructor(lifecycle: Lifecycle, step = 0, count = 0) {
    this.lifecycle = lifecycle;
    this.step = step;
    this.count = count;
  }

  /** An independent copy. */
  clone(): LifecycleCursor {
    return new LifecycleCursor(this.lifecycle, this.step, this.count);
  }

  /** True once the seal entry has been accepted. */
  get sealed(): boolean {
    const s = this.lifecycle.sealStep;
    return s >= 0 && (this.step > s || (this.step === s && this.count > 0));
  }

  /** True when every remaining step may be empty (the lifecycle could end here). */
  get complete(): boolean {
    const { steps } = this.lifecycle;
    if (this.count < MIN[steps[this.step]!.repeat]) return false;
    for (let i = this.step + 1; i < steps.length; i++) if (MIN[steps[i]!.repeat] > 0) return false;
    return true;
  }

  /** The kinds that may come next, in lifecycle order. */
  expected(): string[] {
    const { steps } = this.lifecycle;
    const out: string[] = [];
    for (let i = this.step, c = this.count; i < steps.length; i++, c = 0) {
      const s = steps[i]!;
      if (c < MAX[s.repeat]) out.push(...s.kinds);
      if (c < MIN[s.repeat]) break;
    }
    return out;
  }

  /**
   * Accepts one entry of `kind`, or throws without changing state.
   * @throws ProtocolError with code `'sealed'` for a pre-seal kind after the seal, `'lifecycle'`
   * for any other kind out of order or unknown.
   */
  accept(kind: string): void {
    const { steps, sealStep } = this.lifecycle;
    for (let i = this.step, c = this.count; i < steps.length; i++, c = 0) {
      const s = steps[i]!;
      if (s.kinds.includes(kind)) {
        if (c >= MAX[s.repeat]) break;
        this.step = i;
        this.count = c + 1;
        return;
      }
      if (c < MIN[s.repeat]) break;
    }
    const at = steps.findIndex((s) => s.kinds.includes(kind));
    const expected = this.expected();
    const wanted =
      expected.length === 0
        ? 'the lifecycle is complete: nothing more is accepted'
        : `expected ${expected.map((k) => `'${k}'`).join(' or ')}`;
    if (at < 0) throw new ProtocolError(`unknown entry kind '${kind}' (${wanted})`, 'lifecycle');
    if (this.sealed && at <= sealStep)
      throw new ProtocolError(`the board is sealed: a '${kind}' entry is no longer accepted (${wanted})`, 'sealed');
    throw new ProtocolError(`a '${kind}' entry is not accepted here (${wanted})`, 'lifecycle');
  }
}
