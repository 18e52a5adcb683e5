/** test/support/skip-reasons.mjs: every skipped test names what it needs, in vitest reports and bats logs. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batsSkips, toolCounts, vitestSkips } from '../support/skip-reasons.mjs';

const SCRIPT = resolve(import.meta.dirname, '../support/skip-reasons.mjs');

const report = (tests: Array<{ ancestorTitles: string[]; title: string; status: string }>) => ({ testResults: [{ assertionResults: tests }] });

describe('skip-reasons.mjs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-skip-reasons-'));
    await writeFile(
      join(dir, 'ok.json'),
      JSON.stringify(
        report([
          { ancestorTitles: ['start script under zsh (needs zsh, curl)'], title: 'installs AgentAPI', status: 'skipped' },
          { ancestorTitles: [], title: 'shell posh: posh is not installed', status: 'skipped' },
          { ancestorTitles: ['demo'], title: 'runs from the CLI', status: 'passed' },
        ]),
      ),
    );
    await writeFile(join(dir, 'silent.json'), JSON.stringify(report([{ ancestorTitles: ['demo'], title: 'runs from the CLI', status: 'skipped' }])));
    await writeFile(join(dir, 'bats.tap'), "1..3\nok 1 a\nok 2 b (needs jq) # skip needs jq\nok 3 c # skip\n");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (...files: string[]) => spawnSync(process.execPath, [SCRIPT, ...files.map((file) => join(dir, file))], { encoding: 'utf8' });

  it('reads the skipped tests of a vitest report with their describe blocks, and which name a need', () => {
    const skips = vitestSkips(report([
      { ancestorTitles: ['boundary cases (needs dash, curl)'], title: 'a case', status: 'skipped' },
      { ancestorTitles: ['demo'], title: 'runs', status: 'skipped' },
      { ancestorTitles: [], title: 'passes', status: 'passed' },
    ]));
    expect(skips).toEqual([
      { name: 'boundary cases (needs dash, curl) > a case', reason: 'boundary cases (needs dash, curl) > a case' },
      { name: 'demo > runs', reason: undefined },
    ]);
  });

  it('reads bats skips: a bare `# skip` gives no reason', () => {
    expect(batsSkips("ok 1 a\nok 2 b # skip needs jq\nok 3 c # skip\nnot ok 4 d\n")).toEqual([
      { name: 'b', reason: 'needs jq' },
      { name: 'c', reason: undefined },
    ]);
  });

  it('counts the tools the reasons name', () => {
    expect(toolCounts([{ reason: 'x (needs dash, curl)' }, { reason: 'needs curl or wget' }, { reason: 'shell posh: posh is not installed' }, { reason: 'y (needs bash as the login shell)' }, { reason: 'z (strace is not installed)' }, { reason: undefined }])).toEqual([
      ['curl', 2],
      ['bash', 1],
      ['dash', 1],
      ['posh', 1],
      ['strace', 1],
      ['wget', 1],
    ]);
  });

  it('exits 0 with a count when every skipped test names its need', () => {
    const result = run('ok.json');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('2 skipped, 0 without a reason; needs: curl 1, posh 1, zsh 1\n');
  });

  it('exits 1 and names each skipped test that gives no reason, from vitest and bats alike', () => {
    const result = run('ok.json', 'silent.json', 'bats.tap');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('skipped without naming what it needs: demo > runs from the CLI\n');
    expect(result.stdout).toContain('skipped without naming what it needs: c\n');
    expect(result.stdout).toContain('5 skipped, 2 without a reason');
  });

  it('exits 2 with one Error line for a missing report', () => {
    const result = run('gone.json');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Error: cannot read \S+gone\.json: ENOENT[^\n]*\n$/);
  });
});
