import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyRecord } from '../../src/verify/verify-record.js';
import { allFailures, copyRecord, removeCopies } from './helpers.js';

afterAll(removeCopies);

describe('record files that say two things at once', () => {
  it('a duplicate key in result.json (JSON.parse would keep the last value) fails verification, named', async () => {
    const dir = copyRecord('test/fixtures/golden-record-v1');
    const text = readFileSync(join(dir, 'result.json'), 'utf8');
    writeFileSync(join(dir, 'result.json'), text.replace('{', '{\n "ballots": 999999,'));
    const r = await verifyRecord(dir, { workers: 1 });
    expect(r.ok).toBe(false);
    expect(allFailures(r)).toMatch(/result\.json.*duplicate key/s);
  });
});
