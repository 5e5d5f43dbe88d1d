/** A small election set up in memory for ballot-box tests: manifest, ceremony, credentials. */
import { ristretto255 } from '../../src/group/ristretto255.js';
import { createElection } from '../../src/election/election.js';
import { createCredentialList, generateCredential } from '../../src/election/credential.js';
import { demoManifest, runCeremony } from '../../src/demo/simulate.js';

export function smallElection(o: { voters: number; candidates: number; grades: number; n?: number; t?: number; electionId?: string }) {
  const manifest = demoManifest({
    candidates: o.candidates,
    grades: o.grades,
    trustees: o.n ?? 2,
    threshold: o.t ?? 1,
    electionId: o.electionId,
  });
  const { transcript, keys } = runCeremony(ristretto255, manifest.electionId, o.n ?? 2, o.t ?? 1);
  const election = createElection(manifest, {
    coefficientCommitments: transcript.result.qualified.map((i) => transcript.reveals.find((r) => r.trustee === i)!.coefficientCommitments),
    jointPublicKey: transcript.result.jointPublicKey,
  });
  const creds = Array.from({ length: o.voters }, () => generateCredential(ristretto255, manifest.electionId));
  const list = createCredentialList(
    ristretto255,
    manifest.electionId,
    creds.map((c) => c.publicKey),
  );
  return { manifest, transcript, keys, election, creds, list };
}
