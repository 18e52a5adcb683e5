import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The installed-tarball test packs and installs the package (minutes, network): its own step,
    // `npm run test:package` (vitest.package.config.ts).
    exclude: ['test/package/**', '**/node_modules/**'],
    // test/support/setup/build-dist.ts builds a fresh dist/ when the sources changed and makes the bin refuse
    // to run without one (tests of the CLI run what users run); test/support/setup/modules-up-to-date.ts fails the run
    // at once when modules/ drifted from templates/ (tests never see stale output);
    // test/support/setup/tmpdir.ts gives the run its own TMPDIR, removed at the end, and warns about what
    // tests left in it.
    globalSetup: ['test/support/setup/build-dist.ts', 'test/support/setup/modules-up-to-date.ts', 'test/support/setup/tmpdir.ts'],
    // Tests spawn real shells and servers; a generous ceiling keeps a slow CI machine from flaking.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most of a test's time is spent waiting on the shells and servers it starts, so two files at a
    // time keep even a 2-core machine busy (vitest's default there is one). Files share their
    // worker process (isolate: false), which saved a second per file of set-up (80 files): a file
    // must restore what it changes (process.env, spies) and close what it opens.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    isolate: false,
    // Scenarios use fresh ports and task IDs, so a terraform apply per run would cost minutes
    // (toggles.test.ts: 40 s -> 170 s here): the suite runs the evaluator, which
    // test/harness/terraform-bodies.test.ts holds byte-identical to Terraform.
    // AGENTAPI_KIT_SCRIPT_BODIES=terraform runs everything through Terraform.
    env: { AGENTAPI_KIT_SCRIPT_BODIES: process.env.AGENTAPI_KIT_SCRIPT_BODIES ?? 'evaluator' },
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
