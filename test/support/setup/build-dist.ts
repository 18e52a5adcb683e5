/**
 * vitest globalSetup, first of all: every test that starts the CLI as a process runs it the way users
 * get it, `bin/agentapi-kit.mjs` on a fresh `dist/`. It builds dist/ (`npm run build`) when any part is
 * missing or older than the sources, then sets AGENTAPI_KIT_REQUIRE_DIST=1 for the run (workers and
 * the processes they start inherit it), so the bin fails instead of falling back to tsx.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { REQUIRE_DIST_ENV, staleDistParts } from '../../../bin/dist.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');

export default function buildFreshDist(): () => void {
  const stale = staleDistParts(ROOT);
  if (stale.length > 0) {
    const build = spawnSync(process.execPath, [resolve(ROOT, 'bin/build-dist.mjs')], { cwd: ROOT, encoding: 'utf8' });
    const still = staleDistParts(ROOT);
    if (build.status !== 0 || still.length > 0) {
      throw new Error(`could not build ${stale.join(' and ')} for the tests (node bin/build-dist.mjs exit ${build.status}; still stale: ${still.join(', ') || 'none'}):\n${build.stdout}${build.stderr}`);
    }
  }
  const previous = process.env[REQUIRE_DIST_ENV];
  process.env[REQUIRE_DIST_ENV] = '1';
  return () => {
    if (previous === undefined) delete process.env[REQUIRE_DIST_ENV];
    else process.env[REQUIRE_DIST_ENV] = previous;
  };
}
