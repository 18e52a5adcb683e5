/** .ci/summary.mjs: one `N passed, N failed, N skipped` line over every vitest report and bats log. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SUMMARY = resolve(import.meta.dirname, '../../.ci/summary.mjs');

describe('.ci/summary.mjs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-summary-'));
    await writeFile(join(dir, 'unit.json'), JSON.stringify({ numPassedTests: 10, numFailedTests: 1, numPendingTests: 2, numTodoTests: 0 }));
    await writeFile(join(dir, 'matrix.json'), JSON.stringify({ numPassedTests: 100, numFailedTests: 0, numPendingTests: 1 }));
    await writeFile(join(dir, 'npm-test.log'), 'ok 1 a\nok 2 b # skip no tool\nnot ok 3 c\nsomething else\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const summary = (...files: string[]) => spawnSync(process.execPath, [SUMMARY, ...files.map((file) => join(dir, file))], { encoding: 'utf8' }).stdout;

  it('adds up both vitest reports (npm test and the full matrix step) and the bats lines', () => {
    expect(summary('unit.json', 'matrix.json', 'npm-test.log')).toBe('111 passed, 2 failed, 4 skipped\n');
  });

  it('counts a missing report as a failure, so a step that died never reads as green', () => {
    const out = summary('unit.json', 'gone.json');
    expect(out).toContain('(no vitest report');
    expect(out.trim().split('\n').at(-1)).toBe('10 passed, 2 failed, 2 skipped');
  });
});
