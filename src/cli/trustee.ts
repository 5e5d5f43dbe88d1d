/**
 * `mjvote trustee`: the key ceremony and the tally decryption, one trustee at a time, from
 * files. Each trustee runs the commands on its own machine; only public message files travel
 * (through the election platform); the trustee's secrets stay in a passphrase-encrypted state
 * file that each step reads and rewrites. See docs/trustees.md for a worked example.
 *
 * ```
 * identity   (once) → identity file + public file     (the manifest lists the public key)
 * fingerprint identity files or manifest → fingerprints (no passphrase)
 * init       manifest + identity → commitment message state: round 2
 * reveal     commitments → reveal + encrypted shares   state: round 3
 * check      reveals + shares → complaints             state: round 4
 * finish     all messages (or the transcript) → key    state: key
 * transcript all messages → ceremony.json              (public: anyone)
 * decrypt    record → decryption-share message         (needs the key)
 * combine    record + ≥ t shares → result.json         (public: anyone)
 * status     state file's public header                (no passphrase)
 * ```
 * The manifest (version 2) lists every trustee's identity key; every message a trustee publishes
 * is signed with it, and every step sets aside what is not signed by its claimed sender and
 * carries the evidence against a trustee who signed two different messages for one slot
 * (`trustee-files.ts`, `loadMessages`). Node-only.
 * @module
 */
import { FormatError, ProtocolError } from '../errors.js';
import { sameCeremony, type CeremonyParams } from '../ceremony/params.js';
import { beginCeremony, type TrusteeRound2, type TrusteeRound3, type TrusteeRound4 } from '../ceremony/trustee.js';
import type { CeremonyMessages, CeremonyResult, Disqualification } from '../ceremony/outcome.js';
import { buildCeremonyTranscript, parseCeremonyTranscript, verifyCeremonyTranscript } from '../ceremony/transcript.js';
import { EXIT_OK, parseJsonInput, readTextInput, UsageError, type CliIo, type Command } from './command.js';
import { runCommandStep } from './options.js';
import {
  ceremonyDifference,
  fingerprintLines,
  integerOption,
  listOption,
  manifestCeremonyParams,
  manifestSha256,
  openState,
  optionalString,
  readManifest,
  reporter,
  requiredString,
  type OptionValues,
  type TrusteeSub,
} from './trustee-options.js';
import {
  assertAbsent,
  commitStep,
  loadMessages,
  messageFile,
  missingIndices,
  type LoadedMessages,
  type MessageKind,
  type MessageSources,
} from './trustee-files.js';
import { fingerprintSub, identitySub, readIdentityPublic, unlockIdentity } from './trustee-identity.js';
import { describeRound, kdfChoice, nextStep, readPassphrase, readStateHeader, sealState, unlockState } from './trustee-state.js';
import { identityFingerprint } from '../election/trustee-identity.js';
import { toHex } from '../bytes.js';
import { combineSub, decryptSub } from './trustee-tally.js';

function sources(v: OptionValues, kinds: readonly MessageKind[], sub: string): MessageSources {
  const flag: Record<MessageKind, string> = { commitment: 'commitments', reveal: 'reveals', shares: 'shares', complaints: 'complaints' };
  const byKind: Partial<Record<MessageKind, string[]>> = {};
  for (const k of kinds) byKind[k] = listOption(v, flag[k]);
  const any = listOption(v, 'messages');
  if (any.length === 0 && kinds.some((k) => byKind[k]!.length === 0))
    throw new UsageError(
      `give ${kinds.map((k) => `--${flag[k]}`).join(', ')} (files or directories), or --messages DIR (see mjvote trustee ${sub} --help)`,
    );
  return { byKind, any };
}

const list = (xs: readonly number[]): string => (xs.length ? xs.join(', ') : 'none');

function describeFinding(d: Disqualification): string {
  return `trustee ${d.trustee}: ${d.code} (${d.reason})`;
}

const STATE_OPTIONS = { state: { type: 'string' }, 'passphrase-file': { type: 'string' } } as const;
const ALL_MESSAGES = {
  commitments: { type: 'string', multiple: true },
  reveals: { type: 'string', multiple: true },
  shares: { type: 'string', multiple: true },
  complaints: { type: 'string', multiple: true },
  messages: { type: 'string', multiple: true },
} as const;

const PASSPHRASE_HELP = `Passphrase: --passphrase-file FILE (its first line), else the environment variable
MJVOTE_PASSPHRASE, else a prompt on the terminal (no echo).`;

/** One line on trustee j's equivocation: the slots it signed two messages for, and their files. */
function equivocationLine(msgs: LoadedMessages<any>, j: number): string {
  const found = msgs.equivocated.filter((e) => e.evidence.trustee === j);
  return `trustee ${j}: equivocation (signed two different messages for ${found.map((e) => `${e.slot}: ${e.files[0]} and ${e.files[1]}`).join('; ')})`;
}

/** Stops a step whose own trustee is proven to equivocate: its identity key signed two different messages. */
function assertNotEquivocator(msgs: LoadedMessages<any>, i: number): void {
  if (msgs.equivocators.includes(i))
    throw new ProtocolError(
      `${equivocationLine(msgs, i)}: this trustee's identity key signed both, so the ceremony disqualifies it; if you did not publish both, your identity file and its passphrase have leaked`,
      'trustee-disqualified',
    );
}

const initSub: TrusteeSub = {
  name: 'init',
  summary: 'start the ceremony: new state file and the round-1 commitment',
  usage: `Usage: mjvote trustee init --manifest manifest.json --index i --identity identity.json --state FILE
                           [--out commit-i.json] [--passphrase-file F] [--identity-passphrase-file F]

Starts trustee i's part of the key ceremony of the election the manifest defines (its id,
group, n, t and the trustees' identity keys: a version-2 manifest). The identity file (made
once with \`mjvote trustee identity\`) must be the one the manifest lists at index i. Draws the
secret polynomial and communication key, writes them with the identity's secret key to a NEW
passphrase-encrypted state FILE (never overwrites one), and writes the public round-1
commitment message, signed with the identity (default commit-i.json; - for standard output).
Publish that file. Prints every trustee's identity fingerprint as the manifest lists them:
compare each with its trustee (by phone, in person) before the next round.
${PASSPHRASE_HELP} A new passphrase needs at least 12 characters and must be hard to guess.
The identity file's passphrase: --identity-passphrase-file F, else the same source as the
state's (--passphrase-file, MJVOTE_PASSPHRASE, or a prompt of its own on the terminal).
`,
  options: {
    manifest: { type: 'string' },
    index: { type: 'string' },
    identity: { type: 'string' },
    out: { type: 'string' },
    ...STATE_OPTIONS,
    'identity-passphrase-file': { type: 'string' },
  },
  async run(v, io) {
    const manifestPath = requiredString(v, 'manifest', 'init');
    const identityPath = requiredString(v, 'identity', 'init');
    const statePath = requiredString(v, 'state', 'init');
    const manifest = await readManifest(manifestPath, io);
    if (manifest.version === 1)
      throw new UsageError(
        `${manifestPath}: a version-1 manifest lists no trustee identities, so nothing would tell the trustees' messages from messages the platform made up: ask the organiser for a version-2 manifest listing each trustee's identity key (docs/trustees.md §1.2)`,
      );
    const params = manifestCeremonyParams(manifest, manifestPath);
    const i = integerOption(v, 'index', 1, params.n);
    const out = optionalString(v, 'out') ?? `commit-${i}.json`;
    // The public key is in clear in the identity file: it is checked before any passphrase is asked.
    const mine = await readIdentityPublic(identityPath, io);
    if (mine.kind === 'public')
      throw new UsageError(`${identityPath}: a public identity file: give the identity file it was made with (it holds the secret key)`);
    const listed = toHex(params.identities![i - 1]!);
    if (mine.publicKeyHex !== listed) {
      const at = params.identities!.findIndex((k) => toHex(k) === mine.publicKeyHex);
      throw new UsageError(
        `${identityPath} is the identity ${mine.fingerprint}, but ${manifestPath} lists ${identityFingerprint(params.identities![i - 1]!)} for trustee ${i}` +
          (at >= 0
            ? ` (it lists this identity for trustee ${at + 1}: check --index)`
            : ': this identity is not in the manifest; ask the organiser'),
      );
    }
    assertAbsent(statePath, 'a trustee state file may hold a secret key: this command never replaces one');
    assertAbsent(out, 'output');
    kdfChoice(io);
    const statePassFile = optionalString(v, 'passphrase-file');
    const identity = await unlockIdentity(identityPath, optionalString(v, 'identity-passphrase-file') ?? statePassFile, io);
    const passphrase = await readPassphrase({ file: statePassFile, create: true, what: `trustee ${i}'s new state file ${statePath}` }, io);
    const { message, next } = beginCeremony(params, i, { identity }).commit();
    commitStep(io, [{ path: out, value: messageFile(params, 'commitment', i, message) }], {
      path: statePath,
      value: sealState(next, passphrase, io),
      create: true,
    });
    const say = reporter(io, out);
    say(`trustee ${i} of ${params.n} (threshold t = ${params.t}), election '${params.ceremonyId}', group ${params.group.id}`);
    say(`manifest sha256: ${manifestSha256(manifest)} (compare it with the other trustees)`);
    say(`identities the manifest lists (compare each with its trustee, by phone or in person, before the next round):`);
    for (const line of fingerprintLines(params, i, `(you: ${identityPath})`)) say(line);
    say(`commitment: ${out === '-' ? 'standard output' : out} (signed with your identity; publish it)`);
    say(`state:      ${statePath}: the ${describeRound(2)}; keep it and its passphrase`);
    say(`next:       once every trustee's commitment is published, ${nextStep(2)}`);
    return EXIT_OK;
  },
};

const revealSub: TrusteeSub = {
  name: 'reveal',
  summary: 'round 2: reveal the coefficient commitments, send each trustee its encrypted share',
  usage: `Usage: mjvote trustee reveal --state FILE --commitments PATH... [--messages PATH...]
                             [--out reveal-i.json] [--shares-out shares-i.json]
                             [--allow-missing] [--passphrase-file F]

Round 2. Reads every trustee's commitment message (files, or directories: their *.json
message files of this kind are taken), opens this trustee's commitment (reveal-i.json) and
encrypts its share f_i(j) to every other trustee j with a valid commitment (shares-i.json).
Publish both files. A trustee whose commitment is missing gets no share and will be
disqualified: that needs --allow-missing (use it once the deadline has passed).
${PASSPHRASE_HELP}
`,
  options: {
    ...STATE_OPTIONS,
    commitments: ALL_MESSAGES.commitments,
    messages: ALL_MESSAGES.messages,
    out: { type: 'string' },
    'shares-out': { type: 'string' },
    'allow-missing': { type: 'boolean' },
  },
  async run(v, io) {
    const { h, params } = await openState(v, 2, 'reveal', io);
    const i = h.trustee;
    const out = optionalString(v, 'out') ?? `reveal-${i}.json`;
    const sharesOut = optionalString(v, 'shares-out') ?? `shares-${i}.json`;
    if (out === '-' && sharesOut === '-') throw new UsageError('--out and --shares-out cannot both be standard output');
    assertAbsent(out, 'output');
    assertAbsent(sharesOut, 'output');
    const msgs = await loadMessages(params, sources(v, ['commitment'], 'reveal'), ['commitment'], io);
    assertNotEquivocator(msgs, i);
    // An equivocator sent its commitments: it is not missing, it is out (proven, nothing to wait for).
    const missing = missingIndices(params.n, msgs.senders.commitment);
    if (missing.length > 0 && !v['allow-missing'])
      throw new UsageError(
        `no commitment from trustee(s) ${list(missing)}: wait until every trustee has published one, or pass --allow-missing once the deadline has passed (they get no share and are disqualified)`,
      );
    const { state, passphrase } = await unlockState(h, optionalString(v, 'passphrase-file'), io);
    const r = (state as TrusteeRound2<any>).reveal(msgs.commitments);
    commitStep(
      io,
      [
        { path: out, value: messageFile(params, 'reveal', i, r.reveal) },
        { path: sharesOut, value: messageFile(params, 'shares', i, r.shares) },
      ],
      { path: h.path, value: sealState(r.next, passphrase, io) },
    );
    const say = reporter(io, out, sharesOut);
    say(
      `trustee ${i}: reveal ${out === '-' ? 'on standard output' : `in ${out}`}; encrypted shares for trustees ${list(r.shares.map((s) => s.recipient))} ${sharesOut === '-' ? 'on standard output' : `in ${sharesOut}`} (publish both)`,
    );
    for (const d of r.excluded) if (!msgs.equivocators.includes(d.trustee)) say(`excluded (no share sent): ${describeFinding(d)}`);
    for (const j of msgs.equivocators) say(`excluded (no share sent): ${equivocationLine(msgs, j)}`);
    say(`state: ${h.path} now holds the ${describeRound(3)}`);
    say(`next: once every reveal and share file is published, ${nextStep(3)}`);
    return EXIT_OK;
  },
};

const checkSub: TrusteeSub = {
  name: 'check',
  summary: 'round 3: check the shares received, complain about bad ones',
  usage: `Usage: mjvote trustee check --state FILE --reveals PATH... --shares PATH... [--messages PATH...]
                            [--out complaints-i.json] [--allow-missing] [--passphrase-file F]

Round 3. Decrypts the share each trustee sent this one and checks it against the sender's
revealed coefficient commitments. Writes this trustee's complaints file (an empty list when
every share checked out; publish it either way, so that everyone knows this trustee had
nothing to complain about). A complaint reveals the key the disputed share was encrypted
under, with a proof, so that anyone can judge it. Missing reveals or shares (for this
trustee) need --allow-missing: their senders will be disqualified.
${PASSPHRASE_HELP}
`,
  options: {
    ...STATE_OPTIONS,
    reveals: ALL_MESSAGES.reveals,
    shares: ALL_MESSAGES.shares,
    messages: ALL_MESSAGES.messages,
    out: { type: 'string' },
    'allow-missing': { type: 'boolean' },
  },
  async run(v, io) {
    const { h, params } = await openState(v, 3, 'check', io);
    const i = h.trustee;
    const out = optionalString(v, 'out') ?? `complaints-${i}.json`;
    assertAbsent(out, 'output');
    const msgs = await loadMessages(params, sources(v, ['reveal', 'shares'], 'check'), ['reveal', 'shares'], io);
    assertNotEquivocator(msgs, i);
    const { state, passphrase } = await unlockState(h, optionalString(v, 'passphrase-file'), io);
    const r = (state as TrusteeRound3<any>).check(msgs.reveals, msgs.shares);
    // An equivocator's slot is empty: proven misconduct, not a message to wait for.
    const problems = r.problems.filter((p) => !msgs.equivocators.includes(p.trustee));
    const missing = problems.filter((p) => p.code === 'missing-reveal' || p.code === 'missing-share');
    if (missing.length > 0 && !v['allow-missing'])
      throw new UsageError(
        `missing messages: ${missing.map(describeFinding).join('; ')}; wait for them, or pass --allow-missing once the deadline has passed (their senders are disqualified)`,
      );
    commitStep(io, [{ path: out, value: messageFile(params, 'complaints', i, r.complaints) }], {
      path: h.path,
      value: sealState(r.next, passphrase, io),
    });
    const say = reporter(io, out);
    const where = out === '-' ? 'on standard output' : `in ${out}`;
    if (r.complaints.length === 0) say(`trustee ${i}: every share received checked out; empty complaints list ${where} (publish it)`);
    else
      say(
        `trustee ${i}: complaints against trustee(s) ${list(r.complaints.map((c) => c.accused))} ${where} (publish it): their shares do not match their commitments`,
      );
    for (const p of problems) say(`seen (everyone can see it; no complaint needed): ${describeFinding(p)}`);
    for (const j of msgs.equivocators) say(`seen (everyone can see it; no complaint needed): ${equivocationLine(msgs, j)}`);
    say(`state: ${h.path} now holds the ${describeRound(4)}`);
    say(`next: once every trustee's complaints file is published, ${nextStep(4)}`);
    return EXIT_OK;
  },
};

/** Loads a published transcript, checks that it is this ceremony's and that it verifies. */
async function verifiedTranscriptMessages(path: string, params: CeremonyParams<any>, io: CliIo): Promise<CeremonyMessages<any>> {
  const json = parseJsonInput(await readTextInput(path, io), path);
  let t;
  try {
    t = parseCeremonyTranscript(json, params.group);
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
  if (t.params.ceremonyId !== params.ceremonyId || t.params.n !== params.n || t.params.t !== params.t)
    throw new UsageError(
      `${path}: transcript of election '${t.params.ceremonyId}' (n = ${t.params.n}, t = ${t.params.t}), not '${params.ceremonyId}' (n = ${params.n}, t = ${params.t})`,
    );
  if (!sameCeremony(t.params, params))
    throw new UsageError(
      `${path}: transcript of another ceremony of election '${params.ceremonyId}': ${ceremonyDifference(t.params, params)}`,
    );
  const check = verifyCeremonyTranscript(t);
  if (!check.ok)
    throw new ProtocolError(
      `${path}: the transcript does not verify: ${check.failures.map((f) => `${f.check}: ${f.reason}`).join('; ')}`,
      'transcript-rejected',
    );
  return t;
}

function reportResult(say: (line: string) => void, r: CeremonyResult<any>): void {
  const g = r.params.group;
  say(`qualified trustees: ${list(r.qualified)}`);
  for (const d of r.disqualified) say(`disqualified: ${describeFinding(d)}`);
  for (const c of r.complaints) say(`complaint of trustee ${c.complainer} against trustee ${c.accused}: ${c.verdict} (${c.reason})`);
  say(`joint public key: ${g.toHex(r.jointPublicKey)}`);
}

const finishSub: TrusteeSub = {
  name: 'finish',
  summary: 'round 4: judge the ceremony, keep the secret key share',
  usage: `Usage: mjvote trustee finish --state FILE (--transcript ceremony.json |
                             --commitments PATH... --reveals PATH... --shares PATH...
                             --complaints PATH... | --messages PATH...)
                             [--transcript-out ceremony.json] [--allow-missing] [--passphrase-file F]

Round 4. Judges every message of the ceremony (proofs, openings, signatures, complaints),
checks that the messages are the ones this trustee saw in the earlier rounds, and replaces
the state file's contents by the trustee's secret key share s_i = Σ f_j(i) over the qualified
trustees. Prints the joint public key and this trustee's verification key K_i = s_i·G:
every trustee must print the same joint key (compare it). The messages come from the files,
or from a published transcript (--transcript, which must verify). --transcript-out writes
the public transcript (the same as \`mjvote trustee transcript\`). A trustee with a reveal but
no complaints file needs --allow-missing.
${PASSPHRASE_HELP}
`,
  options: {
    ...STATE_OPTIONS,
    ...ALL_MESSAGES,
    transcript: { type: 'string' },
    'transcript-out': { type: 'string' },
    'allow-missing': { type: 'boolean' },
  },
  async run(v, io) {
    const { h, params } = await openState(v, 4, 'finish', io);
    const i = h.trustee;
    const transcriptOut = optionalString(v, 'transcript-out');
    if (transcriptOut !== undefined) assertAbsent(transcriptOut, 'output');
    const transcriptIn = optionalString(v, 'transcript');
    let messages: CeremonyMessages<any>;
    if (transcriptIn !== undefined) {
      if (
        listOption(v, 'messages').length +
          ['commitments', 'reveals', 'shares', 'complaints'].reduce((n, k) => n + listOption(v, k).length, 0) >
        0
      )
        throw new UsageError('--transcript replaces the message options: give one or the other');
      messages = await verifiedTranscriptMessages(transcriptIn, params, io);
    } else {
      const kinds: MessageKind[] = ['commitment', 'reveal', 'shares', 'complaints'];
      const msgs = await loadMessages(params, sources(v, kinds, 'finish'), kinds, io);
      assertNotEquivocator(msgs, i);
      const silent = msgs.senders.reveal.filter((j) => !msgs.senders.complaints.includes(j) && !msgs.equivocators.includes(j));
      if (silent.length > 0 && !v['allow-missing'])
        throw new UsageError(
          `no complaints file from trustee(s) ${list(silent)}, who revealed: wait for it, or pass --allow-missing once the deadline has passed`,
        );
      messages = msgs;
    }
    const { state, passphrase } = await unlockState(h, optionalString(v, 'passphrase-file'), io);
    const { key, result } = (state as TrusteeRound4<any>).finish(messages);
    const outputs = transcriptOut === undefined ? [] : [{ path: transcriptOut, value: buildCeremonyTranscript(params, messages).toJson() }];
    commitStep(io, outputs, { path: h.path, value: sealState(key, passphrase, io) });
    const say = reporter(io, transcriptOut);
    say(`trustee ${i}: the ceremony succeeded`);
    reportResult(say, result);
    say(`verification key of trustee ${i}: ${params.group.toHex(key.verificationKey)}`);
    if (transcriptOut !== undefined) say(`transcript: ${transcriptOut === '-' ? 'standard output' : transcriptOut} (it verifies)`);
    say(`state: ${h.path} now holds the ${describeRound('key')}; keep it until the tally is decrypted`);
    return EXIT_OK;
  },
};

const transcriptSub: TrusteeSub = {
  name: 'transcript',
  summary: 'build and verify the public ceremony transcript (anyone can)',
  usage: `Usage: mjvote trustee transcript --manifest manifest.json
                                 (--commitments PATH... --reveals PATH... --shares PATH...
                                  --complaints PATH... | --messages PATH...) [--out ceremony.json]

Public: needs no secret. Judges every message of the ceremony of the election the manifest
defines and writes the transcript (default ceremony.json; - for standard output): every
message, the qualified trustees, the disqualifications and complaint verdicts, the joint
public key and each qualified trustee's verification key. The transcript is checked again
after writing it, as a verifier would read it. Exit status 1 when fewer than t trustees are
qualified (the message names who was disqualified and why).
`,
  options: { manifest: { type: 'string' }, ...ALL_MESSAGES, out: { type: 'string' } },
  async run(v, io) {
    const manifestPath = requiredString(v, 'manifest', 'transcript');
    const out = optionalString(v, 'out') ?? 'ceremony.json';
    assertAbsent(out, 'output');
    const manifest = await readManifest(manifestPath, io);
    const params = manifestCeremonyParams(manifest, manifestPath);
    const kinds: MessageKind[] = ['commitment', 'reveal', 'shares', 'complaints'];
    const msgs = await loadMessages(params, sources(v, kinds, 'transcript'), kinds, io);
    const json = buildCeremonyTranscript(params, msgs).toJson();
    // Check what is written as a verifier will read it: from its JSON text.
    const reread = verifyCeremonyTranscript(parseCeremonyTranscript(JSON.parse(JSON.stringify(json)), params.group));
    if (!reread.ok) throw new Error(`the transcript built does not verify: ${reread.failures.map((f) => f.reason).join('; ')}`);
    commitStep(io, [{ path: out, value: json }]);
    const say = reporter(io, out);
    say(`election '${params.ceremonyId}': n = ${params.n}, t = ${params.t}`);
    for (const k of kinds) say(`${`${k} files`.padEnd(17)} from trustee(s) ${list(msgs.senders[k])}`);
    for (const f of msgs.injected) say(`ignored (not signed by trustee ${f.trustee}): ${f.file}`);
    for (const j of msgs.equivocators) say(`evidence in the transcript: ${equivocationLine(msgs, j)}`);
    reportResult(say, reread.recomputed!);
    say(`transcript: ${out === '-' ? 'standard output' : out} (verified)`);
    return EXIT_OK;
  },
};

const statusSub: TrusteeSub = {
  name: 'status',
  summary: "show a state file's public header (no passphrase needed)",
  usage: `Usage: mjvote trustee status --state FILE

Prints what a state file says about itself without decrypting it: election, group, n, t,
ceremony version (and the manifest's hash and this trustee's identity fingerprint), trustee
index, round, next step and the passphrase's scrypt cost.
`,
  options: { state: { type: 'string' } },
  async run(v, io) {
    const h = await readStateHeader(requiredString(v, 'state', 'status'), io);
    const p = h.params;
    const ceremony =
      p.version === 2
        ? `version 2, bound to the manifest with sha256 ${toHex(p.manifestSha256!)}\nidentity:   ${identityFingerprint(p.identities![h.trustee - 1]!)} (trustee ${h.trustee}'s, as the manifest lists it)\n`
        : 'version 1 (no trustee identities)\n';
    io.stdout(
      `state file: ${h.path}\nelection:   '${h.election}' (group ${h.group.id}, n = ${h.n}, t = ${h.t})\nceremony:   ${ceremony}trustee:    ${h.trustee}\n` +
        `holds:      the ${describeRound(h.round)}\nnext step:  ${nextStep(h.round)}\nscrypt:     N = 2^${h.logN}, r = 8, p = 1\n`,
    );
    return EXIT_OK;
  },
};

/** Every sub-command, in the order of the ceremony. */
export const TRUSTEE_SUBCOMMANDS: readonly TrusteeSub[] = [
  identitySub,
  fingerprintSub,
  initSub,
  revealSub,
  checkSub,
  finishSub,
  transcriptSub,
  decryptSub,
  combineSub,
  statusSub,
];

const USAGE = `Usage: mjvote trustee <step> [options]

The key ceremony and the tally decryption, run by each trustee on its own machine. Each
trustee makes its identity once (\`identity\`); the manifest lists every trustee's identity
key, and every message a trustee publishes is signed with it. Only public message files
travel between trustees (through the election platform, which can withhold a message but
can neither forge nor alter one); each trustee's secrets stay in its passphrase-encrypted
identity and state files. See docs/trustees.md.

Steps:
${TRUSTEE_SUBCOMMANDS.map((s) => `  ${s.name.padEnd(11)}  ${s.summary}`).join('\n')}

mjvote trustee <step> --help   help on one step

Exit status: 0 done; 1 a check failed (a proof, the board, too few trustees or shares);
2 bad input (missing or malformed file, wrong passphrase, state file of another round).
`;

/** The `trustee` command. */
export const trusteeCommand: Command = {
  name: 'trustee',
  summary: 'key ceremony and tally decryption for trustees, from files',
  usage: USAGE,
  run(argv: readonly string[], io: CliIo): Promise<number> {
    return runCommandStep('trustee', TRUSTEE_SUBCOMMANDS, USAGE, argv, io, (sub, values, positionals) => {
      if (positionals.length > 0 && sub.positionals === undefined)
        throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (see mjvote trustee ${sub.name} --help)`);
      return sub.run(values, io, positionals);
    });
  },
};
