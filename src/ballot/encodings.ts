/**
 * Canonical encodings remembered per ballot: each element of a ballot is encoded (or decoded
 * from its encoding) once, and every later hash, check or serialisation reads the encoding from
 * memory through the ballot's group view ({@link ballotGroup}).
 * @module
 */
import { toHex } from '../bytes.js';
import type { Group } from '../group/group.js';
import type { Ballot } from './ballot.js';

/**
 * A view of `group` whose `encode` answers from (and fills) `memo`. Elements are keyed by
 * identity (objects) or value (bigints), so a memo is only ever filled with the canonical
 * encoding of the very element it is asked about.
 */
export function memoizedGroup<E>(group: Group<E>, memo: Map<E, Uint8Array>): Group<E> {
  const encode = (e: E): Uint8Array => {
    let b = memo.get(e);
    if (b === undefined) {
      b = group.encode(e);
      memo.set(e, b);
    }
    return b;
  };
  return Object.create(group, { encode: { value: encode }, toHex: { value: (e: E) => toHex(encode(e)) } }) as Group<E>;
}

const MEMOS = new WeakMap<object, Map<unknown, Uint8Array>>();
const VIEWS = new WeakMap<object, Group<unknown>>();

/** The group view that encodes this ballot's elements from memory (internal to the ballot layer). */
export function ballotGroup<E>(ballot: Ballot<E>): Group<E> {
  let view = VIEWS.get(ballot) as Group<E> | undefined;
  if (view === undefined) VIEWS.set(ballot, (view = memoizedGroup(ballot.group, ballotMemo(ballot))));
  return view;
}

/** The encodings a ballot remembers (made empty for a ballot that has none yet). Internal to the ballot layer. */
export function ballotMemo<E>(ballot: Ballot<E>): Map<E, Uint8Array> {
  let memo = MEMOS.get(ballot) as Map<E, Uint8Array> | undefined;
  if (!memo) MEMOS.set(ballot, (memo = new Map()));
  return memo;
}

/** Remembers `memo` and its group view as the ballot's (when the ballot is assembled). */
export function attachEncodings<E>(ballot: Ballot<E>, memo: Map<E, Uint8Array>, view: Group<E>): void {
  MEMOS.set(ballot, memo);
  VIEWS.set(ballot, view); // ballotGroup's view: the same group and memo
}

/**
 * Encodes `points` in one call (the group's `encodeMany`: on the WebAssembly backend two
 * exponentiations per SIMD vector) and remembers the encodings for {@link ballotGroup}: the
 * exactly-one sums of a ballot, whose encodings its check needs.
 */
export function rememberEncodings<E>(ballot: Ballot<E>, points: readonly E[]): void {
  const memo = ballotMemo(ballot);
  const todo = points.filter((p) => !memo.has(p));
  if (todo.length < 2) return;
  const eb = ballot.group.elementBytes;
  const bytes = ballot.group.encodeMany(todo);
  for (let i = 0; i < todo.length; i++) memo.set(todo[i]!, bytes.subarray(eb * i, eb * i + eb));
}
