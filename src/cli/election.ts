/**
 * `mjvote election`: the election authority's steps, from files (docs/platform.md). The
 * organiser's state is one **election directory**, which becomes the published record; the
 * registrar's step writes the secret delivery file somewhere else.
 *
 * ```
 * new       options or input file → manifest.json (version 2: the trustees' identity keys)
 * register  manifest + voter list (CSV) or a count → delivery file (secret, 0600) + credentials.json
 * open      manifest + ceremony.json + credentials.json → DIR with its board (setup, credentials)
 * cast      DIR + ballots (JSON lines; files or -) → one answer per line (receipt or refusal)
 * close     DIR → sealed board
 * tally     DIR → tally.json (the trustees decrypt it: mjvote trustee decrypt --record DIR)
 * publish   DIR + ≥ t decryption-share files → decryption shares, result, record.json
 * status    DIR → phase, counts and board head, from the board alone
 * ```
 * Exit status 0 done; 1 a check failed (a refused ballot in `cast`, too few valid shares); 2 bad
 * input. Node-only.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { FormatError } from '../errors.js';
import { toHex } from '../bytes.js';
import { groupById } from '../group/index.js';
import { parseManifest, manifestBytes, type Manifest } from '../election/manifest.js';
import { parseIdentityKey, identityFingerprint } from '../election/trustee-identity.js';
import { credentialListToJson } from '../election/credential.js';
import { electionToJson } from '../election/election.js';
import { manifestSha256 } from '../ceremony/params.js';
import { expectObject } from '../json/guards.js';
import { RECORD_FILES } from '../record/files.js';
import {
  castBallots,
  closeElection,
  electionStatus,
  openElection,
  publishElection,
  readElectionDirectory,
  tallyElection,
  type CastAnswer,
} from '../authority/election-directory.js';
import { deliveryCsv, numberedVoters, parseVoterList, registerVotersInChunks } from '../authority/register.js';
import { EXIT_FAILURE, EXIT_OK, parseJsonInput, processIo, readTextInput, UsageError, type CliIo, type Command } from './command.js';
import { formatRankTable } from './rank.js';
import { electionResult, type ElectionResultJson } from '../record/result.js';
import { adminClose, adminPublish, adminTally, runningServer } from '../server/admin-client.js';
import { listOption, optionalString, requiredOption, runCommandStep, type OptionValues } from './options.js';
import { writeNewFile, writeNewFileInPieces } from './trustee-files.js';
import { BOX_KEY_FILE } from '../board/box-key.js';

type Values = OptionValues;

interface Step {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
  /** Positional arguments: `dir` (exactly one), `files` (any number). */
  readonly positionals: 'none' | 'dir' | 'dir+files';
  run(v: Values, positionals: string[], io: CliIo): Promise<number>;
}

const str = (v: Values, name: string, step: string): string => requiredOption(v, name, `election ${step}`);
const opt = optionalString;
const list = listOption;

async function readJsonFile(path: string, io: CliIo): Promise<unknown> {
  return parseJsonInput(await readTextInput(path, io), path);
}

/** An identity given as a public identity file (`mjvote trustee identity`) or as 64 hex digits. */
async function identityKeyFrom(arg: string, io: CliIo, k: number): Promise<string> {
  if (/^[0-9a-f]{64}$/.test(arg)) return toHex(parseIdentityKey(arg, `--identity #${k + 1}`));
  const json = await readJsonFile(arg, io);
  const o = json as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || typeof o.publicKey !== 'string')
    throw new UsageError(
      `${arg}: not a trustee identity file (no "publicKey"); give the public file \`mjvote trustee identity\` wrote, or the key in hex`,
    );
  return toHex(parseIdentityKey(o.publicKey, `${arg}: publicKey`));
}

function parseCandidate(arg: string, k: number): { id: string; name: string } {
  const at = arg.indexOf('=');
  if (at <= 0) throw new UsageError(`--candidate #${k + 1}: expected ID=NAME, got ${JSON.stringify(arg)}`);
  return { id: arg.slice(0, at), name: arg.slice(at + 1) };
}

const newStep: Step = {
  name: 'new',
  summary: 'write the manifest: candidates, grades, group, trustees and their identity keys',
  usage: `Usage: mjvote election new --out manifest.json
         (--from election.json | --id ID --title TITLE --candidate ID=NAME... --grade LABEL...)
         --identity FILE|HEX... --threshold T [--group ristretto255]

Writes a version-2 manifest. Candidates keep their order (ballots refer to them by position);
grades are listed best first, with the labels voters will read, in their language. Each
--identity is a trustee's public identity file (from \`mjvote trustee identity\`) or its key in
hex, in trustee order (trustee 1 first): n is their number, any T of them will be able to
decrypt. --from reads the same from a JSON file:
  {"electionId", "title", "candidates": [{"id", "name"}], "grades": [...], "group"?, "threshold",
   "identities": [hex, ...], "language"?, "translations"?: {"en": {"title", "candidates": [names],
   "grades": [labels]}}}
--language TAG says which language the labels are in (e.g. fr); with --from, translations of
every label into other languages, which the voters' pages offer (docs/ballot.md §1).
Prints the manifest's SHA-256 and each trustee's identity fingerprint: send them to the
trustees, who compare them before the key ceremony.
`,
  options: {
    out: { type: 'string' },
    from: { type: 'string' },
    id: { type: 'string' },
    title: { type: 'string' },
    candidate: { type: 'string', multiple: true },
    grade: { type: 'string', multiple: true },
    identity: { type: 'string', multiple: true },
    threshold: { type: 'string' },
    group: { type: 'string' },
    language: { type: 'string' },
  },
  positionals: 'none',
  async run(v, _p, io) {
    const out = str(v, 'out', 'new');
    let input: Record<string, unknown>;
    const from = opt(v, 'from');
    if (from !== undefined) {
      for (const k of ['id', 'title', 'candidate', 'grade', 'identity', 'threshold', 'group', 'language'])
        if (v[k] !== undefined) throw new UsageError(`--from replaces --${k}: give one or the other`);
      const raw = await readJsonFile(from, io);
      const withGroup =
        typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !Object.hasOwn(raw, 'group')
          ? { ...raw, group: 'ristretto255' }
          : raw;
      const o = expectObject(
        withGroup,
        from,
        ['electionId', 'title', 'candidates', 'grades', 'group', 'threshold', 'identities'],
        ['language', 'translations'],
      );
      const ids = o.identities;
      if (!Array.isArray(ids)) throw new FormatError(`${from}.identities`, 'expected an array of identity keys');
      input = { ...o, identities: ids };
    } else {
      const identities = await Promise.all(list(v, 'identity').map((a, k) => identityKeyFrom(a, io, k)));
      input = {
        electionId: str(v, 'id', 'new'),
        title: str(v, 'title', 'new'),
        candidates: list(v, 'candidate').map(parseCandidate),
        grades: list(v, 'grade'),
        group: opt(v, 'group') ?? 'ristretto255',
        threshold: str(v, 'threshold', 'new'),
        identities,
        language: opt(v, 'language'),
      };
    }
    const identities = input.identities as unknown[];
    if (identities.length === 0) throw new UsageError('no trustee identity: give one --identity per trustee, in trustee order');
    const tRaw = input.threshold;
    const t = typeof tRaw === 'string' && /^\d+$/.test(tRaw) ? Number(tRaw) : tRaw;
    const manifest = parseManifest({
      version: 2,
      electionId: input.electionId,
      title: input.title,
      candidates: input.candidates,
      grades: input.grades,
      group: input.group ?? 'ristretto255',
      trustees: { n: identities.length, t, identities },
      ...(input.language !== undefined && { language: input.language }),
      ...(input.translations !== undefined && { translations: input.translations }),
    });
    writeNewFile(out, new TextDecoder().decode(manifestBytes(manifest)), 0o644);
    printManifest(io, manifest, out);
    return EXIT_OK;
  },
};

function printManifest(io: CliIo, m: Manifest, out: string): void {
  const say = (s: string): void => io.stdout(`${s}\n`);
  say(`manifest: ${out} (election '${m.electionId}', ${m.candidates.length} candidates, ${m.grades.length} grades, group ${m.group})`);
  say(`manifest sha256: ${toHex(manifestSha256(m))}`);
  say(`trustees: ${m.trustees.n}, any ${m.trustees.t} of whom can decrypt; identity fingerprints (compare them with each trustee):`);
  m.trustees.identities?.forEach((k, i) => say(`  trustee ${i + 1}: ${identityFingerprint(Buffer.from(k, 'hex'))}`));
}

async function readManifestArg(path: string, io: CliIo): Promise<Manifest> {
  return parseManifest(await readJsonFile(path, io), {}, path);
}

function progressBar(io: CliIo, label: string): { update(done: number, total: number): void; stop(): void } {
  const tty = io.env?.['MJVOTE_PROGRESS'] !== '0' && process.stderr.isTTY === true && io.stderr === processIo.stderr;
  if (!tty) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, total) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          { format: `${label.padEnd(12)} [{bar}] {value}/{total} {eta_formatted}`, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, 0);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

const registerStep: Step = {
  name: 'register',
  summary: 'one credential per voter: the secret delivery file and the public credential list',
  usage: `Usage: mjvote election register --manifest manifest.json (--voters voters.csv [--column NAME] | --count N)
                                --delivery-out delivery.csv --credentials-out credentials.json

The registrar's step. Makes one credential per voter of the list (a CSV file with a header
row; the voter ids are in column NAME, default the first) or for N voters numbered 1..N.
  --delivery-out: SECRET. CSV voter,code,electionId,title for the mailing tool, written with
      mode 0600. Whoever holds it can vote in any voter's name: send the codes, then delete it.
  --credentials-out: PUBLIC. The credentials' public keys, shuffled (their order says nothing
      of the voter list); give it to the organiser for \`mjvote election open\`.
Neither file is ever replaced. Nothing secret is printed.
`,
  options: {
    manifest: { type: 'string' },
    voters: { type: 'string' },
    column: { type: 'string' },
    count: { type: 'string' },
    'delivery-out': { type: 'string' },
    'credentials-out': { type: 'string' },
  },
  positionals: 'none',
  async run(v, _p, io) {
    const manifest = await readManifestArg(str(v, 'manifest', 'register'), io);
    const deliveryOut = str(v, 'delivery-out', 'register');
    const credentialsOut = str(v, 'credentials-out', 'register');
    if (deliveryOut === credentialsOut) throw new UsageError('--delivery-out and --credentials-out must be different files');
    for (const p of [deliveryOut, credentialsOut])
      if (existsSync(p)) throw new UsageError(`${p} exists: this command never replaces a file`);
    const votersPath = opt(v, 'voters');
    const count = opt(v, 'count');
    if ((votersPath === undefined) === (count === undefined)) throw new UsageError('give --voters FILE or --count N (one of them)');
    const voters =
      votersPath !== undefined
        ? parseVoterList(await readTextInput(votersPath, io), { column: opt(v, 'column'), name: votersPath })
        : /^\d+$/.test(count!)
          ? numberedVoters(Number(count))
          : (() => {
              throw new UsageError(`--count: expected a number of voters, got ${JSON.stringify(count)}`);
            })();
    const group = groupById(manifest.group, 'manifest.group');
    const bar = progressBar(io, 'credentials');
    // The secret file first (0600, never replaced; streamed, so that memory holds only the public
    // keys), then the public list.
    let first = true;
    const list = writeNewFileInPieces(deliveryOut, 0o600, (write) =>
      registerVotersInChunks(
        group,
        manifest,
        voters,
        (chunk) => {
          write(deliveryCsv(manifest, chunk, first));
          first = false;
        },
        (d, t) => bar.update(d, t),
      ),
    );
    bar.stop();
    writeNewFile(credentialsOut, JSON.stringify(credentialListToJson(list), null, 1) + '\n', 0o644);
    io.stdout(
      `registered ${voters.length} voters of election '${manifest.electionId}'\n` +
        `delivery file (SECRET, mode 0600): ${deliveryOut} — send each voter its code, then delete this file\n` +
        `credential list (public): ${credentialsOut} — for \`mjvote election open\`\n`,
    );
    return EXIT_OK;
  },
};

const openStep: Step = {
  name: 'open',
  summary: 'create the election directory and its board from the manifest, ceremony and credentials',
  usage: `Usage: mjvote election open DIR --manifest manifest.json --ceremony ceremony.json --credentials credentials.json [--json]

Checks that the three fit together (the manifest is version 2; the ceremony transcript is this
manifest's ceremony and verifies; the credential list is for this election) and creates DIR
(absent or empty) with copies of them and the board, whose first entries are the election's
setup (manifest, trustees' commitments, joint key, fingerprint, the ballot box's receipt key)
and the credential list's hash. The ballot box's receipt-signing key is made here and kept in
DIR/private/box-key.json (SECRET, mode 600): never publish it with the record. The ballot box is then
open: \`mjvote election cast DIR\` (or the server) accepts ballots.
`,
  options: { manifest: { type: 'string' }, ceremony: { type: 'string' }, credentials: { type: 'string' }, json: { type: 'boolean' } },
  positionals: 'dir',
  async run(v, [dir], io) {
    const manifestText = await readTextInput(str(v, 'manifest', 'open'), io);
    const d = openElection(dir!, {
      manifest: new TextEncoder().encode(manifestText.endsWith('\n') ? manifestText.slice(0, -1) : manifestText),
      ceremony: await readJsonFile(str(v, 'ceremony', 'open'), io),
      credentials: await readJsonFile(str(v, 'credentials', 'open'), io),
    });
    if (v.json)
      io.stdout(
        JSON.stringify({
          electionId: d.manifest.electionId,
          registered: d.credentials.size,
          qualified: d.transcript.result.qualified,
          fingerprint: d.election.fingerprintHex,
          entries: d.checkpoint.entries,
          head: d.checkpoint.head,
          receiptKey: d.receiptKey,
        }) + '\n',
      );
    else
      io.stdout(
        `election '${d.manifest.electionId}' open in ${dir}: ${d.credentials.size} registered voters, trustees ${d.transcript.result.qualified.join(', ')} qualified\n` +
          `fingerprint: ${d.election.fingerprintHex}\nboard head:  ${d.checkpoint.head} (entry ${d.checkpoint.entries})\n` +
          `receipt key: ${d.receiptKey} (the ballot box's; its secret is ${dir}/${BOX_KEY_FILE}: keep it there, never publish it)\n`,
      );
    return EXIT_OK;
  },
};

function describeAnswer(a: CastAnswer): string {
  if ('audit' in a)
    return a.accepted
      ? `audited ${a.trackingCode} entry ${a.receipt.seq + 1} (published: this ballot can never be cast)`
      : `refused audit ${a.code} at ${a.path}: ${a.reason}`;
  if (a.accepted)
    return `accepted ${a.trackingCode} entry ${a.receipt.seq + 1}${a.revote ? ' (revote: replaces the earlier ballot of this credential)' : ''}`;
  return `refused ${a.code} at ${a.path}: ${a.reason}`;
}

function answerJson(a: CastAnswer): unknown {
  if ('audit' in a)
    return a.accepted
      ? {
          audit: true,
          accepted: true,
          trackingCode: a.trackingCode,
          ballotHash: a.ballotHash,
          entry: a.receipt.seq + 1,
          entryHash: a.receipt.hash,
        }
      : { audit: true, accepted: false, code: a.code, path: a.path, reason: a.reason };
  if (a.accepted)
    return {
      accepted: true,
      trackingCode: a.trackingCode,
      ballotHash: a.ballotHash,
      entry: a.receipt.seq + 1,
      entryHash: a.receipt.hash,
      revote: a.revote,
    };
  return { accepted: false, code: a.code, path: a.path, reason: a.reason };
}

const castStep: Step = {
  name: 'cast',
  summary: 'append ballots (JSON lines, or files, or standard input) with every check',
  usage: `Usage: mjvote election cast DIR [FILE|-]... [--json]

Casts ballots into the open box of DIR, with the ballot box's full checks: each line of each
FILE (default: standard input) is one ballot in JSON, as \`mjvote vote\` writes it, or an audit
{"ballot", "opening"} to publish. Prints one answer per line, in order: "accepted CODE entry N"
(the tracking code), or "refused CODE at PATH: reason" (malformed, duplicate, replay, audited,
sealed, unknown-credential, bad-signature, bad-proof …). --json: one JSON object per line.
Each answer is printed as soon as it is final (an accepted ballot is on disk by then). A
ballot already on the board is answered "refused duplicate" and is not a failure: after a
crash, rerun the same command and it finishes the job. Exit status 1 when a line was refused
for any other reason (the others are cast).
`,
  options: { json: { type: 'boolean' } },
  positionals: 'dir+files',
  async run(v, [dir, ...files], io) {
    const d = readElectionDirectory(dir!);
    const sources = files.length === 0 ? ['-'] : files;
    const lines: string[] = [];
    for (const f of sources) for (const line of (await readTextInput(f, io)).split('\n')) if (line.trim() !== '') lines.push(line);
    // Each answer is printed as soon as it is final: an accepted ballot is on disk by then.
    const answers = await castBallots(d, lines, (a) => io.stdout(v.json ? `${JSON.stringify(answerJson(a))}\n` : `${describeAnswer(a)}\n`));
    // A ballot already on the board (a rerun after a crash, a retry) is not a failure.
    return answers.every((a) => a.accepted || a.code === 'duplicate') ? EXIT_OK : EXIT_FAILURE;
  },
};

const closeStep: Step = {
  name: 'close',
  summary: 'seal the ballot box: nothing more is accepted',
  usage: `Usage: mjvote election close DIR [--json]

Seals the board of DIR. Prints the sealed board's head: publish it (the trustees compare it
before decrypting).
`,
  options: { json: { type: 'boolean' } },
  positionals: 'dir',
  async run(v, [dir], io) {
    const d = readElectionDirectory(dir!);
    const server = runningServer(dir!);
    if (server !== null) io.stderr(`the ballot box is served (${server.url}): sealing it through its admin API\n`);
    const s = server !== null ? await adminClose(dir!, server) : await closeElection(d);
    if (v.json) io.stdout(JSON.stringify(s) + '\n');
    else
      io.stdout(
        `election '${d.manifest.electionId}' ${s.already ? 'was sealed already' : 'sealed'}: ${s.entries} entries, head ${s.head}\n`,
      );
    return EXIT_OK;
  },
};

const tallyStep: Step = {
  name: 'tally',
  summary: 'the encrypted tally of the counted ballots (the trustees decrypt it)',
  usage: `Usage: mjvote election tally DIR [--json]

Adds up, homomorphically, the last ballot of each credential on the sealed board of DIR,
appends the tally to the board and writes DIR/tally.json. Prints the board head after the
tally: the trustees must see the same head when they run \`mjvote trustee decrypt --record DIR\`.
`,
  options: { json: { type: 'boolean' } },
  positionals: 'dir',
  async run(v, [dir], io) {
    const d = readElectionDirectory(dir!);
    const server = runningServer(dir!);
    if (server !== null) io.stderr(`the ballot box is served (${server.url}): tallying through its admin API\n`);
    const bar = progressBar(io, 'tally');
    const onProgress = (done: number, total: number): void => bar.update(done, total);
    const t =
      server !== null
        ? await adminTally(dir!, server, onProgress)
        : await tallyElection(d, onProgress).then((r) => ({ ...r, ballots: r.tally.ballots }));
    bar.stop();
    if (v.json) {
      io.stdout(JSON.stringify({ ballots: t.ballots, tallySha256: t.tallySha256, head: t.head, already: t.already }) + '\n');
      return EXIT_OK;
    }
    io.stdout(
      `tally: ${t.ballots} counted ballots, ${join(dir!, RECORD_FILES.tally)} (sha256 ${t.tallySha256})\n` +
        `board head: ${t.head} — send it to the trustees with the directory; each decrypts with mjvote trustee decrypt\n`,
    );
    return EXIT_OK;
  },
};

const publishStep: Step = {
  name: 'publish',
  summary: 'check and combine ≥ t decryption shares, append them and the result, write the record',
  usage: `Usage: mjvote election publish DIR --shares FILE... [--json]

Reads the trustees' decryption-share files (\`mjvote trustee decrypt\` output), checks each
(this election, this tally, each proof and the trustee's identity signature), combines at least
t valid ones, appends them and the result to the board, and writes decryption-shares.json,
result.json and record.json: DIR is then the complete record, for \`mjvote verify DIR\`.
Invalid shares are named and left out. --json prints the result JSON.
`,
  options: { shares: { type: 'string', multiple: true }, json: { type: 'boolean' } },
  positionals: 'dir',
  async run(v, [dir], io) {
    const files = list(v, 'shares');
    if (files.length === 0) throw new UsageError("give the trustees' share files: --shares FILE... (see mjvote election publish --help)");
    const d = readElectionDirectory(dir!);
    const shares = await Promise.all(files.map(async (f) => ({ name: f, json: await readJsonFile(f, io) })));
    const server = runningServer(dir!);
    if (server !== null) io.stderr(`the ballot box is served (${server.url}): publishing through its admin API\n`);
    const p =
      server !== null
        ? await adminPublish(dir!, server, shares)
        : await publishElection(d, shares).then((r) => ({ head: r.head, ...r.combined }));
    for (const x of p.invalid) io.stderr(`left out: trustee ${x.trustee}'s share (${x.code}: ${x.reason})\n`);
    const resultJson = JSON.parse(await readTextInput(join(dir!, RECORD_FILES.result), io)) as ElectionResultJson;
    if (v.json) io.stdout(JSON.stringify(resultJson) + '\n');
    else {
      io.stdout(`decrypted with the shares of trustees ${p.used.join(', ')} (valid: ${p.valid.join(', ')})\n`);
      const profiles = resultJson.meritProfiles.map((m) => m.counts.map((c) => BigInt(c)));
      io.stdout(formatRankTable(electionResult(d.manifest, profiles, resultJson.ballots).result) + '\n');
      io.stdout(`record: ${dir} (board head ${p.head}); check it with: mjvote verify ${dir}\n`);
    }
    return EXIT_OK;
  },
};

const statusStep: Step = {
  name: 'status',
  summary: 'where the election stands (phase, counts, board head), from the board alone',
  usage: `Usage: mjvote election status DIR [--json] [--election-out election.json]

Reads DIR's board (it may be open and written to at the same time) and prints the phase (open,
sealed, tallied, decrypting, published), the registered voters, ballots cast, voters who cast,
audits, and the board head. --election-out writes the election's public parameters (manifest,
trustees' commitments, joint key, fingerprint: what a booth or \`mjvote vote --election\` needs)
to a new file.
`,
  options: { json: { type: 'boolean' }, 'election-out': { type: 'string' } },
  positionals: 'dir',
  async run(v, [dir], io) {
    const manifest = parseManifest(await readJsonFile(join(dir!, RECORD_FILES.manifest), io), {}, 'manifest.json');
    const s = await electionStatus(join(dir!, RECORD_FILES.board), manifest.electionId);
    const electionOut = opt(v, 'election-out');
    if (electionOut !== undefined)
      writeNewFile(electionOut, JSON.stringify(electionToJson(readElectionDirectory(dir!).election), null, 1) + '\n');
    if (v.json) io.stdout(JSON.stringify(s) + '\n');
    else
      io.stdout(
        `election:   '${s.electionId}'\nphase:      ${s.phase}\nregistered: ${s.registered}\nballots:    ${s.ballots} cast by ${s.voters} voters\n` +
          `audits:     ${s.audits}\nshares:     ${s.decryptionShares}\nboard head: ${s.head} (entry ${s.entries})\n`,
      );
    return EXIT_OK;
  },
};

/** Every step, in the order of an election. */
export const ELECTION_STEPS: readonly Step[] = [newStep, registerStep, openStep, castStep, closeStep, tallyStep, publishStep, statusStep];

const USAGE = `Usage: mjvote election <step> [options]

The election authority's steps, from files: the organiser defines the election, the registrar
makes the voters' credentials, the organiser opens the ballot box, casts or serves ballots,
closes, tallies, and publishes the record once the trustees have decrypted. See docs/platform.md.

Steps:
${ELECTION_STEPS.map((s) => `  ${s.name.padEnd(9)}  ${s.summary}`).join('\n')}

mjvote election <step> --help   help on one step

Exit status: 0 done; 1 a check failed (a refused ballot, too few valid shares, a ceremony or
record that does not verify); 2 bad input (missing or malformed file, usage).
`;

/** The `election` command. */
export const electionCommand: Command = {
  name: 'election',
  summary: "the election authority's steps: new, register, open, cast, close, tally, publish, status",
  usage: USAGE,
  run(argv, io) {
    return runCommandStep('election', ELECTION_STEPS, USAGE, argv, io, (step, values, positionals) => {
      if (step.positionals === 'none' && positionals.length > 0)
        throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (see mjvote election ${step.name} --help)`);
      if (step.positionals === 'dir' && positionals.length !== 1)
        throw new UsageError(`expected one election directory (see mjvote election ${step.name} --help)`);
      if (step.positionals === 'dir+files' && positionals.length < 1)
        throw new UsageError(`expected the election directory first (see mjvote election ${step.name} --help)`);
      return step.run(values, positionals, io);
    });
  },
};
