/**
 * An election directory for the server's tests: a small election (3 candidates × 3 grades by
 * default) opened with a real ceremony and registered voters whose codes the test keeps, with
 * helpers that make ballots, audits and the trustees' share files.
 */
import { join } from 'node:path';
import { parseManifest, type Manifest } from '../../src/election/manifest.js';
import { generateTrusteeIdentity } from '../../src/election/trustee-identity.js';
import { credentialFromCode, credentialListToJson } from '../../src/election/credential.js';
import { ceremonyParamsForManifest } from '../../src/ceremony/params.js';
import { runTrusteeCeremony } from '../../src/demo/simulate.js';
import type { TrusteeKey } from '../../src/ceremony/trustee-key.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { castBallot, encryptBallot } from '../../src/ballot/encrypt.js';
import { ballotToJson } from '../../src/ballot/json.js';
import { openingToJson } from '../../src/ballot/opening.js';
import { decryptionShares } from '../../src/decrypt/shares.js';
import { decryptionShareFileToJson } from '../../src/decrypt/share-file.js';
import { flattenTally, tallyDecryptionContext } from '../../src/decrypt/tally.js';
import { parseEncryptedTally } from '../../src/tally/aggregate.js';
import { canonicalSha256 } from '../../src/json/canonical.js';
import { openElection, readElectionDirectory, type ElectionDirectory } from '../../src/authority/election-directory.js';
import { numberedVoters, registerVoters } from '../../src/authority/register.js';
import { readFileSync } from 'node:fs';

const g = ristretto255;

/** A ready election directory and what the test needs to vote in it and to decrypt it. */
export interface ElectionFixture {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly d: ElectionDirectory<unknown>;
  /** Voter k's credential code. */
  readonly codes: readonly string[];
  readonly keys: Map<number, TrusteeKey<unknown>>;
  /** A cast ballot of voter k with these grades (indices), as the JSON text a booth posts. */
  ballot(k: number, grades: readonly number[]): { text: string; trackingCode: string; hash: string };
  /** An audit of voter k (`{ballot, opening}` text) and the audited ballot's own text. */
  audit(k: number, grades: readonly number[]): { text: string; ballotText: string; trackingCode: string };
  /** The share files of trustees `js` for the tally on the board (from tally.json). */
  shareFiles(js: readonly number[], boardHead: string): { name: string; json: unknown }[];
}

/** Makes an election directory `root/name` with `voters` registered voters. */
export function electionFixture(
  root: string,
  name: string,
  opts: { voters?: number; candidates?: number; grades?: number; languages?: boolean } = {},
): ElectionFixture {
  const M = opts.candidates ?? 3;
  const K = opts.grades ?? 3;
  const identities = [generateTrusteeIdentity(), generateTrusteeIdentity(), generateTrusteeIdentity()];
  const manifest = parseManifest({
    version: 2,
    electionId: `server-${name}`,
    title: 'Élection du serveur',
    candidates: Array.from({ length: M }, (_, j) => ({ id: `c${j + 1}`, name: `Candidate ${j + 1}` })),
    grades: ['Très bien', 'Bien', 'Assez bien', 'Passable', 'Insuffisant', 'À rejeter'].slice(0, K),
    group: 'ristretto255',
    trustees: { n: 3, t: 2, identities: identities.map((x) => x.publicKeyHex) },
    // With languages: the labels are French, with an English translation (the pages' tests).
    ...(opts.languages && {
      language: 'fr',
      translations: {
        en: {
          title: 'Server election',
          candidates: Array.from({ length: M }, (_, j) => `Candidate ${j + 1} (en)`),
          grades: ['Very good', 'Good', 'Fairly good', 'Passable', 'Poor', 'To reject'].slice(0, K),
        },
      },
    }),
  });
  const { transcript, keys } = runTrusteeCeremony(ceremonyParamsForManifest(g, manifest), identities);
  const reg = registerVoters(g, manifest, numberedVoters(opts.voters ?? 12));
  const dir = join(root, name);
  openElection(dir, {
    manifest,
    ceremony: JSON.parse(JSON.stringify(transcript.toJson())),
    credentials: credentialListToJson(reg.list),
  });
  const d = readElectionDirectory(dir);
  const codes = reg.deliveries.map((x) => x.code);
  const cred = (k: number) => credentialFromCode(g, manifest.electionId, codes[k]!);
  return {
    dir,
    manifest,
    d,
    codes,
    keys: keys as Map<number, TrusteeKey<unknown>>,
    ballot(k, grades) {
      const b = castBallot(encryptBallot(d.election, cred(k), [...grades]));
      return { text: JSON.stringify(ballotToJson(b)), trackingCode: b.trackingCode, hash: b.hashHex };
    },
    audit(k, grades) {
      const h = encryptBallot(d.election, cred(k), [...grades]);
      const opening = openingToJson(d.election, h.audit());
      return {
        text: JSON.stringify({ ballot: ballotToJson(h.ballot), opening }),
        ballotText: JSON.stringify(ballotToJson(h.ballot)),
        trackingCode: h.trackingCode,
      };
    },
    shareFiles(js, boardHead) {
      const tallyJson = JSON.parse(readFileSync(join(dir, 'tally.json'), 'utf8')) as unknown;
      const tally = parseEncryptedTally(d.group, tallyJson, M, K, 'tally.json');
      return js.map((j) => ({
        name: `share-${j}.json`,
        json: JSON.parse(
          JSON.stringify(
            decryptionShareFileToJson(
              d.transcript.params,
              {
                electionId: manifest.electionId,
                fingerprintHex: d.election.fingerprintHex,
                tallySha256: canonicalSha256(tallyJson),
                boardHead,
              },
              decryptionShares(d.group, keys.get(j)!, flattenTally(tally), tallyDecryptionContext(d.election)),
            ),
          ),
        ) as unknown,
      }));
    },
  };
}
