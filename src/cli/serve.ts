/**
 * `mjvote serve`: runs one election directory's ballot box as an HTTP service (docs/server.md)
 * until SIGTERM or SIGINT, then stops gracefully (answers what is in flight, fsyncs, exit 0).
 * Access logs go to standard error as JSON lines, one per request, without bodies, codes or
 * addresses. Node-only.
 * @module
 */
import { availableParallelism } from 'node:os';
import { EXIT_OK, parseCommandArgs, runReporting, UsageError, type CliIo, type Command } from './command.js';
import { integerOption, listOption, optionalString } from './options.js';
import { serveBallotBox, type RunningBallotBox } from '../server/node-http.js';
import { defaultPagesDir, loadPages, type Pages } from '../server/pages.js';

const USAGE = `Usage: mjvote serve DIR [--host 127.0.0.1] [--port 8080] [--admin-port 0]
                   [--workers N] [--max-batch 32] [--no-batch] [--max-pending 1024]
                   [--max-revotes N] [--max-body BYTES] [--cors-origin URL...]
                   [--headers-timeout 10] [--request-timeout 30] [--pages DIR | --no-pages]
                   [--quiet]

Serves the ballot box of the election directory DIR (made by \`mjvote election open\`) over
HTTP: GET /election, POST /ballots (a receipt signed by the box's key, or a typed refusal),
POST /audits, GET /board?from=SEQ (JSON lines; live with &follow=1 or as Server-Sent Events),
GET /tracking/CODE, GET /credentials/KEY, GET /record/FILE once published. See docs/server.md.

It also serves the voters' pages (docs/pages.md) at /: the booth (/), the public board
(/board.html), the results (/results.html), the auditor's page (/verify.html) and the opening
check (/check-opening.html); --pages DIR serves another build of them, --no-pages none.

Ballots are checked on --workers threads (default: the number of CPUs), several at once with
the batch verifier (--max-batch, --no-batch to check each alone), and acknowledged only once
on disk (one fsync per group of ballots). At most --max-pending ballots wait (then 503 with
Retry-After). --max-revotes caps the ballots of one credential (then 429). --max-body bounds a
request body (default: twice an honest ballot). --cors-origin lets a page on that origin call
the API (repeat for several; none by default). Timeouts are in seconds (slow clients get 408).

The organiser's steps keep working while the box is served: \`mjvote election close|tally|
publish DIR\` reach this server through its admin API (127.0.0.1 only, --admin-port; the token
is in DIR/private/admin-token, 0600). Only one server (one writer) can hold a board: a second
one refuses to start. SIGTERM or SIGINT: stop accepting, finish what is in flight, exit 0.
`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'admin-port': { type: 'string' },
  workers: { type: 'string' },
  'max-batch': { type: 'string' },
  'no-batch': { type: 'boolean' },
  'max-pending': { type: 'string' },
  'max-revotes': { type: 'string' },
  'max-body': { type: 'string' },
  'cors-origin': { type: 'string', multiple: true },
  'headers-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  pages: { type: 'string' },
  'no-pages': { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `mjvote serve`. */
export const serveCommand: Command = {
  name: 'serve',
  summary: "run an election's ballot box as an HTTP service (ballots, receipts, board, tracking codes)",
  usage: USAGE,
  async run(argv, io: CliIo) {
    return runReporting('mjvote serve', io, async () => {
      const { values: v, positionals } = parseCommandArgs(argv, OPTIONS, 'serve');
      if (v.help) {
        io.stdout(USAGE);
        return EXIT_OK;
      }
      if (positionals.length !== 1) throw new UsageError('give one election directory (see mjvote serve --help)');
      const dir = positionals[0]!;
      for (const o of listOption(v, 'cors-origin'))
        if (!/^https?:\/\/[^/\s]+$/.test(o))
          throw new UsageError(`--cors-origin: expected an origin such as https://vote.example.org, got '${o}'`);
      const maxRevotes = v['max-revotes'] === undefined ? undefined : integerOption(v, 'max-revotes', 1, 1_000_000);
      const maxBody = v['max-body'] === undefined ? undefined : integerOption(v, 'max-body', 1024, 1 << 30);
      if (v.pages !== undefined && v['no-pages']) throw new UsageError('--pages and --no-pages: give one or the other');
      let pages: Pages | undefined;
      if (!v['no-pages']) {
        const pagesDir = optionalString(v, 'pages') ?? defaultPagesDir();
        if (pagesDir === null) throw new UsageError('the pages are not built (npm run build): build them, give --pages DIR, or --no-pages');
        pages = loadPages(pagesDir);
      }
      const log = v.quiet ? undefined : (line: object): void => io.stderr(JSON.stringify(line) + '\n');
      const running: RunningBallotBox = await serveBallotBox(dir, {
        host: optionalString(v, 'host') ?? '127.0.0.1',
        port: integerOption(v, 'port', 0, 65535, 8080),
        adminPort: integerOption(v, 'admin-port', 0, 65535, 0),
        checker: {
          workers: integerOption(v, 'workers', 0, 256, availableParallelism()),
          maxBatch: integerOption(v, 'max-batch', 1, 4096, 32),
          batch: !v['no-batch'],
        },
        maxPending: integerOption(v, 'max-pending', 1, 1_000_000, 1024),
        ...(maxRevotes !== undefined ? { maxBallotsPerCredential: maxRevotes } : {}),
        ...(maxBody !== undefined ? { maxBodyBytes: maxBody } : {}),
        corsOrigins: listOption(v, 'cors-origin'),
        ...(pages !== undefined && { pages }),
        headersTimeoutMs: 1000 * integerOption(v, 'headers-timeout', 1, 3600, 10),
        requestTimeoutMs: 1000 * integerOption(v, 'request-timeout', 1, 3600, 30),
        log,
        onError: (e) =>
          io.stderr(JSON.stringify({ time: new Date().toISOString(), error: e instanceof Error ? e.message : String(e) }) + '\n'),
      });
      const info = running.service.info();
      io.stdout(
        `serving election '${info.electionId}' (${info.phase}, ${info.entries} entries, head ${info.head})\n` +
          `ballot box: ${running.url}   admin (loopback, token in ${dir}/private/admin-token): ${running.adminUrl}\n` +
          `receipt key: ${info.receiptKey}\n` +
          (pages !== undefined ? `pages: ${running.url}/ (from ${pages.dir})\n` : 'pages: not served (--no-pages)\n'),
      );
      await new Promise<void>((resolve) => {
        const onSignal = (): void => {
          process.off('SIGTERM', onSignal);
          process.off('SIGINT', onSignal);
          resolve();
        };
        process.on('SIGTERM', onSignal);
        process.on('SIGINT', onSignal);
      });
      io.stdout('stopping: finishing the requests in flight\n');
      await running.stop();
      const end = running.service;
      io.stdout(`stopped: ${end.entries} entries, head ${end.head}\n`);
      return EXIT_OK;
    });
  },
};
