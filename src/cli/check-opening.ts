/**
 * `mjvote check-opening`: checks a Benaloh audit file `{ballot, opening}` (what the booth's
 * "Save the audit file" and `mjvote vote --audit` write) against the election, with nothing but
 * the library: the opening recomputes every ciphertext of the ballot (`checkOpening`), and the
 * ballot's proofs and signature verify (`checkBallot`). Prints the tracking code and the
 * revealed grades. The same check as web/public/check-opening.html, for a terminal.
 * @module
 */
import { statSync } from 'node:fs';
import { FormatError } from '../errors.js';
import { parseElection, type Election } from '../election/election.js';
import { manifestLabels } from '../election/manifest.js';
import { parseBallot } from '../ballot/parse.js';
import { checkBallot } from '../ballot/check.js';
import { checkOpening, parseOpening } from '../ballot/opening.js';
import { readElectionDirectory } from '../authority/election-directory.js';
import {
  EXIT_FAILURE,
  EXIT_OK,
  parseCommandArgs,
  parseJsonInput,
  readTextInput,
  runReporting,
  UsageError,
  type CliIo,
  type Command,
} from './command.js';

const USAGE = `Usage: mjvote check-opening FILE --election DIR|election.json [--lang fr|en|…]

Checks an audited (opened) ballot: FILE is the audit file {"ballot", "opening"} that the booth
saves ("Save the audit file") or \`mjvote vote --audit\` writes (- for standard input).
--election is an election directory, the election's public parameters (JSON: manifest,
trustees' commitments, joint key, fingerprint), or a saved answer of the ballot box's
GET /election.
Checks that the opening recomputes every ciphertext of the ballot (so the ballot holds exactly
the revealed grades) and that the ballot's proofs and signature verify, then prints the
tracking code and the revealed grade of every candidate (labels in --lang when the manifest
has that language). Exit 0 when everything checks, 1 when something does not, 2 for bad input.
`;

async function electionFrom(path: string, io: CliIo): Promise<Election<unknown>> {
  let isDir = false;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    /* a file name, or standard input */
  }
  if (isDir) return readElectionDirectory(path).election;
  const json = parseJsonInput(await readTextInput(path, io), path);
  const o = json as { election?: unknown; phase?: unknown };
  // A saved GET /election answer carries the public parameters in `election`.
  return parseElection(typeof o === 'object' && o !== null && 'phase' in o && 'election' in o ? o.election : json);
}

/** The `check-opening` command. */
export const checkOpeningCommand: Command = {
  name: 'check-opening',
  summary: "check an audited ballot (the booth's audit file): its opening and proofs",
  usage: USAGE,
  async run(argv, io) {
    return runReporting('mjvote check-opening', io, async () => {
      const { values: v, positionals } = parseCommandArgs(
        argv,
        { election: { type: 'string' }, lang: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
        'check-opening',
      );
      if (v.help) {
        io.stdout(USAGE);
        return EXIT_OK;
      }
      if (positionals.length !== 1) throw new UsageError('expected one audit file (see mjvote check-opening --help)');
      if (v.election === undefined) throw new UsageError('missing --election (see mjvote check-opening --help)');
      const file = positionals[0]!;
      const election = await electionFrom(v.election, io);
      const audit = parseJsonInput(await readTextInput(file, io), file);
      if (typeof audit !== 'object' || audit === null || Array.isArray(audit) || !('ballot' in audit) || !('opening' in audit))
        throw new UsageError(`${file}: expected an object with "ballot" and "opening"`);
      const { ballot: ballotJson, opening: openingJson } = audit;
      let ballot, opening;
      try {
        ballot = parseBallot(ballotJson, election);
        opening = parseOpening(openingJson, election);
      } catch (e) {
        if (e instanceof FormatError) throw new UsageError(`${file}: ${e.path}: ${e.reason}`);
        throw e;
      }
      const o = checkOpening(election, ballot, opening);
      const b = checkBallot(election, ballot);
      io.stdout(`tracking code ${ballot.trackingCode}\n`);
      if (!o.ok) io.stdout(`FAIL opening: ${o.path}: ${o.reason}\n`);
      else {
        const labels = manifestLabels(election.manifest, v.lang ? [v.lang] : []);
        io.stdout('ok   opening: the ballot holds exactly these grades\n');
        labels.candidates.forEach((name, j) => io.stdout(`     ${name}: ${labels.grades[o.grades[j]!]}\n`));
      }
      io.stdout(b.ok ? 'ok   proofs and signature\n' : `FAIL proofs and signature: ${b.path}: ${b.reason}\n`);
      return o.ok && b.ok ? EXIT_OK : EXIT_FAILURE;
    });
  },
};
