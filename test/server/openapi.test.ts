/**
 * docs/openapi.json describes the server as it is: it is a valid OpenAPI 3.1 document, it lists
 * exactly the routes the handler serves, every refusal status of a ballot is documented for
 * POST /ballots, and live answers of a running server (each route, success and refusal) have a
 * documented status and a body that validates against the documented schema.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { BALLOT_BOX_ROUTES, BALLOT_REFUSAL_STATUS } from '../../src/server/handler.js';
import { credentialFromCode } from '../../src/election/credential.js';
import { ristretto255 } from '../../src/group/ristretto255.js';
import { serveBallotBox, type RunningBallotBox } from '../../src/server/node-http.js';
import { electionFixture, type ElectionFixture } from './fixture.js';

const SPEC_PATH = fileURLToPath(new URL('../../docs/openapi.json', import.meta.url));
const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as any;
const tmp = mkdtempSync(join(tmpdir(), 'mjvote-openapi-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The schema a documented answer's body must fit (refs resolved by ajv against the components). */
function responseSchema(path: string, method: string, status: number, type: string): object | null {
  let r = spec.paths[path]?.[method]?.responses?.[String(status)];
  if (r === undefined) return null;
  if (r.$ref) r = spec.components.responses[r.$ref.split('/').pop()];
  const media = r.content?.[type];
  return media === undefined ? null : media.schema;
}

describe('docs/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const v = new Validator();
    const res = await v.validate(spec);
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(v.version).toBe('3.1');
  });

  it('lists exactly the routes the handler serves, and every refusal status of a ballot', () => {
    expect(Object.keys(spec.paths).sort()).toEqual([...BALLOT_BOX_ROUTES].sort());
    const documented = Object.keys(spec.paths['/ballots'].post.responses);
    for (const [code, status] of Object.entries(BALLOT_REFUSAL_STATUS))
      expect([code, documented.includes(String(status))]).toEqual([code, true]);
  });

  describe('live answers fit it', () => {
    let f: ElectionFixture;
    let srv: RunningBallotBox;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema({ $id: 'spec', components: spec.components });
    beforeAll(async () => {
      f = electionFixture(tmp, 'openapi', { voters: 4 });
      srv = await serveBallotBox(f.dir, { port: 0, checker: { workers: 0 }, maxBallotsPerCredential: 1 });
    });
    afterAll(async () => await srv?.stop());

    /** Checks one live answer against the document. */
    async function fits(path: string, method: string, res: Response): Promise<void> {
      const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
      const schema = responseSchema(path, method, res.status, type);
      expect(schema, `${method.toUpperCase()} ${path} → ${res.status} ${type} is not documented`).not.toBeNull();
      if (type !== 'application/json') return;
      const body = (await res.json()) as unknown;
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"spec#/components/')) as object;
      const validate = ajv.compile(rewritten);
      expect(validate(body) ? [] : validate.errors, `${method.toUpperCase()} ${path} → ${res.status}`).toEqual([]);
    }
    const post = (p: string, body: string, type = 'application/json') =>
      fetch(`${srv.url}${p}`, { method: 'POST', headers: { 'content-type': type }, body });

    it('for every route, successes and refusals', async () => {
      await fits('/election', 'get', await fetch(`${srv.url}/election`));
      const b = f.ballot(0, [0, 1, 2]);
      await fits('/ballots', 'post', await post('/ballots', b.text));
      await fits('/ballots', 'post', await post('/ballots', b.text)); // the retry, 200
      await fits('/ballots', 'post', await post('/ballots', f.ballot(0, [1, 1, 1]).text)); // 429
      await fits('/ballots', 'post', await post('/ballots', '{"x":')); // 400
      await fits('/ballots', 'post', await post('/ballots', '{}', 'text/plain')); // 415
      await fits('/ballots', 'post', await post('/ballots', 'x'.repeat(1 << 20))); // 413
      const a = f.audit(1, [2, 2, 2]);
      await fits('/audits', 'post', await post('/audits', a.text));
      await fits('/audits', 'post', await post('/audits', a.text)); // 409
      await fits('/ballots', 'post', await post('/ballots', a.ballotText)); // 409 audited
      await fits('/board', 'get', await fetch(`${srv.url}/board?from=1`));
      await fits('/board', 'get', await fetch(`${srv.url}/board?from=abc`));
      await fits('/board', 'get', await fetch(`${srv.url}/board?from=1000`));
      await fits('/tracking/{code}', 'get', await fetch(`${srv.url}/tracking/${b.trackingCode}`));
      await fits('/tracking/{code}', 'get', await fetch(`${srv.url}/tracking/${a.trackingCode}`));
      await fits('/tracking/{code}', 'get', await fetch(`${srv.url}/tracking/00000-00000-00000-00000-00000-00000`));
      await fits('/tracking/{code}', 'get', await fetch(`${srv.url}/tracking/nope`));
      const key = credentialFromCode(ristretto255, f.manifest.electionId, f.codes[0]!).publicKeyHex;
      await fits('/credentials/{key}', 'get', await fetch(`${srv.url}/credentials/${key}`));
      await fits('/credentials/{key}', 'get', await fetch(`${srv.url}/credentials/${'ab'.repeat(32)}`));
      await fits('/credentials/{key}', 'get', await fetch(`${srv.url}/credentials/NOPE`));
      await fits('/record/{file}', 'get', await fetch(`${srv.url}/record/result.json`)); // 404 before publishing
      await fits('/record.tar', 'get', await fetch(`${srv.url}/record.tar`)); // 404 before publishing
      await srv.service.close();
      await fits('/ballots', 'post', await post('/ballots', f.ballot(2, [0, 0, 0]).text)); // 410
    });
  });
});
