import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn real shells and servers; a generous ceiling keeps a slow CI machine from flaking.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A TMPDIR per run, removed at the end; warns about what tests left in it (test/setup/tmpdir.ts).
    globalSetup: ['test/setup/tmpdir.ts'],
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-results/vitest.json' },
  },
});
