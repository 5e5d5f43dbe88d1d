/**
 * Passphrase-encrypted trustee state files: a trustee exports its secret state between rounds
 * (the rounds may be days apart) and after the ceremony (its {@link TrusteeKey}), and imports it
 * later on the same or another machine.
 *
 * ```
 * { "format": "mjvote-trustee-state", "version": 2,
 *   "group", "ceremony", "n", "t", "ceremonyVersion": 1|2,
 *   ["manifestSha256": hex, "identities": [hex, …]]     (ceremony version 2 only)
 *   "trustee", "round": 1|2|3|4|"key",
 *   "kdf":  { "name": "scrypt", "logN": 17, "r": 8, "p": 1, "salt": hex(32) },
 *   "aead": { "name": "xchacha20poly1305", "nonce": hex(24) },
 *   "check": hex(32), "ciphertext": hex }
 * k        = scrypt(NFKC(passphrase), salt, N = 2^logN, r, p, dkLen = 64)
 * check    = HMAC-SHA-256(k[32..64], "mjvote-v1-trustee-state-check")
 * aad      = UTF-8 of the header: the JSON object above without "check" and "ciphertext",
 *            keys in the order shown (canonical)
 * payload  = round state: {coefficients, commSecret, salt, round1, received, complained, views, identity}
 *            key:         {share, result, identity, decrypted: [{fingerprint, boardHead, tallySha256}, …]}
 * ```
 * `identity` is the trustee's Ed25519 identity secret key (version-2 ceremonies; null in
 * version 1): the state signs every message the trustee publishes. `decrypted` lists the tallies
 * this key share has decrypted (see `TrusteeKey.decrypted`): a trustee decrypts one tally per
 * election, and the state file is where it remembers which. Version-1 state files (of earlier
 * releases) are refused: finish that ceremony with the release that began it.
 * ```
 * ciphertext = XChaCha20-Poly1305(k[0..32], nonce, aad).encrypt(UTF-8 JSON payload)
 * ```
 * A wrong passphrase gives a wrong `check` → {@link WrongPassphraseError} (so does an altered
 * salt or cost, which cannot be told apart from a wrong passphrase); the right passphrase with any
 * other altered byte fails the AEAD → {@link TamperedStateError}; a malformed file → FormatError.
 *
 * Cost: logN = 17 (128 MiB, the default) or at least 15 in production; `allowWeakKdf` admits
 * lower costs for tests only. The file records its parameters; import accepts logN in [15, 20]
 * (or lower with `allowWeakKdf`). scrypt is synchronous here: a browser should call these from
 * a worker.
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import { fromHex, toHex, typeName, utf8 } from '../bytes.js';
import type { Group } from '../group/group.js';
import { PROTOCOL_VERSION } from '../hash.js';
import { expectArray, expectObject } from '../json/guards.js';
import { SALT_BYTES, type CommitmentMessage } from './messages.js';
import { ceremonyHeaderToJson, parseCeremonyHeader, parseTrusteeIndex, type CeremonyParams } from './params.js';
import { TrusteeIdentity, trusteeIdentitySecret } from '../election/trustee-identity.js';
import { parseCeremonyResult, ceremonyResultToJson } from './transcript.js';
import { TamperedStateError } from './errors.js';
import { parseSealedParts, sealingHeaders, sealWithPassphrase, unsealWithPassphrase } from './passphrase-seal.js';
import {
  restoreTrusteeState,
  trusteeStateData,
  TrusteeRound1,
  TrusteeRound2,
  TrusteeRound3,
  TrusteeRound4,
  type TrusteeRoundNumber,
  type TrusteeRoundState,
  type TrusteeSecretData,
} from './trustee.js';
import { TrusteeKey, trusteeSecretShare, type DecryptedTally } from './trustee-key.js';
import { commitmentMessageToJson, parseCommitmentMessage } from './wire.js';

/** `format` of a state file. */
export const TRUSTEE_STATE_FORMAT = 'mjvote-trustee-state';
/** `version` of a state file. */
export const TRUSTEE_STATE_VERSION = 2;
export { DEFAULT_SCRYPT_LOG_N, MIN_SCRYPT_LOG_N, MAX_SCRYPT_LOG_N } from './passphrase-seal.js';
const CHECK_LABEL = utf8(`${PROTOCOL_VERSION}-trustee-state-check`);

/** What a state file holds: a round state or the final key. */
export type TrusteeStateRound = TrusteeRoundNumber | 'key';

/** The wire form of an encrypted trustee state. */
export interface TrusteeStateFile {
  format: typeof TRUSTEE_STATE_FORMAT;
  version: typeof TRUSTEE_STATE_VERSION;
  group: string;
  ceremony: string;
  n: number;
  t: number;
  ceremonyVersion: 1 | 2;
  manifestSha256?: string;
  identities?: string[];
  trustee: number;
  round: TrusteeStateRound;
  kdf: { name: 'scrypt'; logN: number; r: number; p: number; salt: string };
  aead: { name: 'xchacha20poly1305'; nonce: string };
  check: string;
  ciphertext: string;
}

/** Options of {@link exportTrusteeState}. */
export interface ExportOptions {
  /** scrypt cost log2(N); default {@link DEFAULT_SCRYPT_LOG_N}. */
  logN?: number;
  /** Allow logN below {@link MIN_SCRYPT_LOG_N} (tests only: such a file is cheap to brute-force). */
  allowWeakKdf?: boolean;
}

/** Options of {@link importTrusteeState}. */
export interface ImportOptions {
  /** Accept a file whose logN is below {@link MIN_SCRYPT_LOG_N} (tests only). */
  allowWeakKdf?: boolean;
  /** Needed to import a state of the insecure test group. */
  allowInsecureTestGroup?: boolean;
}

/** The AEAD's associated data: the header fields in their fixed order. */
function headerBytes(f: Omit<TrusteeStateFile, 'check' | 'ciphertext'>): Uint8Array {
  const { format, version, group, ceremony, n, t, ceremonyVersion, trustee, round } = f;
  const binding = ceremonyVersion === 2 ? { manifestSha256: f.manifestSha256, identities: f.identities } : {};
  const kdf = { name: f.kdf.name, logN: f.kdf.logN, r: f.kdf.r, p: f.kdf.p, salt: f.kdf.salt };
  const aead = { name: f.aead.name, nonce: f.aead.nonce };
  return utf8(JSON.stringify({ format, version, group, ceremony, n, t, ceremonyVersion, ...binding, trustee, round, kdf, aead }));
}

/** JSON payload of the secret data of a round state. */
function payloadOf<E>(params: CeremonyParams<E>, d: TrusteeSecretData<E>): Record<string, unknown> {
  const g = params.group;
  return {
    coefficients: d.coefficients.map((a) => g.scalarToHex(a)),
    commSecret: g.scalarToHex(d.commSecret),
    salt: toHex(d.salt),
    round1: d.round1?.map((m) => commitmentMessageToJson(params, m)) ?? null,
    received: d.received ? [...d.received].map(([i, v]) => ({ sender: i, value: g.scalarToHex(v) })) : null,
    complained: d.complained ?? null,
    views: d.views ? [...d.views].map(([sender, digest]) => ({ sender, digest: toHex(digest) })) : null,
    identity: d.identity ? toHex(trusteeIdentitySecret(d.identity)) : null,
  };
}

function roundOf(state: TrusteeRoundState<any> | TrusteeKey<any>): TrusteeStateRound {
  if (state instanceof TrusteeKey) return 'key';
  if (state instanceof TrusteeRound1 || state instanceof TrusteeRound2 || state instanceof TrusteeRound3 || state instanceof TrusteeRound4)
    return state.round;
  throw new TypeError('exportTrusteeState: expected a trustee round state or a TrusteeKey');
}

/**
 * Encrypts a trustee's state (an unspent round state, or its final key) under a passphrase.
 * Exporting does not consume the state. Importing the same file twice gives two live copies of
 * one round: keep one file per round and delete it once the round is done.
 * @throws ProtocolError for a spent state; FormatError for a bad passphrase or cost.
 */
export function exportTrusteeState<E>(
  state: TrusteeRoundState<E> | TrusteeKey<E>,
  passphrase: string,
  opts: ExportOptions = {},
): TrusteeStateFile {
  const round = roundOf(state);
  const params = state.params;
  const g = params.group;
  const payload =
    state instanceof TrusteeKey
      ? {
          share: g.scalarToHex(trusteeSecretShare(state)),
          result: ceremonyResultToJson(state.result),
          identity: state.identity ? toHex(trusteeIdentitySecret(state.identity)) : null,
          decrypted: state.decrypted.map((x) => ({ fingerprint: x.fingerprint, boardHead: x.boardHead, tallySha256: x.tallySha256 })),
        }
      : payloadOf(params, trusteeStateData(state));
  const { kdf, aead } = sealingHeaders(opts);
  const header: Omit<TrusteeStateFile, 'check' | 'ciphertext'> = {
    format: TRUSTEE_STATE_FORMAT,
    version: TRUSTEE_STATE_VERSION,
    ...ceremonyHeaderToJson(params),
    ceremonyVersion: params.version,
    trustee: state.trustee,
    round,
    kdf,
    aead,
  };
  const sealed = sealWithPassphrase(passphrase, { kdf, aead }, CHECK_LABEL, headerBytes(header), utf8(JSON.stringify(payload)));
  return { ...header, ...sealed };
}

const ROUNDS: readonly TrusteeStateRound[] = [1, 2, 3, 4, 'key'];

/** Parses the payload of a decrypted file. Any fault here means the file was made by a broken writer: it is reported as tampering. */
function restore<E>(
  params: CeremonyParams<E>,
  trustee: number,
  round: TrusteeStateRound,
  payload: unknown,
): TrusteeRoundState<E> | TrusteeKey<E> {
  const g = params.group;
  const identity = (v: unknown): TrusteeIdentity | undefined => {
    if (params.version === 1) {
      if (v !== null) throw new FormatError('payload.identity', 'a version-1 ceremony has no identity');
      return undefined;
    }
    const id = new TrusteeIdentity(fromHex(v, 'payload.identity', 32));
    if (id.publicKeyHex !== toHex(params.identities![trustee - 1]!))
      throw new FormatError('payload.identity', 'not the identity the manifest lists for this trustee');
    return id;
  };
  if (round === 'key') {
    const o = expectObject(payload, 'payload', ['share', 'result', 'identity', 'decrypted']);
    const result = parseCeremonyResult(params, o.result, 'payload.result');
    const share = g.scalarFromHex(o.share, 'payload.share');
    const K = result.verificationKeys.get(trustee);
    if (!K || !g.equals(g.G.multiply(share), K)) throw new FormatError('payload.share', 'does not match the verification key');
    const decrypted = expectArray(o.decrypted, 'payload.decrypted').map((x, k): DecryptedTally => {
      const p = `payload.decrypted[${k}]`;
      const r = expectObject(x, p, ['fingerprint', 'boardHead', 'tallySha256']);
      const hex32 = (v: unknown, f: string): string => toHex(fromHex(v, `${p}.${f}`, 32));
      return {
        fingerprint: hex32(r.fingerprint, 'fingerprint'),
        boardHead: hex32(r.boardHead, 'boardHead'),
        tallySha256: hex32(r.tallySha256, 'tallySha256'),
      };
    });
    return new TrusteeKey(result, trustee, share, { identity: identity(o.identity), decrypted });
  }
  const o = expectObject(payload, 'payload', [
    'coefficients',
    'commSecret',
    'salt',
    'round1',
    'received',
    'complained',
    'views',
    'identity',
  ]);
  const d: TrusteeSecretData<E> = {
    coefficients: expectArray(o.coefficients, 'payload.coefficients', params.t).map((a, l) =>
      g.scalarFromHex(a, `payload.coefficients[${l}]`),
    ),
    commSecret: g.scalarFromHex(o.commSecret, 'payload.commSecret'),
    salt: fromHex(o.salt, 'payload.salt', SALT_BYTES),
  };
  const id = identity(o.identity);
  if (id) d.identity = id;
  if (round >= 3)
    d.round1 = expectArray(o.round1, 'payload.round1').map((m, k): CommitmentMessage<E> =>
      parseCommitmentMessage(params, m, `payload.round1[${k}]`),
    );
  if (round === 4) {
    d.received = new Map(
      expectArray(o.received, 'payload.received').map((x, k) => {
        const r = expectObject(x, `payload.received[${k}]`, ['sender', 'value']);
        return [
          parseTrusteeIndex(r.sender, `payload.received[${k}].sender`, params.n),
          g.scalarFromHex(r.value, `payload.received[${k}].value`),
        ] as const;
      }),
    );
    d.complained = expectArray(o.complained, 'payload.complained').map((x, k) =>
      parseTrusteeIndex(x, `payload.complained[${k}]`, params.n),
    );
    d.views = new Map(
      expectArray(o.views, 'payload.views').map((x, k) => {
        const r = expectObject(x, `payload.views[${k}]`, ['sender', 'digest']);
        return [
          parseTrusteeIndex(r.sender, `payload.views[${k}].sender`, params.n),
          fromHex(r.digest, `payload.views[${k}].digest`, 32),
        ] as const;
      }),
    );
  }
  return restoreTrusteeState(round, params, trustee, d);
}

/**
 * Decrypts and rebuilds a trustee state from {@link exportTrusteeState}'s output. `group` must be
 * the ceremony's group.
 * @throws FormatError (malformed file, naming the field), WrongPassphraseError, TamperedStateError.
 */
export function importTrusteeState<E>(
  file: unknown,
  passphrase: string,
  group: Group<E>,
  opts: ImportOptions = {},
): TrusteeRoundState<E> | TrusteeKey<E> {
  const ceremonyVersion = (file as { ceremonyVersion?: unknown } | null)?.ceremonyVersion;
  const o = expectObject(file, 'state', [
    'format',
    'version',
    'group',
    'ceremony',
    'n',
    't',
    'ceremonyVersion',
    ...(ceremonyVersion === 2 ? ['manifestSha256', 'identities'] : []),
    'trustee',
    'round',
    'kdf',
    'aead',
    'check',
    'ciphertext',
  ]);
  if (o.format !== TRUSTEE_STATE_FORMAT) throw new FormatError('state.format', `expected '${TRUSTEE_STATE_FORMAT}'`);
  if (o.version !== TRUSTEE_STATE_VERSION)
    throw new FormatError(
      'state.version',
      `expected ${TRUSTEE_STATE_VERSION}${o.version === 1 ? ' (a state file of an earlier release: finish its ceremony with that release)' : ''}`,
    );
  if (o.ceremonyVersion !== 1 && o.ceremonyVersion !== 2) throw new FormatError('state.ceremonyVersion', 'expected 1 or 2');
  if (o.group !== group.id)
    throw new FormatError('state.group', `expected '${group.id}', got ${typeof o.group === 'string' ? `'${o.group}'` : typeName(o.group)}`);
  if (!ROUNDS.includes(o.round as TrusteeStateRound)) throw new FormatError('state.round', 'expected 1, 2, 3, 4 or "key"');
  const params = parseCeremonyHeader(group, o, 'state', opts, o.ceremonyVersion);
  const trustee = parseTrusteeIndex(o.trustee, 'state.trustee', params.n);
  const parts = parseSealedParts(o, 'state', opts);
  const header = { ...(o as unknown as TrusteeStateFile), kdf: parts.kdf, aead: parts.aead };
  const plain = unsealWithPassphrase(passphrase, parts, CHECK_LABEL, headerBytes(header));
  try {
    return restore(params, trustee, o.round as TrusteeStateRound, JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plain)));
  } catch (e) {
    if (e instanceof FormatError || e instanceof SyntaxError || e instanceof ProtocolError || e instanceof TypeError)
      throw new TamperedStateError(`authenticated payload is malformed (${e.message})`);
    throw e;
  }
}
