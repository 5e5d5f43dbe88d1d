/**
 * An election run with the commands, each role its own process, for the pages' whole-election
 * test (issue 23): three trustees (`mjvote trustee identity/init/reveal/check/finish`), the
 * organiser (`mjvote election new/register/open`, then `close/tally/publish` through the
 * running server), `mjvote serve` serving the box and the pages, and the trustees decrypting
 * (`mjvote trustee decrypt`). Identity and state files use the test-only scrypt cost.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mjvote, serveProcess, type Run } from '../helpers/cli.js';

export { mjvote, type Run };

/** `mjvote ...args`, which must succeed. */
export async function ok(args: readonly string[]): Promise<Run> {
  const r = await mjvote(args);
  if (r.code !== 0) throw new Error(`mjvote ${args.slice(0, 2).join(' ')} exited ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r;
}

/** `mjvote serve` running in its own process. */
export interface Served {
  readonly url: string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/** Starts `mjvote serve DIR --port 0 ...args`; resolves once it prints its address. */
export async function serve(dir: string, args: readonly string[] = []): Promise<Served> {
  const s = await serveProcess(dir, args);
  return {
    url: s.url,
    stop: () => {
      s.child.kill('SIGTERM');
      return s.exited;
    },
  };
}

/** The election's setup on disk. */
export interface CliElection {
  readonly root: string;
  /** The election directory (the board, then the record). */
  readonly dir: string;
  /** Voter k's credential code (from the registrar's delivery file). */
  readonly codes: readonly string[];
  readonly candidates: readonly { id: string; fr: string; en: string }[];
  readonly grades: { readonly fr: readonly string[]; readonly en: readonly string[] };
  /** Trustee i's `mjvote trustee decrypt` of the tallied board; returns the share file. */
  decrypt(i: number): Promise<string>;
}

const trusteeArgs = (root: string, i: number, args: readonly string[]): string[] => [
  'trustee',
  ...args,
  '--passphrase-file',
  join(root, `trustee-${i}`, 'passphrase'),
];

/**
 * Makes an election in `root` with the commands: three trustees (any two decrypt), the manifest
 * in French with an English translation, `voters` registered voters, the key ceremony, open.
 */
export async function cliElection(
  root: string,
  opts: {
    voters: number;
    candidates: readonly { id: string; fr: string; en: string }[];
    grades: { fr: readonly string[]; en: readonly string[] };
  },
): Promise<CliElection> {
  const at = (...p: string[]): string => join(root, ...p);
  const TRUSTEES = [1, 2, 3];
  const all = <T>(f: (i: number) => Promise<T>): Promise<T[]> => Promise.all(TRUSTEES.map(f));
  await all(async (i) => {
    mkdirSync(at(`trustee-${i}`), { recursive: true });
    writeFileSync(at(`trustee-${i}`, 'passphrase'), `trustee ${i} keeps this passphrase to itself\n`, { mode: 0o600 });
    return ok(trusteeArgs(root, i, ['identity', '--out', at(`trustee-${i}`, 'identity.json')]));
  });
  writeFileSync(
    at('election-input.json'),
    JSON.stringify({
      electionId: 'pages-e2e',
      title: 'Primaire de test',
      candidates: opts.candidates.map((c) => ({ id: c.id, name: c.fr })),
      grades: opts.grades.fr,
      threshold: '2',
      identities: TRUSTEES.map((i) => JSON.parse(readFileSync(at(`trustee-${i}`, 'identity.pub.json'), 'utf8')).publicKey as string),
      language: 'fr',
      translations: { en: { title: 'Test primary', candidates: opts.candidates.map((c) => c.en), grades: opts.grades.en } },
    }),
  );
  await ok(['election', 'new', '--out', at('manifest.json'), '--from', at('election-input.json')]);
  mkdirSync(at('registrar'));
  await ok([
    'election',
    'register',
    '--manifest',
    at('manifest.json'),
    '--count',
    String(opts.voters),
    '--delivery-out',
    at('registrar', 'delivery.csv'),
    '--credentials-out',
    at('credentials.json'),
  ]);
  const codes = readFileSync(at('registrar', 'delivery.csv'), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((row) => row.split(',')[1]!);
  mkdirSync(at('messages'));
  const msg = (name: string): string => at('messages', name);
  const state = (i: number): string => at(`trustee-${i}`, 'trustee.state');
  await all((i) =>
    ok(
      trusteeArgs(root, i, [
        'init',
        '--manifest',
        at('manifest.json'),
        '--index',
        String(i),
        '--identity',
        at(`trustee-${i}`, 'identity.json'),
        '--state',
        state(i),
        '--out',
        msg(`commit-${i}.json`),
      ]),
    ),
  );
  await all((i) =>
    ok(
      trusteeArgs(root, i, [
        'reveal',
        '--state',
        state(i),
        '--commitments',
        at('messages'),
        '--out',
        msg(`reveal-${i}.json`),
        '--shares-out',
        msg(`shares-${i}.json`),
      ]),
    ),
  );
  await all((i) =>
    ok(
      trusteeArgs(root, i, [
        'check',
        '--state',
        state(i),
        '--reveals',
        at('messages'),
        '--shares',
        at('messages'),
        '--out',
        msg(`complaints-${i}.json`),
      ]),
    ),
  );
  await ok(['trustee', 'transcript', '--manifest', at('manifest.json'), '--messages', at('messages'), '--out', at('ceremony.json')]);
  await all((i) => ok(trusteeArgs(root, i, ['finish', '--state', state(i), '--transcript', at('ceremony.json')])));
  const dir = at('election');
  await ok([
    'election',
    'open',
    dir,
    '--manifest',
    at('manifest.json'),
    '--ceremony',
    at('ceremony.json'),
    '--credentials',
    at('credentials.json'),
  ]);
  return {
    root,
    dir,
    codes,
    candidates: opts.candidates,
    grades: opts.grades,
    async decrypt(i) {
      const out = msg(`decryption-share-${i}.json`);
      await ok(trusteeArgs(root, i, ['decrypt', '--state', state(i), '--record', dir, '--out', out]));
      return out;
    },
  };
}
