/**
 * checkBallotTexts (the ballot box's stateless check, many ballots at once) against the
 * reference, `parseJson` then `checkBallotJson` with the credential list, ballot by ballot: the
 * same outcome for every ballot of a batch, batched or one by one, whatever one ballot of the
 * batch does wrong, and the accepted ones with the hash, credential, replay key and tracking
 * code that parseBallot, ballotReplayKey and trackingCode give.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex } from '../../src/bytes.js';
import { canonicalJson } from '../../src/json/canonical.js';
import { parseBallot } from '../../src/ballot/parse.js';
import { ballotReplayKey, trackingCode } from '../../src/ballot/hash.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { checkBallotJson } from '../../src/ballot/check.js';
import { checkBallotTexts, maxBallotTextLength, type BallotCheckOutcome } from '../../src/server/checker.js';
import { credentials, election, goodJson, goodTexts, MUTATIONS, mutate, reference, strangerJson, voters, W } from './checker-fixtures.js';

const check = (texts: string[], opts = {}) => checkBallotTexts(election, credentials, texts, opts);

describe('checkBallotTexts', () => {
  it('accepts a batch of valid ballots (canonical and not), with their hash, credential, replay key and tracking code', () => {
    const pretty = JSON.stringify(goodJson[0], null, 2); // whitespace is allowed on the wire
    const texts = [...goodTexts, pretty];
    for (const batch of [true, false]) {
      const out = check(texts, { batch });
      expect(out).toHaveLength(texts.length);
      out.forEach((o, i) => {
        const b = parseBallot(JSON.parse(texts[i]!), election);
        expect(o).toEqual({
          ok: true,
          text: canonicalJson(ballotToJson(b)),
          hashHex: b.hashHex,
          credentialHex: voters[i % voters.length]!.publicKeyHex,
          replayKeyHex: ballotReplayKey(b),
          trackingCode: trackingCode(fromHex(b.hashHex)),
        });
        // The text is the client's ballot in canonical form, whatever the text's form.
        expect((o as { text: string }).text).toBe(canonicalJson(goodJson[i % goodJson.length]));
      });
    }
  });

  it('an empty batch, and a batch of one', () => {
    expect(check([])).toEqual([]);
    expect(check([goodTexts[1]!])).toEqual([reference(election, goodTexts[1]!)]);
  });

  it('one hostile ballot in a batch of good ones: refused as the reference refuses it, every other ballot accepted, batched or not', () => {
    let refused = 0;
    const codes = new Set<string>();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }), // batch size
        fc.nat(), // where the hostile ballot goes
        fc.constantFrom(...MUTATIONS),
        fc.nat({ max: 1 << 20 }), // which field, which digit …
        fc.boolean(), // canonical text (the fast path) or not
        (size, where, kind, at, canonical) => {
          const texts = goodTexts.slice(0, size);
          const bad = where % size;
          texts[bad] = mutate(bad, kind, at, canonical);
          const batched = check(texts);
          const alone = check(texts, { batch: false });
          expect(alone).toEqual(batched);
          texts.forEach((t, i) => {
            const r = reference(election, t);
            expect(batched[i]).toEqual(r);
            if (i !== bad) expect(batched[i]!.ok).toBe(true);
          });
          // With valid JSON, the reference is checkBallotJson on JSON.parse's value.
          let parsed: unknown;
          try {
            parsed = JSON.parse(texts[bad]!);
          } catch {
            parsed = undefined;
          }
          const o = batched[bad]!;
          if (parsed !== undefined && !o.ok && !/nested deeper|duplicate key/.test(o.reason)) {
            const c = checkBallotJson(election, parsed, { credentials }).check;
            expect(c.ok ? c : { code: c.code, path: c.path }).toEqual({ code: o.code, path: o.path });
          }
          if (!o.ok) {
            refused++;
            codes.add(o.code);
          }
        },
      ),
      { numRuns: 30, seed: 20250522 },
    );
    expect(refused).toBeGreaterThan(20);
    expect(codes.size).toBeGreaterThanOrEqual(4);
  });

  it('every kind of hostile ballot, at the end of a batch of four good ones', () => {
    for (const kind of MUTATIONS)
      for (const canonical of [true, false]) {
        const texts = [...goodTexts.slice(0, 4), mutate(4, kind, 12345, canonical)];
        const out = check(texts);
        expect(out.slice(0, 4).every((o) => o.ok)).toBe(true);
        expect(out[4], kind).toEqual(reference(election, texts[4]!));
        expect(out[4]!.ok, kind).toBe(false);
        expect(check(texts, { batch: false })).toEqual(out);
      }
  });

  it('names the path of a proof that fails, and of a credential that is not listed', () => {
    const texts = [mutate(0, 'swap-proofs-resigned', 0, true), canonicalJson(strangerJson), mutate(2, 'election-id', 0, false)];
    const out = check(texts);
    expect(out[0]).toMatchObject({ ok: false, code: 'bad-proof', path: expect.stringMatching(/^ballot\.answers\[\d\]\.proofs\[\d\]$/) });
    expect(out[1]).toMatchObject({ ok: false, code: 'unknown-credential', path: 'ballot.credential' });
    expect(out[2]).toMatchObject({ ok: false, code: 'wrong-election', path: 'ballot.electionId' });
  });

  it('several bad ballots in one batch: each named, the good ones accepted', () => {
    const texts = goodTexts.map((t, i) => (i % 3 === 1 ? mutate(i, i % 2 ? 'flip-resigned' : 'flip', 40 + i, i % 2 === 0) : t));
    const out = check(texts);
    out.forEach((o, i) => expect(o).toEqual(reference(election, texts[i]!)));
    expect(out.filter((o) => !o.ok).length).toBe(texts.filter((_, i) => i % 3 === 1).length);
  });

  it('limits: a text too long or too deep is malformed before it is parsed (canonical ballots included)', () => {
    const t = goodTexts[0]!; // canonical
    expect(check([t], { maxLength: t.length - 1 })[0]).toEqual({
      ok: false,
      code: 'malformed',
      path: 'ballot',
      reason: `longer than ${t.length - 1} characters`,
    });
    expect(check([t], { maxLength: t.length })[0]!.ok).toBe(true);
    // A ballot nests 6 deep.
    expect(check([t, goodTexts[1]!], { maxDepth: 5 })).toEqual([t, goodTexts[1]!].map((x) => reference(election, x, { maxDepth: 5 })));
    expect(check([t], { maxDepth: 5 })[0]).toMatchObject({ ok: false, code: 'malformed', path: 'ballot' });
    expect(check([t], { maxDepth: 6 })[0]!.ok).toBe(true);
  });

  it('maxBallotTextLength leaves room for a pretty-printed ballot, and is about 135 k characters for 7 × 5', () => {
    const bound = maxBallotTextLength(election);
    expect(JSON.stringify(goodJson[0], null, 8).length).toBeLessThan(bound);
    const big = maxBallotTextLength({ ...election, candidateCount: 7, gradeCount: 5, group: W });
    expect(big).toBeGreaterThan(4 * 29_400); // a 7 × 5 canonical ballot is 29,400 characters
    expect(big).toBeLessThan(200_000);
  });

  it('never throws for hostile text: anything at all is an outcome', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.json(), fc.constant(goodTexts[0]!)), { maxLength: 5 }), (texts) => {
        const out: BallotCheckOutcome[] = check(texts);
        out.forEach((o, i) => expect(o).toEqual(reference(election, texts[i]!)));
      }),
      { numRuns: 30, seed: 7 },
    );
  });
});
