/**
 * `mjvote vote`: a voter's ballot without a browser (for tests, scripts and people who prefer a
 * terminal). It encrypts one grade per candidate under the election's joint key, signs with the
 * voter's credential code, writes the ballot as one JSON line for `mjvote election cast` (or the
 * server) and prints its tracking code. `--audit` writes a Benaloh opening instead: the ballot
 * with its randomness and grades, which anyone can check and which can never be cast.
 *
 * The credential code is a secret: it is read from a file (`--code-file`, first line) or the
 * environment (`MJVOTE_CREDENTIAL_CODE`), never from the command line (shell history, process
 * list), and never printed. Node-only.
 * @module
 */
import { existsSync, statSync } from 'node:fs';
import { FormatError } from '../errors.js';
import { parseElection, type Election } from '../election/election.js';
import { credentialFromCode } from '../election/credential.js';
import { encryptBallot } from '../ballot/encrypt.js';
import { ballotToJson } from '../ballot/json.js';
import { openingToJson } from '../ballot/opening.js';
import { readElectionDirectory } from '../authority/election-directory.js';
import { writeNewFile } from './trustee-files.js';
import { EXIT_OK, parseCommandArgs, parseJsonInput, readTextInput, runReporting, UsageError, type CliIo, type Command } from './command.js';

/** Environment variable holding the credential code when no `--code-file` is given. */
export const CODE_ENV = 'MJVOTE_CREDENTIAL_CODE';

const USAGE = `Usage: mjvote vote --election DIR|election.json --grade CANDIDATE=GRADE... [--code-file FILE]
                   [--audit] [--out ballot.json]

Encrypts a ballot: one --grade per candidate (its id, then = and the grade's label as the
manifest writes it, e.g. --grade c1="Très bien"), signed with the voter's credential code.
--election is an election directory (\`mjvote election open\`) or the election's public
parameters (JSON: manifest, trustees' commitments, joint key, fingerprint).
The code is read from --code-file (first line) or the environment variable ${CODE_ENV}; it is
never taken on the command line and never printed. A mistyped code is caught by its checksum.
Writes the ballot as one JSON line (--out FILE, never replaced; default standard output) and
prints its tracking code on standard error: keep it, and look for it on the board.
--audit: writes {"ballot", "opening"} instead, revealing the grades and randomness so that
anyone can check the encryption (\`mjvote election cast\` publishes it); an audited ballot can
never be cast: vote again with a fresh one.
`;

async function electionFrom(path: string, io: CliIo): Promise<Election<unknown>> {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    /* a file name, or standard input */
  }
  if (isDir) return readElectionDirectory(path).election;
  return parseElection(parseJsonInput(await readTextInput(path, io), path));
}

function gradesFrom(election: Election<unknown>, args: readonly string[]): number[] {
  const m = election.manifest;
  const out = new Array<number | undefined>(m.candidates.length).fill(undefined);
  for (const a of args) {
    const at = a.indexOf('=');
    if (at <= 0) throw new UsageError(`--grade: expected CANDIDATE=GRADE, got ${JSON.stringify(a)}`);
    const id = a.slice(0, at);
    const label = a.slice(at + 1);
    const j = m.candidates.findIndex((c) => c.id === id);
    if (j < 0) throw new UsageError(`--grade: no candidate '${id}' (candidates: ${m.candidates.map((c) => c.id).join(', ')})`);
    if (out[j] !== undefined) throw new UsageError(`--grade: candidate '${id}' is graded twice`);
    const g = m.grades.findIndex((x) => x.normalize('NFC').toLowerCase() === label.normalize('NFC').toLowerCase());
    if (g < 0) throw new UsageError(`--grade ${id}: no grade '${label}' (grades, best first: ${m.grades.join(', ')})`);
    out[j] = g;
  }
  const missing = m.candidates.filter((_, j) => out[j] === undefined).map((c) => c.id);
  if (missing.length > 0) throw new UsageError(`--grade: every candidate gets one grade; missing: ${missing.join(', ')}`);
  return out as number[];
}

/** The `vote` command. */
export const voteCommand: Command = {
  name: 'vote',
  summary: "a voter's ballot from the terminal: encrypt, sign, print the tracking code (or audit)",
  usage: USAGE,
  async run(argv, io) {
    return runReporting('mjvote vote', io, async () => {
      const { values: v, positionals } = parseCommandArgs(
        argv,
        {
          election: { type: 'string' },
          grade: { type: 'string', multiple: true },
          'code-file': { type: 'string' },
          audit: { type: 'boolean' },
          out: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
        'vote',
      );
      if (v.help) {
        io.stdout(USAGE);
        return EXIT_OK;
      }
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])} (see mjvote vote --help)`);
      if (v.election === undefined) throw new UsageError('missing --election (see mjvote vote --help)');
      const election = await electionFrom(v.election, io);
      const grades = gradesFrom(election, v.grade ?? []);
      let code: string | undefined;
      if (v['code-file'] !== undefined) code = (await readTextInput(v['code-file'], io)).split(/\r?\n/, 1)[0];
      else code = (io.env ?? process.env)[CODE_ENV];
      if (code === undefined || code.trim() === '')
        throw new UsageError(`no credential code: give --code-file FILE or set ${CODE_ENV} (never on the command line)`);
      const credential = (() => {
        try {
          return credentialFromCode(election.group, election.manifest.electionId, code.trim());
        } catch (e) {
          if (e instanceof FormatError) throw new UsageError(`the credential code: ${e.reason}`);
          throw e;
        }
      })();
      const out = v.out;
      if (out !== undefined && out !== '-' && existsSync(out)) throw new UsageError(`${out} exists: this command never replaces a file`);
      const handle = encryptBallot(election, credential, grades);
      const ballot = ballotToJson(handle.ballot);
      const line = v.audit ? { ballot, opening: openingToJson(election, handle.audit()) } : (handle.cast(), ballot);
      const text = JSON.stringify(line) + '\n';
      if (out === undefined || out === '-') io.stdout(text);
      else writeNewFile(out, text);
      const where = out === undefined || out === '-' ? 'standard output' : out;
      io.stderr(
        v.audit
          ? `tracking code ${handle.trackingCode}: AUDITED ballot in ${where} (grades and randomness revealed; it can never be cast)\n`
          : `tracking code ${handle.trackingCode}: ballot in ${where}; after casting, look for this code on the board\n`,
      );
      return EXIT_OK;
    });
  },
};
