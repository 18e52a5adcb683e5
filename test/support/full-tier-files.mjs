// The test files CI's full step runs with AGENTAPI_KIT_FULL_MATRIX=1 (test/support/tier.ts says
// what the tiers are). Plain JavaScript so `.ci/run` can print it with node alone:
// `node test/support/full-tier-files.mjs` writes the paths, space-separated.
export const FULL_TIER_FILES = Object.freeze([
  'test/e2e/shutdown-matrix.test.ts',
  'test/start/start-matrix.test.ts',
  'test/start/boundary.test.ts',
  'test/start/download.test.ts',
  'test/shutdown/payload-huge.test.ts',
  'test/shutdown/payload-property.test.ts',
  'test/shutdown/payload-window.test.ts',
  'test/generate/quote.test.ts',
]);

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${FULL_TIER_FILES.join(' ')}\n`);
