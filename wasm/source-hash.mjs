// The hash that ties src/wasm/module.generated.ts to the sources it was compiled from.
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** Folder of the AssemblyScript sources. */
export const SOURCE_DIR = join(here, 'assembly');

/** The compiler flags: part of the source hash, so changing them marks the embed stale. */
export const FLAGS = ['-O3', '--converge', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--initialMemory', '2'];

/** The installed AssemblyScript compiler's version. */
export function ascVersion() {
  return JSON.parse(readFileSync(join(here, '..', 'node_modules', 'assemblyscript', 'package.json'), 'utf8')).version;
}

/** sha256 over the compiler version, its flags and the AssemblyScript sources (sorted by name). */
export function sourceHash() {
  const h = createHash('sha256');
  h.update(`asc ${ascVersion()}\n${FLAGS.join(' ')}\n`);
  for (const f of readdirSync(SOURCE_DIR)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    h.update(`${f}\n`);
    h.update(readFileSync(join(SOURCE_DIR, f)));
  }
  return h.digest('hex');
}
