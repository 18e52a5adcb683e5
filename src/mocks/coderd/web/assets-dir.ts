import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the page's files sit inside the package (src/ ships in it). */
const ASSETS_PATH = ['src', 'mocks', 'coderd', 'web', 'assets'] as const;
const PACKAGE_NAME = 'agentapi-kit';

/**
 * The task page's asset directory, found from agentapi-kit's package root rather than beside this
 * file: this code also runs bundled (the CLI in dist/cli/) and compiled (the library in dist/lib/),
 * where no assets/ sits next to it. The root is the nearest directory above `from` holding a
 * package.json named agentapi-kit; without one, the directory beside `from` (the sources' layout).
 */
export function webAssetsDir(from: string = import.meta.url): string {
  const start = dirname(fileURLToPath(from));
  for (let dir = start; ; dir = dirname(dir)) {
    if (isPackageRoot(dir)) return join(dir, ...ASSETS_PATH);
    if (dirname(dir) === dir) return join(start, 'assets');
  }
}

function isPackageRoot(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
