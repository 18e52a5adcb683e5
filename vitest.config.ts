import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/global-setup.ts fails the run at once when modules/ drifted from templates/ (tests never
    // see stale output); test/setup/tmpdir.ts gives the run its own TMPDIR, removed at the end, and
    // warns about what tests left in it.
    globalSetup: ['test/global-setup.ts', 'test/setup/tmpdir.ts'],
    // Tests spawn real shells and servers; a generous ceiling keeps a slow CI machine from flaking.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The harness renders coder_script bodies with terraform when it is on PATH; scenarios use fresh
    // ports and task IDs, so each would cost a terraform apply (toggles.test.ts: 40 s -> 170 s here).
    // The suite uses the evaluator unless told otherwise; test/harness/terraform-bodies.test.ts
    // proves the two byte-identical. AGENTAPI_KIT_SCRIPT_BODIES=terraform runs everything through it.
    env: { AGENTAPI_KIT_SCRIPT_BODIES: process.env.AGENTAPI_KIT_SCRIPT_BODIES ?? 'evaluator' },
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
