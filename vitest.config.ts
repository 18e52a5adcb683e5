import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
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
