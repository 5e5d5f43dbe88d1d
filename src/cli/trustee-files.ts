/**
 * Files of `mjvote trustee`: the envelope every public ceremony message travels in, loading
 * message sets from files and directories, and crash-safe writes (docs/trustees.md §3 and §4).
 *
 * ```
 * { "format": "mjvote-trustee-message", "version": 1,
 *   "kind": "commitment" | "reveal" | "shares" | "complaints",
 *   "group", "election", "n", "t", "trustee",
 *   "message": CommitmentMessageJson | RevealMessageJson | EncryptedShareJson[] | ComplaintJson[] }
 * ```
 * The envelope says what the file is and which ceremony it belongs to, so that one directory can
 * hold every message of a ceremony (and other files) and a file of another election is refused
 * with a clear error before any proof is checked. `message` holds the library's wire forms
 * (docs/ceremony.md) unchanged. `trustee` is the sender: the commitment's or reveal's trustee,
 * every share's sender, every complaint's complainer.
 *
 * The envelope is not signed: in a version-2 ceremony each message inside carries its sender's
 * identity signature (`ceremony/signatures.ts`), and {@link loadMessages} sets aside whatever is
 * not signed by the trustee the file claims it is from, so a relay can withhold a file but can
 * neither forge nor alter one.
 *
 * Node-only (files).
 * @module
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes, toHex, typeName } from '../bytes.js';
import { FormatError, ProtocolError } from '../errors.js';
import type { CeremonyParams } from '../ceremony/params.js';
import type { CeremonyMessages } from '../ceremony/outcome.js';
import { collectCeremonyMessages, messageSlot, type AnyCeremonyMessage, type Equivocation } from '../ceremony/signatures.js';
import type { CommitmentMessage, Complaint, EncryptedShare, RevealMessage } from '../ceremony/messages.js';
import {
  commitmentMessageToJson,
  complaintToJson,
  encryptedShareToJson,
  parseCommitmentMessage,
  parseComplaint,
  parseEncryptedShare,
  parseRevealMessage,
  revealMessageToJson,
} from '../ceremony/wire.js';
import { expectArray, expectObject } from '../json/guards.js';
import { parseJsonInput, readTextInput, UsageError, type CliIo } from './command.js';
import { trusteeFingerprint } from './trustee-options.js';

/** `format` of a trustee message file. */
export const TRUSTEE_MESSAGE_FORMAT = 'mjvote-trustee-message';
/** `version` of a trustee message file. */
export const TRUSTEE_MESSAGE_VERSION = 1;

/** What a message file holds. */
export type MessageKind = 'commitment' | 'reveal' | 'shares' | 'complaints';
/** Every kind, in round order. */
export const MESSAGE_KINDS: readonly MessageKind[] = ['commitment', 'reveal', 'shares', 'complaints'];

/** The wire form of a message file. */
export interface TrusteeMessageJson {
  format: typeof TRUSTEE_MESSAGE_FORMAT;
  version: typeof TRUSTEE_MESSAGE_VERSION;
  kind: MessageKind;
  group: string;
  election: string;
  n: number;
  t: number;
  trustee: number;
  message: unknown;
}

/** The in-memory body of each kind. */
interface Bodies<E> {
  commitment: CommitmentMessage<E>;
  reveal: RevealMessage<E>;
  shares: EncryptedShare<E>[];
  complaints: Complaint<E>[];
}

/** Wraps a public message (already in memory) in its envelope. */
export function messageFile<E, K extends MessageKind>(
  params: CeremonyParams<E>,
  kind: K,
  trustee: number,
  body: Bodies<E>[K],
): TrusteeMessageJson {
  let message: unknown;
  if (kind === 'commitment') message = commitmentMessageToJson(params, body as CommitmentMessage<E>);
  else if (kind === 'reveal') message = revealMessageToJson(params, body as RevealMessage<E>);
  else if (kind === 'shares') message = (body as EncryptedShare<E>[]).map((s) => encryptedShareToJson(params, s));
  else message = (body as Complaint<E>[]).map((c) => complaintToJson(params, c));
  return {
    format: TRUSTEE_MESSAGE_FORMAT,
    version: TRUSTEE_MESSAGE_VERSION,
    kind,
    group: params.group.id,
    election: params.ceremonyId,
    n: params.n,
    t: params.t,
    trustee,
    message,
  };
}

/** True when a JSON value looks like a trustee message file (its `format` says so). */
function isMessageFile(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Record<string, unknown>).format === TRUSTEE_MESSAGE_FORMAT;
}

function expectSender(actual: number, expected: number, path: string): void {
  if (actual !== expected) throw new FormatError(path, `the file is trustee ${expected}'s, but this message is from trustee ${actual}`);
}

/**
 * Parses and checks a message file's envelope and body for the ceremony `params`.
 * @throws FormatError naming the JSON path (`file.kind`, `file.message.proof`, …).
 */
export function parseMessageFile<E>(
  params: CeremonyParams<E>,
  v: unknown,
): { kind: MessageKind; trustee: number; body: Bodies<E>[MessageKind] } {
  const o = expectObject(v, 'file', ['format', 'version', 'kind', 'group', 'election', 'n', 't', 'trustee', 'message']);
  if (o.format !== TRUSTEE_MESSAGE_FORMAT) throw new FormatError('file.format', `expected '${TRUSTEE_MESSAGE_FORMAT}'`);
  if (o.version !== TRUSTEE_MESSAGE_VERSION) throw new FormatError('file.version', `expected ${TRUSTEE_MESSAGE_VERSION}`);
  if (!MESSAGE_KINDS.includes(o.kind as MessageKind)) throw new FormatError('file.kind', `expected one of ${MESSAGE_KINDS.join(', ')}`);
  if (o.group !== params.group.id)
    throw new FormatError('file.group', `message for group ${JSON.stringify(o.group)}, not '${params.group.id}'`);
  if (o.election !== params.ceremonyId)
    throw new FormatError('file.election', `message of election ${JSON.stringify(o.election)}, not '${params.ceremonyId}'`);
  if (o.n !== params.n || o.t !== params.t)
    throw new FormatError(
      'file.n',
      `message for n = ${JSON.stringify(o.n)}, t = ${JSON.stringify(o.t)}, not n = ${params.n}, t = ${params.t}`,
    );
  const trustee = o.trustee;
  if (typeof trustee !== 'number' || !Number.isInteger(trustee) || trustee < 1 || trustee > params.n)
    throw new FormatError('file.trustee', `expected a trustee index in 1..${params.n}, got ${typeName(trustee)}`);
  const kind = o.kind as MessageKind;
  const p = 'file.message';
  switch (kind) {
    case 'commitment': {
      const m = parseCommitmentMessage(params, o.message, p);
      expectSender(m.trustee, trustee, `${p}.trustee`);
      return { kind, trustee, body: m };
    }
    case 'reveal': {
      const m = parseRevealMessage(params, o.message, p);
      expectSender(m.trustee, trustee, `${p}.trustee`);
      return { kind, trustee, body: m };
    }
    case 'shares': {
      const ms = expectArray(o.message, p).map((x, k) => parseEncryptedShare(params, x, `${p}[${k}]`));
      ms.forEach((m, k) => expectSender(m.sender, trustee, `${p}[${k}].sender`));
      return { kind, trustee, body: ms };
    }
    case 'complaints': {
      const ms = expectArray(o.message, p).map((x, k) => parseComplaint(params, x, `${p}[${k}]`));
      ms.forEach((m, k) => expectSender(m.complainer, trustee, `${p}[${k}].complainer`));
      return { kind, trustee, body: ms };
    }
  }
}

/** A message set aside: a file's messages not signed by the trustee the file claims they are from. */
export interface InjectedFile {
  readonly file: string;
  readonly kind: MessageKind;
  /** The trustee the file claims to be from. */
  readonly trustee: number;
  /** The slots of the messages set aside (`commitment:2`, `encrypted-share:2:3`, …). */
  readonly slots: readonly string[];
}

/** A trustee proven to have signed two different messages for one slot, with the files they came from. */
export interface EquivocationFound<E> {
  readonly evidence: Equivocation<E>;
  readonly slot: string;
  readonly files: readonly [string, string];
}

/**
 * A ceremony's public messages as loaded from files: those signed by their sender, once each,
 * and the evidence against trustees who signed two different messages for one slot (their
 * slot is left empty). Ready for the rounds, `finish` and the transcript.
 */
export interface LoadedMessages<E> extends CeremonyMessages<E> {
  readonly commitments: CommitmentMessage<E>[];
  readonly reveals: RevealMessage<E>[];
  readonly shares: EncryptedShare<E>[];
  readonly complaints: Complaint<E>[];
  readonly equivocations: Equivocation<E>[];
  /**
   * For each kind, the senders a file was found for, ascending: a file counts when it holds at
   * least one message signed by its sender, or no message at all (an empty list of shares or
   * complaints).
   */
  readonly senders: Record<MessageKind, number[]>;
  /** The equivocations, with the files the two messages came from. */
  readonly equivocated: readonly EquivocationFound<E>[];
  /** Trustees proven to equivocate, ascending. */
  readonly equivocators: readonly number[];
  /** Files whose messages (some or all) were set aside as not signed by their claimed sender. */
  readonly injected: readonly InjectedFile[];
}

/** Where to look for each kind: paths given for that kind, and paths that may hold any kind. */
export interface MessageSources {
  readonly byKind: Partial<Record<MessageKind, readonly string[]>>;
  /** `--messages`: files or directories holding messages of any kind. */
  readonly any?: readonly string[];
}

/** The JSON files directly inside a directory, sorted by name. */
function jsonFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The messages of a file's body, each tagged with its kind (`ceremony/signatures.ts`). */
function tagged<E>(kind: MessageKind, body: Bodies<E>[MessageKind]): AnyCeremonyMessage<E>[] {
  if (kind === 'commitment') return [{ kind: 'commitment', message: body as CommitmentMessage<E> }];
  if (kind === 'reveal') return [{ kind: 'reveal', message: body as RevealMessage<E> }];
  if (kind === 'shares') return (body as EncryptedShare<E>[]).map((message) => ({ kind: 'encrypted-share' as const, message }));
  return (body as Complaint<E>[]).map((message) => ({ kind: 'complaint' as const, message }));
}

/** `mjvote trustee: warning: …` on standard error. */
function warn(io: CliIo, text: string): void {
  io.stderr(`mjvote trustee: warning: ${text}\n`);
}

/**
 * Loads the messages of the `wanted` kinds. A file named for a kind must be a message file of
 * that kind; a file named in `any` may be of any kind (the ones not wanted are skipped); in a
 * directory, every `*.json` that is a message file of a wanted kind is taken and any other file
 * is skipped.
 *
 * The relay that delivered the files is not trusted (docs/trustees.md §4): every message is
 * sorted by `collectCeremonyMessages`. A message not signed by the identity key of the trustee
 * its file claims it is from was not written by that trustee: it is set aside with a warning
 * naming the file, and the step goes on without it. The same message found twice counts once.
 * Two different messages signed by one trustee for one slot are an equivocation: both are kept
 * as evidence (for `finish` and the transcript, which disqualify that trustee), with a warning
 * naming both files, and neither is used.
 * @throws UsageError naming the file for an unreadable, malformed or misplaced file (and, in a
 *   version-1 ceremony, where nothing is signed, for two different messages of one slot).
 */
export async function loadMessages<E>(
  params: CeremonyParams<E>,
  sources: MessageSources,
  wanted: readonly MessageKind[],
  io: CliIo,
): Promise<LoadedMessages<E>> {
  const fileOf = new Map<AnyCeremonyMessage<E>, string>();
  const files: { file: string; kind: MessageKind; trustee: number; messages: AnyCeremonyMessage<E>[] }[] = [];
  const take = async (file: string, allowed: readonly MessageKind[], fromDirectory: boolean): Promise<void> => {
    const json = parseJsonInput(await readTextInput(file, io), file);
    if (!isMessageFile(json)) {
      if (fromDirectory) return;
      throw new UsageError(`${file}: not an mjvote trustee message file (no "format": "${TRUSTEE_MESSAGE_FORMAT}")`);
    }
    if (fromDirectory && !allowed.includes(json.kind as MessageKind)) return;
    let parsed: ReturnType<typeof parseMessageFile<E>>;
    try {
      parsed = parseMessageFile(params, json);
    } catch (e) {
      if (e instanceof FormatError) throw new UsageError(`${file}: ${e.message}`);
      throw e;
    }
    const { kind, trustee, body } = parsed;
    if (!allowed.includes(kind))
      throw new UsageError(`${file}: a '${kind}' message, expected ${allowed.map((k) => `'${k}'`).join(' or ')}`);
    const messages = tagged(kind, body);
    for (const m of messages) fileOf.set(m, file);
    files.push({ file, kind, trustee, messages });
  };
  const visit = async (path: string, allowed: readonly MessageKind[]): Promise<void> => {
    if (isDirectory(path)) for (const f of jsonFilesIn(path)) await take(f, allowed, true);
    else await take(path, allowed, false);
  };
  for (const kind of wanted) for (const p of sources.byKind[kind] ?? []) await visit(p, [kind]);
  for (const p of sources.any ?? []) await visit(p, wanted);

  let sorted: ReturnType<typeof collectCeremonyMessages<E>>;
  try {
    sorted = collectCeremonyMessages(
      params,
      files.flatMap((f) => f.messages),
    );
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'duplicate-message')
      throw new UsageError(`${e.message}: keep the one the trustee published (a version-1 ceremony signs nothing)`);
    throw e;
  }

  const injected = new Set(sorted.injected);
  const injectedFiles: InjectedFile[] = [];
  const senders: Record<MessageKind, Set<number>> = { commitment: new Set(), reveal: new Set(), shares: new Set(), complaints: new Set() };
  const reported = new Set<string>();
  for (const f of files) {
    const out = f.messages.filter((m) => injected.has(m));
    if (f.messages.length === 0 || out.length < f.messages.length) senders[f.kind].add(f.trustee);
    if (out.length === 0 || reported.has(f.file)) continue;
    reported.add(f.file);
    const slots = out.map((m) => messageSlot(m).slot);
    injectedFiles.push({ file: f.file, kind: f.kind, trustee: f.trustee, slots });
    const fp = trusteeFingerprint(params, f.trustee);
    warn(
      io,
      `${f.file}: not signed by trustee ${f.trustee}'s identity key${fp ? ` (${fp})` : ''} for this ceremony: ignored (${slots.join(', ')}); whoever relayed it is not trustee ${f.trustee}`,
    );
  }
  const equivocated = sorted.equivocations.map((evidence): EquivocationFound<E> => {
    const [a, b] = evidence.messages;
    const slot = messageSlot(a).slot;
    const found: EquivocationFound<E> = { evidence, slot, files: [fileOf.get(a)!, fileOf.get(b)!] };
    warn(
      io,
      `trustee ${evidence.trustee} signed two different messages for ${slot} (${found.files[0]}, ${found.files[1]}): it is disqualified for equivocation, and both messages go into the transcript as evidence`,
    );
    return found;
  });
  const ascending = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);
  return {
    commitments: sorted.commitments,
    reveals: sorted.reveals,
    shares: sorted.shares,
    complaints: sorted.complaints,
    equivocations: sorted.equivocations,
    senders: {
      commitment: ascending(senders.commitment),
      reveal: ascending(senders.reveal),
      shares: ascending(senders.shares),
      complaints: ascending(senders.complaints),
    },
    equivocated,
    equivocators: ascending(new Set(sorted.equivocations.map((e) => e.trustee))),
    injected: injectedFiles,
  };
}

/** Indices 1..n not in `present`. */
export function missingIndices(n: number, present: readonly number[]): number[] {
  const s = new Set(present);
  return Array.from({ length: n }, (_, k) => k + 1).filter((i) => !s.has(i));
}

/** Refuses to go on when an output file already exists (nothing is ever overwritten but the state file). */
export function assertAbsent(path: string, what: string): void {
  if (path !== '-' && existsSync(path)) throw new UsageError(`${path} already exists (${what}); remove it or choose another name`);
}

/** Writes `text` to a new temporary file next to `path` (mode `mode`), fsync'ed; returns its name. */
export function writeTemp(path: string, text: string, mode = 0o644): string {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${toHex(randomBytes(4))}`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return tmp;
}

/** Makes a rename or link durable (best effort: some platforms cannot fsync a directory). */
function syncDirectory(path: string): void {
  try {
    const fd = openSync(dirname(path), 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported here */
  }
}

/** Moves a temporary file to `path`, which must not exist (a link, so an existing file is never replaced). */
export function publishTemp(tmp: string, path: string): void {
  try {
    linkSync(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'EEXIST'
        ? `${path} already exists; remove it or choose another name`
        : `cannot write ${path}: ${code ?? (e as Error).message}`,
    );
  } finally {
    unlinkSync(tmp);
  }
  syncDirectory(path);
}

/**
 * Writes a NEW file durably and atomically (temporary file, fsync, hard link into place): never
 * replaces an existing file, never leaves a partial one.
 * @throws UsageError when `path` exists or cannot be written
 */
export function writeNewFile(path: string, text: string, mode = 0o644): void {
  assertAbsent(path, 'this command never replaces a file');
  publishTemp(writeTemp(path, text, mode), path);
}

/**
 * {@link writeNewFile} for text produced in pieces: `produce` gets a `write` function, and the
 * file appears (fsync'ed, linked into place) only once `produce` has returned; if it throws,
 * nothing is left behind.
 * @throws UsageError when `path` exists or cannot be written; whatever `produce` throws
 */
export function writeNewFileInPieces<T>(path: string, mode: number, produce: (write: (text: string) => void) => T): T {
  assertAbsent(path, 'this command never replaces a file');
  const tmp = writeTemp(path, '', mode);
  let result: T;
  try {
    const fd = openSync(tmp, 'a');
    try {
      result = produce((text) => void writeSync(fd, text));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
  publishTemp(tmp, path);
  return result;
}

/** Moves a temporary file over `path` (replacing it). */
export function replaceWithTemp(tmp: string, path: string): void {
  renameSync(tmp, path);
  syncDirectory(path);
}

/** JSON text of a file: one space indentation, trailing newline (as the record's files). */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 1) + '\n';
}

/**
 * Writes the outputs of one step, then (last) the new state, so that a failure leaves the old
 * state in place and the step can be run again: the state tmp file is written first, each
 * output is linked into place (never replacing a file), and the state is renamed over the old
 * one at the very end (a new state file, `create`, is linked into place like an output, so an
 * existing one is never replaced). `-` as an output path prints the JSON on standard output.
 */
export function commitStep(
  io: CliIo,
  outputs: readonly { path: string; value: unknown }[],
  state?: { path: string; value: unknown; create?: boolean },
): void {
  const stateTmp = state ? writeTemp(state.path, jsonText(state.value), 0o600) : null;
  const written: string[] = [];
  try {
    for (const o of outputs) {
      if (o.path === '-') continue;
      publishTemp(writeTemp(o.path, jsonText(o.value)), o.path);
      written.push(o.path);
    }
  } catch (e) {
    for (const p of written) unlinkSync(p);
    if (stateTmp) unlinkSync(stateTmp);
    throw e;
  }
  if (stateTmp && state) {
    if (state.create) publishTemp(stateTmp, state.path);
    else replaceWithTemp(stateTmp, state.path);
  }
  for (const o of outputs) if (o.path === '-') io.stdout(jsonText(o.value));
}
