/**
 * What conformance writes for people and CI: a table that fits a terminal, a JSON summary (the full
 * per-run JSON behind --json-full) and a JUnit XML report, through the CLI as a process on a small
 * matrix (one script that passes one scenario and fails another, and a scenario that cannot apply).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/conformance/conformance.ts';
import { formatJson } from '../../src/conformance/report-json.ts';
import { formatJunit } from '../../src/conformance/report-junit.ts';
import { formatTable } from '../../src/conformance/report-table.ts';
import type { ScenarioResult } from '../../src/conformance/scenario-types.ts';
import { SCENARIOS } from '../../src/conformance/scenarios.ts';
import { SHELLS } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { runCli } from '../support/cli.ts';

const root = resolve(import.meta.dirname, '../..');
const fixtures = join(import.meta.dirname, 'fixtures');
/** minimal-ok.sh passes snapshot-disabled and fails happy-path; task-id-variable does not apply to modules/agentapi. */
const MATRIX = ['--script', join(fixtures, 'minimal-ok.sh'), '--module', join(root, 'modules/agentapi'), '--shells', 'dash', '--toolboxes', 'full', '--scenarios', 'off,ok,var'];

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name), htmlEntities: true });

interface JunitCase {
  name: string;
  classname: string;
  time: string;
  failure?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
}
interface Junit {
  testsuites: { name: string; tests: string; failures: string; skipped: string; testsuite: Array<{ name: string; tests: string; failures: string; skipped: string; testcase: JunitCase[] }> };
}

describe.skipIf(!hasCommand('dash'))('conformance reports through the CLI (needs dash)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-reports-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('--json prints the summary and --junit writes JUnit XML CI systems read', async () => {
    const junitPath = join(dir, 'conformance.xml');
    const result = runCli(['conformance', ...MATRIX, '--json', '--junit', junitPath]);
    expect(result.status, result.stderr).toBe(1);

    const summary = JSON.parse(result.stdout) as { report: string; passed: number; failed: number; skipped: number; results: Array<Record<string, unknown>> };
    expect(summary).toMatchObject({ report: 'summary', passed: 1, failed: 1, skipped: 1 });
    expect(summary.results.map((run) => [run.scenario, run.status])).toEqual([
      ['snapshot-disabled', 'passed'],
      ['happy-path', 'failed'],
      ['task-id-variable', 'skipped'],
    ]);
    const [passed, failed, skipped] = summary.results;
    expect(Object.keys(passed!).sort()).toEqual(['durationMs', 'exitCode', 'failures', 'scenario', 'shell', 'status', 'toolbox']);
    expect(failed!.failures).toContainEqual({ promise: 'upload-count', message: 'coderd saw 0 snapshot upload(s) (statuses: none), expected 1' });
    expect(skipped).toMatchObject({ skipReason: 'needs a module generated with taskIdSource = "variable"', failures: [] });
    // The summary leaves out the per-run output, requests and snapshot: those are --json-full.
    expect(result.stdout).not.toContain('"output"');
    expect(result.stdout).not.toContain('"requests"');

    const text = await readFile(junitPath, 'utf8');
    expect(XMLValidator.validate(text)).toBe(true);
    const { testsuites } = xml.parse(text) as Junit;
    expect(testsuites).toMatchObject({ name: 'agentapi-kit conformance', tests: '3', failures: '1', skipped: '1' });
    expect(testsuites.testsuite.map((suite) => [suite.name, suite.tests, suite.failures, suite.skipped])).toEqual([['dash [full]', '3', '1', '1']]);
    const [ok, bad, notApplicable] = testsuites.testsuite[0]!.testcase;
    expect(ok).toMatchObject({ name: 'snapshot-disabled', classname: 'conformance.dash.full' });
    expect(ok!.failure).toBeUndefined();
    expect(bad!.failure).toMatchObject({ type: 'log-line', message: 'log-line: missing /Retrieved \\S+ messages for log snapshot/' });
    expect(bad!.failure!['#text']).toContain('upload-count: coderd saw 0 snapshot upload(s)');
    expect(bad!.failure!['#text']).toContain('Log snapshot disabled, skipping');
    expect(notApplicable!.skipped).toEqual({ message: 'needs a module generated with taskIdSource = "variable"' });
  });

  it('without --json prints the table: a row per scenario, a column per toolbox, the failing shells named', () => {
    const result = runCli(['conformance', ...MATRIX]);
    expect(result.status, result.stderr).toBe(1);
    const table = result.stdout.slice(result.stdout.indexOf('A row per scenario'), result.stdout.indexOf('\n\n', result.stdout.indexOf('\nscenario ')));
    expect(table.split('\n')).toEqual([
      'A row per scenario, a column per toolbox; a cell is ok when the scenario passed',
      'under every shell: dash.',
      '',
      'scenario           full',
      'snapshot-disabled  ok',
      'happy-path         FAIL dash',
      'task-id-variable   skip',
    ]);
  });

  it('--junit into a directory that does not exist is a usage error before any run', () => {
    const result = runCli(['conformance', ...MATRIX, '--junit', join(dir, 'missing', 'report.xml')]);
    expect(result.stderr).toBe(`Error: --junit: cannot write ${join(dir, 'missing', 'report.xml')} (ENOENT)\n(run with --help for usage)\n`);
    expect(result.status).toBe(2);
  });
});

/** The whole matrix (every shell, toolbox and scenario), all passing but the given failures. */
function fullMatrix(failures: Array<{ shell: string; toolbox: string; scenario: string }>): ConformanceReport {
  const results: ScenarioResult[] = ['full', 'no-jq', 'busybox'].flatMap((toolbox) =>
    SHELLS.flatMap((shell) =>
      SCENARIOS.map((scenario) => {
        const failing = failures.some((failure) => failure.shell === shell.name && failure.toolbox === toolbox && failure.scenario === scenario.name);
        return {
          scenario: scenario.name,
          shell: shell.name,
          toolbox: toolbox as ScenarioResult['toolbox'],
          passed: !failing,
          failures: failing ? ['exit-status: exit status 2'] : [],
          durationMs: 100,
          exitCode: failing ? 2 : 0,
          output: 'x'.repeat(2000),
          requests: { coderd: [], agentapi: [] },
          snapshot: null,
        };
      }),
    ),
  );
  const failed = results.filter((result) => !result.passed).length;
  return { results, passed: results.length - failed, failed, skipped: 0, durationMs: 1000 };
}

describe('the conformance table', () => {
  const manyFailures = SHELLS.map((shell) => ({ shell: shell.name, toolbox: 'no-jq', scenario: 'happy-path' })).slice(0, 7);

  it.each([80, 100, 60])('fits %i columns for the whole matrix', (width) => {
    const lines = formatTable(fullMatrix(manyFailures), SCENARIOS, { fancy: false, width }).split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
    expect(lines.slice(lines.indexOf('') + 2)).toHaveLength(SCENARIOS.length);
  });

  it('heads the columns with the toolboxes and labels each row with the scenario name', () => {
    const lines = formatTable(fullMatrix([]), SCENARIOS, { fancy: false, width: 80 }).split('\n');
    const header = lines.find((line) => line.startsWith('scenario '));
    expect(header?.split(/\s{2,}/)).toEqual(['scenario', 'full', 'no-jq', 'busybox']);
    expect(lines.filter((line) => /^[a-z0-9-]+\s{2,}ok\s{2,}ok\s{2,}ok$/.test(line)).map((line) => line.split(' ')[0])).toEqual(SCENARIOS.map((scenario) => scenario.name));
  });

  it('names the failing shells where they fit and counts them where they do not', () => {
    const failures = [{ shell: 'zsh', toolbox: 'full', scenario: 'happy-path' }, ...manyFailures];
    const row = (width: number) => formatTable(fullMatrix(failures), SCENARIOS, { fancy: false, width }).split('\n').find((line) => line.startsWith('happy-path '));
    expect(row(200)?.split(/\s{2,}/)).toEqual(['happy-path', 'FAIL zsh', 'FAIL dash bash bash-posix busybox mksh yash zsh', 'ok']);
    expect(row(80)?.split(/\s{2,}/)).toEqual(['happy-path', 'FAIL zsh', `FAIL 7/${SHELLS.length}`, 'ok']);
  });
});

describe('the JSON and JUnit reports', () => {
  it('the summary of the whole matrix is a small fraction of the full JSON', () => {
    const report = fullMatrix([{ shell: 'dash', toolbox: 'full', scenario: 'happy-path' }]);
    const summary = formatJson(report, 'summary');
    expect(JSON.parse(summary).results).toHaveLength(report.results.length);
    expect(summary.length * 10).toBeLessThan(formatJson(report, 'full').length);
  });

  it('JUnit stays valid XML whatever the output holds, and keeps the text readable', () => {
    const output = 'a <b> & "c" \'d\' ]]> NUL\u0000 bell\u0007 lone\ud800 emoji 😀 tab\t end';
    const result: ScenarioResult = { scenario: 'nul-in-output', shell: 'dash', toolbox: 'full', passed: false, failures: ['exit-status: <2> & "x"\nsecond line'], durationMs: 5, exitCode: 2, output, requests: { coderd: [], agentapi: [] }, snapshot: null };
    const text = formatJunit({ results: [result], passed: 0, failed: 1, skipped: 0, durationMs: 5 });
    expect(XMLValidator.validate(text)).toBe(true);
    const failure = (xml.parse(text) as Junit).testsuites.testsuite[0]!.testcase[0]!.failure!;
    expect(failure.message).toBe('exit-status: <2> & "x"\nsecond line');
    expect(failure['#text']).toContain('a <b> & "c" \'d\' ]]> NUL\\u{0} bell\\u{7} lone\\u{d800} emoji 😀 tab\t end');
  });
});
