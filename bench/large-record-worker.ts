/**
 * Worker of the large-record generator: encrypts and proves ballots for a chunk of voters.
 * Receives the election parameters (JSON) once, then chunks of {codes, grades}; answers with
 * the ballots' wire forms and what the ballot box would otherwise learn by parsing them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { parseElection } from '../src/election/election.js';
import { credentialFromCode } from '../src/election/credential.js';
import { encryptBallot } from '../src/ballot/encrypt.js';
import { ballotReplayKey } from '../src/ballot/hash.js';
import { ballotToJson } from '../src/ballot/json.js';
import { ristretto255With, type Ristretto255Backend } from '../src/group/ristretto255.js';

const { electionJson, backend } = workerData as { electionJson: unknown; backend: Ristretto255Backend };
const group = ristretto255With(backend);
const election = parseElection(electionJson, { group });

parentPort!.on('message', (chunk: { id: number; codes: string[]; grades: number[][] }) => {
  const items = chunk.codes.map((code, i) => {
    const cred = credentialFromCode(group, election.manifest.electionId, code);
    const ballot = encryptBallot(election, cred, chunk.grades[i]!).cast();
    return {
      json: ballotToJson(ballot),
      hashHex: ballot.hashHex,
      credentialHex: ballot.credentialHex,
      replayKeyHex: ballotReplayKey(ballot),
    };
  });
  parentPort!.postMessage({ id: chunk.id, items });
});
