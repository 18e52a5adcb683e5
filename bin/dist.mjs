// The compiled parts of dist/ and whether they still match the sources they were built from:
// dist/cli/ (the CLI) and dist/lib/ (the library entry points of package.json "exports").
// Plain JavaScript: this runs before any TypeScript loader exists.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Two levels below the package root, like src/cli/, so `import.meta.url`-relative paths still resolve. */
export const DIST_DIR = join(PACKAGE_ROOT, 'dist', 'cli');
export const LIB_DIR = join(PACKAGE_ROOT, 'dist', 'lib');
/** Set to 1, the bin refuses to fall back to the sources: tests of the CLI run what users run. */
export const REQUIRE_DIST_ENV = 'AGENTAPI_KIT_REQUIRE_DIST';

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

/** True when `<dir>/inputs.json` lists sources (under `root`) whose digest is still the recorded one. */
function builtFromCurrentSources(dir, root) {
  try {
    const { inputs, digest } = JSON.parse(readFileSync(join(dir, 'inputs.json'), 'utf8'));
    return digestSources(inputs, root) === digest;
  } catch {
    return false;
  }
}

/**
 * The URL of dist's entry (`<root>/dist/cli/main.js`) when it was built from exactly the sources present
 * under `root` now (paths and bytes listed in its inputs.json); undefined when
 * it is missing, unreadable or stale (a source edited, added to the import graph, or deleted).
 */
export function freshDistEntry(root = PACKAGE_ROOT) {
  if (process.env.AGENTAPI_KIT_NO_DIST === '1') return undefined;
  const distDir = join(root, 'dist', 'cli');
  return builtFromCurrentSources(distDir, root) ? pathToFileURL(join(distDir, 'main.js')).href : undefined;
}

/** The parts of dist/ under `root` that are missing or older than their sources: [] when all are fresh. */
export function staleDistParts(root = PACKAGE_ROOT) {
  return ['cli', 'lib'].filter((part) => !builtFromCurrentSources(join(root, 'dist', part), root)).map((part) => `dist/${part}/`);
}
