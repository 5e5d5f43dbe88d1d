/**
 * Runs whole ceremonies in memory, with hooks where a test plays a cheating trustee or a
 * faulty board: each hook gets the messages of a round and returns the ones to publish.
 */
import { expect } from 'vitest';
import type { Group } from '../../src/group/group.js';
import { ceremonyParams, type CeremonyParams } from '../../src/ceremony/params.js';
import { beginCeremony, trusteeStateData, type TrusteeRound2, type TrusteeRound3, type TrusteeRound4 } from '../../src/ceremony/trustee.js';
import type { CommitmentMessage, Complaint, EncryptedShare, RevealMessage } from '../../src/ceremony/messages.js';
import type { Disqualification } from '../../src/ceremony/outcome.js';
import { buildCeremonyTranscript, type CeremonyTranscript } from '../../src/ceremony/transcript.js';
import type { TrusteeKey } from '../../src/ceremony/trustee-key.js';
import { ProtocolError } from '../../src/errors.js';
import { sha256 } from '../../src/sha2.js';
import { generateTrusteeIdentity, type TrusteeIdentity } from '../../src/election/trustee-identity.js';
import type { Equivocation } from '../../src/ceremony/signatures.js';

export interface Hooks<E> {
  /** Trustees that take no part at all (send nothing from round 1 on). */
  absent?: number[];
  /** Version-2 parameters: trustee i's identity at index i − 1. */
  identities?: readonly TrusteeIdentity[];
  /** Version 2: equivocation evidence to put in the transcript. */
  equivocations?: Equivocation<E>[];
  round1?(msgs: CommitmentMessage<E>[], states: Map<number, TrusteeRound2<E>>): CommitmentMessage<E>[];
  round2?(
    reveals: RevealMessage<E>[],
    shares: EncryptedShare<E>[],
    states: Map<number, TrusteeRound3<E>>,
  ): { reveals: RevealMessage<E>[]; shares: EncryptedShare<E>[] };
  round3?(complaints: Complaint<E>[], states: Map<number, TrusteeRound4<E>>): Complaint<E>[];
}

export interface Run<E> {
  params: CeremonyParams<E>;
  transcript: CeremonyTranscript<E>;
  keys: Map<number, TrusteeKey<E>>;
  /** What each trustee saw in round 3. */
  problems: Map<number, Disqualification[]>;
  complaints: Complaint<E>[];
}

let counter = 0;
/** Fresh ceremony parameters (unique id per call). */
export function params<E>(group: Group<E>, n: number, t: number, ceremonyId = `election-${++counter}`): CeremonyParams<E> {
  return ceremonyParams(group, { ceremonyId, n, t }, { allowInsecureTestGroup: true });
}

/** Fresh version-2 parameters (a manifest hash and n new identities) and the identities. */
export function params2<E>(group: Group<E>, n: number, t: number): { params: CeremonyParams<E>; identities: TrusteeIdentity[] } {
  const identities = Array.from({ length: n }, () => generateTrusteeIdentity());
  const params = ceremonyParams(
    group,
    {
      ceremonyId: `election-${++counter}`,
      n,
      t,
      binding: { manifestSha256: sha256(new Uint8Array([counter])), identities: identities.map((x) => x.publicKey) },
    },
    { allowInsecureTestGroup: true },
  );
  return { params, identities };
}

/** Runs the ceremony; throws whatever adjudication throws (e.g. CeremonyFailedError). */
export function runCeremony<E>(p: CeremonyParams<E>, hooks: Hooks<E> = {}): Run<E> {
  const present = Array.from({ length: p.n }, (_, k) => k + 1).filter((i) => !hooks.absent?.includes(i));
  const r1 = new Map(present.map((i) => [i, beginCeremony(p, i, { identity: hooks.identities?.[i - 1] }).commit()]));
  const s2 = new Map([...r1].map(([i, x]) => [i, x.next]));
  let commitments = [...r1.values()].map((x) => x.message);
  commitments = hooks.round1?.(commitments, s2) ?? commitments;
  // A trustee whose own published message was altered (by the test playing it as a cheater)
  // stops: its software refuses to continue with a message set that misrepresents it.
  const ownOk = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (e instanceof ProtocolError && e.code === 'own-message') return undefined;
      throw e;
    }
  };
  const r2 = new Map(
    [...s2].flatMap(([i, s]) => {
      const x = ownOk(() => s.reveal(commitments));
      return x ? [[i, x] as const] : [];
    }),
  );
  const s3 = new Map([...r2].map(([i, x]) => [i, x.next]));
  let reveals = [...r2.values()].map((x) => x.reveal);
  let shares = [...r2.values()].flatMap((x) => x.shares);
  if (hooks.round2) ({ reveals, shares } = hooks.round2(reveals, shares, s3));
  const r3 = new Map(
    [...s3].flatMap(([i, s]) => {
      const x = ownOk(() =>
        s.check(
          reveals,
          shares.filter((y) => y.recipient === i),
        ),
      );
      return x ? [[i, x] as const] : [];
    }),
  );
  const s4 = new Map([...r3].map(([i, x]) => [i, x.next]));
  let complaints = [...r3.values()].flatMap((x) => x.complaints);
  complaints = hooks.round3?.(complaints, s4) ?? complaints;
  const transcript = buildCeremonyTranscript(p, { commitments, reveals, shares, complaints, equivocations: hooks.equivocations ?? [] });
  const keys = new Map<number, TrusteeKey<E>>();
  for (const [i, s] of s4) {
    if (transcript.result.qualified.includes(i)) keys.set(i, s.finish(transcript).key);
    else expect(() => s.finish(transcript)).toThrow(expect.objectContaining({ code: 'trustee-disqualified' }) as unknown as ProtocolError);
  }
  return { params: p, transcript, keys, complaints, problems: new Map([...r3].map(([i, x]) => [i, x.problems])) };
}

/** The secrets of an unspent state (tests play cheating trustees with them). */
export const secretsOf = trusteeStateData;

/** k distinct random elements of xs. */
export function randomSubset<T>(xs: readonly T[], k: number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a.slice(0, k);
}
