import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';

// The README's TypeScript example is examples/quickstart.ts, verbatim, and it runs.
describe('README', () => {
  it('embeds examples/quickstart.ts verbatim', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = readFileSync('examples/quickstart.ts', 'utf8');
    expect(readme).toContain('```ts\n' + example + '```');
  });

  it('the quickstart runs and prints what the README says', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
    await import('../examples/quickstart.js');
    spy.mockRestore();
    expect(lines).toEqual(['proofs valid: true ', '"Très bien" votes: 2', '1. Ada: Très bien\n2. Alan: Bien-']);
  });

  it('names the two commands for a fresh clone, and they exist', () => {
    const readme = readFileSync('README.md', 'utf8');
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(readme).toContain('npm ci && npm run demo');
    expect(readme).toContain('npm ci && npm test');
    expect(pkg.scripts.demo).toMatch(/demo/);
    expect(readFileSync('.ci/run', 'utf8')).toContain('npm test');
  });
});
