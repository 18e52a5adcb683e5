/**
 * Proves the conformance harness: every mutant of the shutdown script (mutants/corpus.ts) must
 * fail conformance with a failure naming the promise it breaks, and the unmutated script must pass
 * the very same runs. The script is the generated module's (the global setup has checked it is
 * what the templates render now), so the mutants never go stale.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODULE_DIR, SCRIPT_FILES } from '../../src/agent-simulation/coder-script.ts';
import { type ConformanceReport, runConformance } from '../../src/conformance/conformance.ts';
import { runPool } from '../../src/conformance/pool.ts';
import { promiseOf } from '../../src/conformance/promises.ts';
import { scenarioByName } from '../../src/conformance/scenarios.ts';
import { shellByName } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { applyMutant, type Mutant, MUTANTS } from './mutants/corpus.ts';

const needed = ['dash', 'posh', 'curl', 'wget', 'jq'];
const missing = needed.filter((tool) => !hasCommand(tool));

/**
 * Runs side by side; most of a run waits on sockets and timeouts, but every mock lives in this
 * one process, whose event loop must stay responsive for the time checks to mean anything.
 */
const CONCURRENCY = 6;

function runsOf(mutant: Pick<Mutant, 'scenarios' | 'shells' | 'toolboxes'>, scriptPath: string) {
  return {
    scenarios: mutant.scenarios.map(scenarioByName),
    shells: mutant.shells.map(shellByName),
    toolboxes: mutant.toolboxes,
    scriptPath,
    concurrency: 1,
  };
}

describe.skipIf(missing.length > 0)(`conformance fails every mutant of the shutdown script, naming the promise it breaks (needs ${needed.join(', ')})`, () => {
  let dir: string;
  const reports = new Map<string, ConformanceReport>();
  let baseline: ConformanceReport;

  beforeAll(async () => {
    const started = performance.now();
    dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-mutants-'));
    const original = await readFile(join(DEFAULT_MODULE_DIR, SCRIPT_FILES.agentapi_shutdown), 'utf8');
    const originalPath = join(dir, 'original.sh');
    await writeFile(originalPath, original);
    // The unmutated script on the union of the mutants' runs, then every mutant, one pool.
    const union = {
      scenarios: [...new Set(MUTANTS.flatMap((mutant) => mutant.scenarios))],
      shells: [...new Set(MUTANTS.flatMap((mutant) => mutant.shells))],
      toolboxes: [...new Set(MUTANTS.flatMap((mutant) => mutant.toolboxes))],
    };
    const jobs: Array<() => Promise<void>> = [
      async () => {
        baseline = await runConformance({ ...runsOf(union, originalPath), concurrency: 2 });
      },
      ...MUTANTS.map((mutant) => async () => {
        const path = join(dir, `${mutant.name}.sh`);
        await writeFile(path, applyMutant(original, mutant));
        reports.set(mutant.name, await runConformance(runsOf(mutant, path)));
      }),
    ];
    await runPool(jobs, CONCURRENCY, (job) => job());
    console.log(`mutation test: ${MUTANTS.length} mutants and the unmutated script in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('passes the unmutated script on every run the mutants use', () => {
    const failures = baseline.results.filter((result) => !result.passed).map((result) => `${result.scenario} under ${result.shell} [${result.toolbox}]: ${result.failures.join('; ')}`);
    expect(failures).toEqual([]);
  });

  it.each(MUTANTS.map((mutant) => [mutant.name, mutant] as const))('%s', (_name, mutant) => {
    const report = reports.get(mutant.name);
    expect(report, 'the mutant did not run').toBeDefined();
    const all = report!.results.flatMap((result) => result.failures);
    expect(report!.failed, `${mutant.description}: conformance passed it`).toBeGreaterThan(0);
    const naming = all.filter((failure) => promiseOf(failure) === mutant.breaks && (mutant.mentions === undefined || failure.includes(mutant.mentions)));
    expect(naming, `${mutant.description}: no failure names "${mutant.breaks}"; got:\n${all.join('\n')}`).not.toEqual([]);
  });

  it('applies each edit exactly once, and says so when the template moved the text', () => {
    expect(() => applyMutant('no such text here', MUTANTS[0]!)).toThrow(/occurs 0 times in the rendered script \(expected once\); update the mutant/);
  });
});
