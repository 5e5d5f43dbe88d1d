/**
 * Files of `mjvote trustee`: the envelope every public ceremony message travels in, loading
 * message sets from files and directories, and crash-safe writes (docs/trustees.md §Files).
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
 * Node-only (files).
 * @module
 */
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes, toHex, typeName } from '../bytes.js';
import { FormatError } from '../errors.js';
import type { CeremonyParams } from '../ceremony/params.js';
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
import { canonicalJson } from '../json/canonical.js';
import { expectArray, expectObject } from '../json/guards.js';
import { parseJsonInput, readTextInput, UsageError, type CliIo } from './command.js';

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

/** A ceremony's public messages as loaded from files, with the file each came from. */
export interface LoadedMessages<E> {
  commitments: CommitmentMessage<E>[];
  reveals: RevealMessage<E>[];
  shares: EncryptedShare<E>[];
  complaints: Complaint<E>[];
  /** For each kind, the senders a file was found for, ascending. */
  senders: Record<MessageKind, number[]>;
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

/**
 * Loads the messages of the `wanted` kinds. A file named for a kind must be a message file of
 * that kind; a file named in `any` may be of any kind (the ones not wanted are skipped); in a
 * directory, every `*.json` that is a message file of a wanted kind is taken and any other file
 * is skipped. The same message found twice (e.g. in a directory and by name) counts once; two
 * different messages of one kind from one trustee are an error (the message set is ambiguous).
 * @throws UsageError naming the file for an unreadable, malformed or misplaced file.
 */
export async function loadMessages<E>(
  params: CeremonyParams<E>,
  sources: MessageSources,
  wanted: readonly MessageKind[],
  io: CliIo,
): Promise<LoadedMessages<E>> {
  const seen = new Map<string, { file: string; canonical: string }>();
  const out: LoadedMessages<E> = {
    commitments: [],
    reveals: [],
    shares: [],
    complaints: [],
    senders: { commitment: [], reveal: [], shares: [], complaints: [] },
  };
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
    const key = `${kind}:${trustee}`;
    const canonical = canonicalJson(json);
    const before = seen.get(key);
    if (before) {
      if (before.canonical === canonical) return;
      throw new UsageError(
        `two different '${kind}' messages from trustee ${trustee}: ${before.file} and ${file} (keep the one the trustee published)`,
      );
    }
    seen.set(key, { file, canonical });
    out.senders[kind].push(trustee);
    if (kind === 'commitment') out.commitments.push(body as CommitmentMessage<E>);
    else if (kind === 'reveal') out.reveals.push(body as RevealMessage<E>);
    else if (kind === 'shares') out.shares.push(...(body as EncryptedShare<E>[]));
    else out.complaints.push(...(body as Complaint<E>[]));
  };
  const visit = async (path: string, allowed: readonly MessageKind[]): Promise<void> => {
    if (isDirectory(path)) for (const f of jsonFilesIn(path)) await take(f, allowed, true);
    else await take(path, allowed, false);
  };
  for (const kind of wanted) for (const p of sources.byKind[kind] ?? []) await visit(p, [kind]);
  for (const p of sources.any ?? []) await visit(p, wanted);
  for (const k of MESSAGE_KINDS) out.senders[k].sort((a, b) => a - b);
  return out;
}

/** Indices 1..n not in `present`. */
export function missingIndices(n: number, present: readonly number[]): number[] {
  const s = new Set(present);
  return Array.from({ length: n }, (_, k) => k + 1).filter((i) => !s.has(i));
}

/**
 * The options that take a list of paths (`--commitments a.json b.json DIR`): parseArgs wants
 * one value per option, so every following word that is not an option is given its own copy of
 * the option (`--commitments a.json --commitments b.json --commitments DIR`). This lets a shell
 * glob (`--shares board/shares-*.json`) name several files.
 */
export function expandListOptions(argv: readonly string[], listOptions: readonly string[]): string[] {
  const out: string[] = [];
  let current: string | null = null;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--') {
      out.push(...argv.slice(k));
      break;
    }
    if (a.startsWith('-') && a !== '-') {
      const name = a.replace(/^--?/, '').split('=')[0]!;
      current = listOptions.includes(name) ? name : null;
      out.push(a);
      if (current !== null && !a.includes('=') && k + 1 < argv.length) out.push(argv[++k]!);
      continue;
    }
    if (current !== null) out.push(`--${current}`, a);
    else out.push(a);
  }
  return out;
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
