// CI's full step runs FULL_TIER_FILES (.ci/run prints them with node); the list must be exactly
// the test files whose tests change with the tier, so none is left out of the full step.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FULL_TIER_FILES } from '../support/tier.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** What a tiered file reads from test/support/tier.ts, or the tier's own environment variable. */
const TIERED = /\b(?:propertyRuns|tieredIt|runsUnder)\(|\bFULL\b(?!_)|AGENTAPI_KIT_FULL_MATRIX/;

async function testFiles(): Promise<string[]> {
  const entries = await readdir(join(ROOT, 'test'), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts')).map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

describe('the full tier list', () => {
  it('names exactly the test files that change with the tier', async () => {
    const tiered: string[] = [];
    for (const file of await testFiles()) {
      if (file === 'test/ci/full-tier.test.ts') continue;
      if (TIERED.test(await readFile(join(ROOT, file), 'utf8'))) tiered.push(file);
    }
    expect([...FULL_TIER_FILES].sort()).toEqual(tiered.sort());
  });

  it('is what .ci/run hands to the full step', async () => {
    const run = await readFile(join(ROOT, '.ci/run'), 'utf8');
    expect(run).toContain('$(node test/support/full-tier-files.mjs)');
  });
});
