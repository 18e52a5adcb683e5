import { defineConfig } from 'vitest/config';

// `npm run test:package`: the packed tarball installed into an empty project outside the repository,
// then every command the README documents run from there (test/package/). Its own CI step: packing
// and installing take longer than `npm test` can spare, and it needs the npm registry.
export default defineConfig({
  test: {
    include: ['test/package/**/*.test.ts'],
    globalSetup: ['test/support/setup/install-tarball.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: '.test-results/vitest-package.json' },
  },
});
