/**
 * Every proof kind as a uniform test harness: make an honest instance, verify it one by one,
 * form its batch equations, and list every field a forger could change (proof, statement,
 * context), each as a mutator that changes exactly that field.
 */
import type { Group } from '../../src/group/group.js';
import { encrypt, generateKeyPair, publicKey } from '../../src/elgamal.js';
import { proveSchnorr, schnorrEquations, verifySchnorr } from '../../src/proofs/schnorr.js';
import {
  dleqEquations,
  encryptsKEquations,
  proveDleq,
  proveEncryptsK,
  verifyDleq,
  verifyEncryptsK,
} from '../../src/proofs/chaum-pedersen.js';
import { proveRange, rangeEquations, verifyRange } from '../../src/proofs/disjunctive.js';
import type { Equation } from '../../src/proofs/equation.js';

export interface Instance {
  st: any;
  proof: any;
  ctx: Uint8Array;
}

/** A change to one field; `d` is a nonzero scalar the mutation uses. */
export type Mutator = (g: Group<any>, x: Instance, d: bigint) => Instance;

export interface Kind {
  name: string;
  make(g: Group<any>): Instance;
  verify(g: Group<any>, x: Instance): boolean;
  equations(g: Group<any>, x: Instance): Equation<any>[] | null;
  mutators: Record<string, Mutator>;
}

const bumpPoint = (g: Group<any>, P: any, d: bigint) => g.add(P, g.G.multiply(d));
const bumpScalar = (g: Group<any>, k: bigint, d: bigint) => g.Fq.add(k, d);
const ctxOf = (g: Group<any>) => new TextEncoder().encode(`test-context-${g.id}-${Math.random()}`);

/** Context mutations shared by all kinds: flip one bit, append a byte, drop the last byte. */
const contextMutators: Record<string, Mutator> = {
  'context: flip a bit': (_g, x, d) => {
    const c = Uint8Array.from(x.ctx);
    const i = Number(d % BigInt(c.length));
    c[i] = c[i]! ^ (1 << Number(d % 8n));
    return { ...x, ctx: c };
  },
  'context: append a byte': (_g, x, d) => ({ ...x, ctx: Uint8Array.from([...x.ctx, Number(d % 256n)]) }),
  'context: drop the last byte': (_g, x) => ({ ...x, ctx: x.ctx.subarray(0, x.ctx.length - 1) }),
};

export const schnorrKind: Kind = {
  name: 'schnorr',
  make(g) {
    const ctx = ctxOf(g);
    const { statement, proof } = proveSchnorr(g, g.randomScalar(), ctx);
    return { st: statement, proof, ctx };
  },
  verify: (g, x) => verifySchnorr(g, x.st, x.proof, x.ctx),
  equations: (g, x) => schnorrEquations(g, x.st, x.proof, x.ctx),
  mutators: {
    'proof.commitment': (g, x, d) => ({ ...x, proof: { ...x.proof, commitment: bumpPoint(g, x.proof.commitment, d) } }),
    'proof.challenge': (g, x, d) => ({ ...x, proof: { ...x.proof, challenge: bumpScalar(g, x.proof.challenge, d) } }),
    'proof.response': (g, x, d) => ({ ...x, proof: { ...x.proof, response: bumpScalar(g, x.proof.response, d) } }),
    'statement.publicKey': (g, x, d) => ({ ...x, st: { ...x.st, publicKey: bumpPoint(g, x.st.publicKey, d) } }),
    'statement.base': (g, x, d) => ({ ...x, st: { ...x.st, base: bumpPoint(g, x.st.base, d) } }),
    ...contextMutators,
  },
};

export const dleqKind: Kind = {
  name: 'chaum-pedersen (decryption share form)',
  make(g) {
    const ctx = ctxOf(g);
    const s = g.randomScalar();
    const A = g.G.multiply(g.randomScalar());
    const st = { g1: g.generator, h1: g.G.multiply(s), g2: A, h2: g.multiply(A, s) };
    return { st, proof: proveDleq(g, st, s, ctx, { table1: g.G, kind: 'decryption-share' }), ctx };
  },
  verify: (g, x) => verifyDleq(g, x.st, x.proof, x.ctx, 'decryption-share'),
  equations: (g, x) => dleqEquations(g, x.st, x.proof, x.ctx, 'decryption-share'),
  mutators: {
    'proof.commitment1': (g, x, d) => ({ ...x, proof: { ...x.proof, commitment1: bumpPoint(g, x.proof.commitment1, d) } }),
    'proof.commitment2': (g, x, d) => ({ ...x, proof: { ...x.proof, commitment2: bumpPoint(g, x.proof.commitment2, d) } }),
    'proof.challenge': (g, x, d) => ({ ...x, proof: { ...x.proof, challenge: bumpScalar(g, x.proof.challenge, d) } }),
    'proof.response': (g, x, d) => ({ ...x, proof: { ...x.proof, response: bumpScalar(g, x.proof.response, d) } }),
    'statement.h1 (verification key)': (g, x, d) => ({ ...x, st: { ...x.st, h1: bumpPoint(g, x.st.h1, d) } }),
    'statement.g2 (ciphertext alpha)': (g, x, d) => ({ ...x, st: { ...x.st, g2: bumpPoint(g, x.st.g2, d) } }),
    'statement.h2 (share)': (g, x, d) => ({ ...x, st: { ...x.st, h2: bumpPoint(g, x.st.h2, d) } }),
    ...contextMutators,
  },
};

export const encryptsKKind: Kind = {
  name: 'encrypts exactly k',
  make(g) {
    const ctx = ctxOf(g);
    const pk = publicKey(g, generateKeyPair(g).publicKey);
    const k = BigInt(Math.floor(Math.random() * 3));
    const { ciphertext, randomness } = encrypt(pk, k);
    return { st: { publicKey: pk.element, ciphertext, k }, proof: proveEncryptsK(pk, ciphertext, k, randomness, ctx), ctx };
  },
  verify: (g, x) => verifyEncryptsK(g, x.st, x.proof, x.ctx),
  equations: (g, x) => encryptsKEquations(g, x.st, x.proof, x.ctx),
  mutators: {
    'proof.commitment1': (g, x, d) => ({ ...x, proof: { ...x.proof, commitment1: bumpPoint(g, x.proof.commitment1, d) } }),
    'proof.commitment2': (g, x, d) => ({ ...x, proof: { ...x.proof, commitment2: bumpPoint(g, x.proof.commitment2, d) } }),
    'proof.challenge': (g, x, d) => ({ ...x, proof: { ...x.proof, challenge: bumpScalar(g, x.proof.challenge, d) } }),
    'proof.response': (g, x, d) => ({ ...x, proof: { ...x.proof, response: bumpScalar(g, x.proof.response, d) } }),
    'statement.publicKey': (g, x, d) => ({ ...x, st: { ...x.st, publicKey: bumpPoint(g, x.st.publicKey, d) } }),
    'statement.ciphertext.alpha': (g, x, d) => ({
      ...x,
      st: { ...x.st, ciphertext: { ...x.st.ciphertext, alpha: bumpPoint(g, x.st.ciphertext.alpha, d) } },
    }),
    'statement.ciphertext.beta': (g, x, d) => ({
      ...x,
      st: { ...x.st, ciphertext: { ...x.st.ciphertext, beta: bumpPoint(g, x.st.ciphertext.beta, d) } },
    }),
    'statement.k': (g, x, d) => ({ ...x, st: { ...x.st, k: bumpScalar(g, x.st.k, d) } }),
    ...contextMutators,
  },
};

function rangeKind(max: number): Kind {
  const branchMut =
    (field: 'commitmentA' | 'commitmentB' | 'challenge' | 'response'): Mutator =>
    (g, x, d) => {
      const j = Number(d % BigInt(max + 1));
      const proof = x.proof.map((b: any, i: number) => {
        if (i !== j) return b;
        const v = field === 'commitmentA' || field === 'commitmentB' ? bumpPoint(g, b[field], d) : bumpScalar(g, b[field], d);
        return { ...b, [field]: v };
      });
      return { ...x, proof };
    };
  return {
    name: max === 1 ? 'disjunctive 0/1' : `range 0..${max}`,
    make(g) {
      const ctx = ctxOf(g);
      const pk = publicKey(g, generateKeyPair(g).publicKey);
      const m = Math.floor(Math.random() * (max + 1));
      const { ciphertext, randomness } = encrypt(pk, m);
      return { st: { publicKey: pk.element, ciphertext, max }, proof: proveRange(pk, ciphertext, m, randomness, max, ctx), ctx };
    },
    verify: (g, x) => verifyRange(g, x.st, x.proof, x.ctx),
    equations: (g, x) => rangeEquations(g, x.st, x.proof, x.ctx),
    mutators: {
      'proof[j].a': branchMut('commitmentA'),
      'proof[j].b': branchMut('commitmentB'),
      'proof[j].challenge': branchMut('challenge'),
      'proof[j].response': branchMut('response'),
      'proof: swap two branches': (_g, x) => ({ ...x, proof: [x.proof[1], x.proof[0], ...x.proof.slice(2)] }),
      'proof: drop a branch': (_g, x) => ({ ...x, proof: x.proof.slice(1) }),
      'statement.publicKey': (g, x, d) => ({ ...x, st: { ...x.st, publicKey: bumpPoint(g, x.st.publicKey, d) } }),
      'statement.ciphertext.alpha': (g, x, d) => ({
        ...x,
        st: { ...x.st, ciphertext: { ...x.st.ciphertext, alpha: bumpPoint(g, x.st.ciphertext.alpha, d) } },
      }),
      'statement.ciphertext.beta': (g, x, d) => ({
        ...x,
        st: { ...x.st, ciphertext: { ...x.st.ciphertext, beta: bumpPoint(g, x.st.ciphertext.beta, d) } },
      }),
      'statement.max': (_g, x, d) => ({ ...x, st: { ...x.st, max: x.st.max + 1 + Number(d % 3n) } }),
      ...contextMutators,
    },
  };
}

export const zeroOneKind = rangeKind(1);
export const range4Kind = rangeKind(4);
export const allKinds: Kind[] = [schnorrKind, dleqKind, encryptsKKind, zeroOneKind, range4Kind];
