/**
 * `mjvote trustee identity` and `mjvote trustee fingerprint`: a trustee's long-term identity (the
 * Ed25519 key pair whose public key the manifest lists, and which signs every message the
 * trustee publishes), made once; and the fingerprints people compare, read from identity files
 * or a manifest without any passphrase. The file formats are `ceremony/identity-file.ts`
 * (docs/trustees.md §1.1, §1.2 and §3). Node-only.
 * @module
 */
import { FormatError } from '../errors.js';
import { TamperedStateError, WrongPassphraseError } from '../ceremony/errors.js';
import { generateTrusteeIdentity, type TrusteeIdentity } from '../election/trustee-identity.js';
import { parseManifest } from '../election/manifest.js';
import {
  exportTrusteeIdentity,
  importTrusteeIdentity,
  isTrusteeIdentityFile,
  parseTrusteeIdentityPublic,
  trusteeIdentityPublicJson,
  type TrusteeIdentityPublic,
} from '../ceremony/identity-file.js';
import { EXIT_OK, parseJsonInput, readTextInput, UsageError, type CliIo } from './command.js';
import { assertAbsent, commitStep } from './trustee-files.js';
import {
  manifestCeremonyParams,
  manifestSha256,
  optionalString,
  reporter,
  trusteeFingerprint,
  type TrusteeSub,
} from './trustee-options.js';
import { kdfChoice, readPassphrase, type TrusteeIo } from './trustee-state.js';

/**
 * Reads the public part of an identity file (secret or public), without a passphrase.
 * @throws UsageError for an unreadable or malformed file, naming it.
 */
export async function readIdentityPublic(path: string, io: CliIo): Promise<TrusteeIdentityPublic> {
  const json = parseJsonInput(await readTextInput(path, io), path);
  try {
    return parseTrusteeIdentityPublic(json);
  } catch (e) {
    if (e instanceof FormatError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

/**
 * Asks for an identity file's passphrase (`passphraseFile`, else the environment, else a prompt)
 * and decrypts it.
 * @throws UsageError for a wrong passphrase, an altered, malformed or public-only file.
 */
export async function unlockIdentity(path: string, passphraseFile: string | undefined, io: TrusteeIo): Promise<TrusteeIdentity> {
  const json = parseJsonInput(await readTextInput(path, io), path);
  const passphrase = await readPassphrase({ file: passphraseFile, create: false, what: `the identity file ${path}` }, io);
  try {
    return importTrusteeIdentity(json, passphrase, kdfChoice(io).import);
  } catch (e) {
    if (e instanceof WrongPassphraseError) throw new UsageError(`${path}: wrong passphrase (or the file's kdf header was altered)`);
    if (e instanceof TamperedStateError || e instanceof FormatError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

/** The default name of the public file of an identity file: `x.json` → `x.pub.json`. */
function publicFileName(out: string): string {
  return out.endsWith('.json') ? `${out.slice(0, -'.json'.length)}.pub.json` : `${out}.pub.json`;
}

export const identitySub: TrusteeSub = {
  name: 'identity',
  summary: "make this trustee's identity (once): a secret identity file and a public one",
  usage: `Usage: mjvote trustee identity [--out identity.json] [--public-out identity.pub.json]
                               [--passphrase-file F]

Makes a trustee's long-term identity, once, before any election: an Ed25519 key pair whose
public key the election manifest lists for this trustee, and which signs every message the
trustee publishes, so that no one else (not the platform that relays the messages) can speak
for it. Writes two NEW files (never replaces one):
  --out          the identity file (default identity.json): the secret key, encrypted under a
                 passphrase. Keep it, with its passphrase, for every election you are a
                 trustee of; \`mjvote trustee init --identity\` reads it.
  --public-out   the public identity file (default: the --out name with .pub.json): send it to
                 the election organiser, who lists its key in the manifest.
Prints the identity's fingerprint: read it to the organiser and the other trustees (by phone,
in person), who compare it with the one the manifest lists for you.
Passphrase: --passphrase-file FILE (its first line), else the environment variable
MJVOTE_PASSPHRASE, else a prompt on the terminal (no echo, asked twice). At least 12
characters, hard to guess (a few random words are best).
`,
  options: { out: { type: 'string' }, 'public-out': { type: 'string' }, 'passphrase-file': { type: 'string' } },
  async run(v, io) {
    const out = optionalString(v, 'out') ?? 'identity.json';
    if (out === '-') throw new UsageError('--out: the identity file holds a secret key: give a file name, not standard output');
    const publicOut = optionalString(v, 'public-out') ?? publicFileName(out);
    if (publicOut === out) throw new UsageError('--out and --public-out must be two different files');
    assertAbsent(out, 'an identity file holds a secret key: this command never replaces one');
    assertAbsent(publicOut, 'output');
    const kdf = kdfChoice(io);
    const passphrase = await readPassphrase(
      { file: optionalString(v, 'passphrase-file'), create: true, what: `the new identity file ${out}` },
      io,
    );
    const identity = generateTrusteeIdentity();
    if (kdf.testOnly)
      io.stderr(
        `mjvote trustee: warning: MJVOTE_TEST_ONLY_SCRYPT_LOG_N is set: identity file written with scrypt cost 2^${kdf.export.logN} (for tests only)\n`,
      );
    // The secret file goes through the state channel of commitStep: mode 600, linked into place last.
    commitStep(io, [{ path: publicOut, value: trusteeIdentityPublicJson(identity) }], {
      path: out,
      value: exportTrusteeIdentity(identity, passphrase, kdf.export),
      create: true,
    });
    const say = reporter(io, publicOut);
    say(`identity:    ${out} (secret: keep it and its passphrase; it signs everything you publish as a trustee)`);
    say(`public file: ${publicOut === '-' ? 'standard output' : publicOut} (send it to the election organiser)`);
    say(`public key:  ${identity.publicKeyHex}`);
    say(`fingerprint: ${identity.fingerprint}`);
    say(
      'next: read the fingerprint to the organiser and the other trustees (by phone, in person); before the ceremony, each compares it with the one the manifest lists for you (`mjvote trustee fingerprint manifest.json`)',
    );
    return EXIT_OK;
  },
};

export const fingerprintSub: TrusteeSub = {
  name: 'fingerprint',
  summary: 'show the identity fingerprints of identity files or of a manifest (no passphrase)',
  usage: `Usage: mjvote trustee fingerprint FILE...

Prints the identity fingerprint (and public key) of each FILE, without any passphrase: an
identity file, a public identity file, or a manifest (then the fingerprint of every trustee
it lists, by index). Compare them with the trustees themselves, by phone or in person, before
the ceremony: a fingerprint that differs is a key that is not theirs.
`,
  options: {},
  positionals: 'FILE',
  async run(_v, io, files) {
    if (files.length === 0) throw new UsageError('give at least one identity file or manifest (see mjvote trustee fingerprint --help)');
    for (const file of files) {
      const json = parseJsonInput(await readTextInput(file, io), file);
      if (isTrusteeIdentityFile(json)) {
        const id = await readIdentityPublic(file, io);
        io.stdout(
          `${file}: ${id.kind === 'secret' ? 'identity file' : 'public identity file'}\n  fingerprint: ${id.fingerprint}\n  public key:  ${id.publicKeyHex}\n`,
        );
        continue;
      }
      let manifest;
      try {
        manifest = parseManifest(json);
      } catch (e) {
        if (e instanceof FormatError)
          throw new UsageError(`${file}: neither an identity file nor a manifest (as a manifest: ${e.message})`);
        throw e;
      }
      const params = manifestCeremonyParams(manifest, file);
      io.stdout(
        `${file}: manifest of election '${manifest.electionId}' (version ${manifest.version}, sha256 ${manifestSha256(manifest)})\n`,
      );
      if (params.identities === undefined) {
        io.stdout('  lists no trustee identities (a version-1 manifest): nothing authenticates its trustees\n');
        continue;
      }
      manifest.trustees.identities!.forEach((hex, j) =>
        io.stdout(`  trustee ${j + 1}: ${trusteeFingerprint(params, j + 1)}  (public key ${hex})\n`),
      );
    }
    return EXIT_OK;
  },
};
