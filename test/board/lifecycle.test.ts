import { describe, expect, it } from 'vitest';
import { defineLifecycle, LifecycleCursor, MJVOTE_LIFECYCLE } from '../../src/board/lifecycle.js';
import { FormatError, ProtocolError } from '../../src/errors.js';
import { thrown } from './helpers.js';

function run(kinds: string[], lifecycle = MJVOTE_LIFECYCLE): LifecycleCursor {
  const c = new LifecycleCursor(lifecycle);
  for (const k of kinds) c.accept(k);
  return c;
}

function code(fn: () => unknown): string {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(ProtocolError);
  return (e as ProtocolError).code;
}

describe('lifecycle', () => {
  it('accepts the mjvote sequence, with ballots and audits in any mix, and several shares', () => {
    const c = run(['setup', 'credentials', 'ballot', 'audit', 'ballot', 'seal', 'tally', 'decryption-share', 'decryption-share']);
    expect(c.sealed).toBe(true);
    expect(c.complete).toBe(false);
    expect(c.expected()).toEqual(['decryption-share', 'result']);
    c.accept('result');
    expect(c.complete).toBe(true);
    expect(c.expected()).toEqual([]);
    expect(run(['setup', 'credentials', 'seal']).sealed).toBe(true); // no ballot at all
  });

  it("refuses pre-seal kinds after the seal with code 'sealed'", () => {
    for (const k of ['setup', 'credentials', 'ballot', 'audit', 'seal']) {
      expect(code(() => run(['setup', 'credentials', 'ballot', 'seal']).accept(k))).toBe('sealed');
      expect(code(() => run(['setup', 'credentials', 'seal', 'tally', 'decryption-share']).accept(k))).toBe('sealed');
    }
  });

  it("refuses other out-of-order and unknown kinds with code 'lifecycle', leaving the state unchanged", () => {
    expect(code(() => run([]).accept('ballot'))).toBe('lifecycle');
    expect(code(() => run(['setup']).accept('setup'))).toBe('lifecycle');
    expect(code(() => run(['setup']).accept('ballot'))).toBe('lifecycle'); // credentials missing
    expect(code(() => run(['setup', 'credentials']).accept('credentials'))).toBe('lifecycle'); // only one
    expect(code(() => run(['setup', 'credentials', 'seal']).accept('result'))).toBe('lifecycle'); // tally missing
    expect(code(() => run(['setup']).accept('vote'))).toBe('lifecycle');
    const c = run(['setup', 'credentials', 'seal', 'tally', 'result']);
    expect(code(() => c.accept('decryption-share'))).toBe('lifecycle');
    const d = run(['setup', 'credentials']);
    thrown(() => d.accept('tally'));
    d.accept('ballot'); // unchanged by the refusal
    expect(d.sealed).toBe(false);
  });

  it('interleaves the kinds of one step; clone is independent', () => {
    const lc = defineLifecycle({
      steps: [
        { kinds: ['open'], repeat: '1' },
        { kinds: ['ballot', 'audit'], repeat: '*' },
        { kinds: ['close'], repeat: '?' },
      ],
    });
    const c = run(['open', 'audit', 'ballot', 'audit'], lc);
    expect(c.complete).toBe(true);
    const copy = c.clone();
    copy.accept('close');
    c.accept('ballot');
    expect(code(() => copy.accept('ballot'))).toBe('lifecycle'); // no seal in this lifecycle
  });

  it('validates definitions', () => {
    const bad = [
      { steps: [] },
      { steps: [{ kinds: ['Bad'], repeat: '1' }] },
      { steps: [{ kinds: ['a'], repeat: '2' }] },
      {
        steps: [
          { kinds: ['a'], repeat: '1' },
          { kinds: ['a'], repeat: '*' },
        ],
      },
      { steps: [{ kinds: ['a', 's'], repeat: '1' }], seal: 's' },
      { steps: [{ kinds: ['s'], repeat: '*' }], seal: 's' },
      { steps: [{ kinds: ['a'], repeat: '1' }], seal: 's' },
    ];
    for (const spec of bad) expect(thrown(() => defineLifecycle(spec as never))).toBeInstanceOf(FormatError);
    expect(Object.isFrozen(MJVOTE_LIFECYCLE.steps[0]!.kinds)).toBe(true);
  });
});
