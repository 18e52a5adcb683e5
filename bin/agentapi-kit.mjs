#!/usr/bin/env node
// Runs dist/cli/ (compiled by `npm ci` through the `prepare` script) when it matches the sources,
// else the TypeScript sources through tsx: an edit never runs stale code, and no build is required.
// With AGENTAPI_KIT_REQUIRE_DIST=1 (the test suite sets it) there is no fallback: a stale or missing
// dist/cli/ is an error, so a test of the CLI never passes on the sources alone.
import { freshDistEntry, REQUIRE_DIST_ENV } from './dist.mjs';

async function loadMain() {
  const entry = freshDistEntry();
  if (entry !== undefined) return (await import(entry)).main;
  if (process.env[REQUIRE_DIST_ENV] === '1') {
    process.stderr.write(`Error: dist/cli/ is missing or older than the sources, and ${REQUIRE_DIST_ENV}=1 forbids running the sources through tsx; run \`npm run build\`.\n`);
    return () => 1;
  }
  const { register } = await import('tsx/esm/api');
  register();
  return (await import('../src/cli/main.ts')).main;
}

const main = await loadMain();
process.exitCode = await main(process.argv);
