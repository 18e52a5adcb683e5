// The compiled CLI in dist/cli/ and whether it still matches the sources it was built from.
// Plain JavaScript: this runs before any TypeScript loader exists.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Two levels below the package root, like src/cli/, so `import.meta.url`-relative paths still resolve. */
export const DIST_DIR = join(PACKAGE_ROOT, 'dist', 'cli');

/** One digest over the given source files (paths relative to the package root) and their bytes. */
export function digestSources(paths, root = PACKAGE_ROOT) {
  const hash = createHash('sha256');
  for (const path of [...paths].sort()) {
    hash.update(`${path}\0`);
    hash.update(readFileSync(join(root, path)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The URL of dist's entry (`<root>/dist/cli/main.js`) when it was built from exactly the sources present
 * under `root` now (paths and bytes listed in its inputs.json); undefined when
 * it is missing, unreadable or stale (a source edited, added to the import graph, or deleted).
 */
export function freshDistEntry(root = PACKAGE_ROOT) {
  if (process.env.AGENTAPI_KIT_NO_DIST === '1') return undefined;
  const distDir = join(root, 'dist', 'cli');
  try {
    const { inputs, digest } = JSON.parse(readFileSync(join(distDir, 'inputs.json'), 'utf8'));
    return digestSources(inputs, root) === digest ? pathToFileURL(join(distDir, 'main.js')).href : undefined;
  } catch {
    return undefined;
  }
}
