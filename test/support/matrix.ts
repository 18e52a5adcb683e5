/**
 * Shared by the e2e files: one bounded pool per test file, so many scenario runs overlap (most of
 * a run is waiting on sockets and timeouts) while each vitest test awaits its own run.
 */
import pLimit from 'p-limit';
import { runScenario, type Scenario, type ScenarioResult, type ScenarioRunOptions, indentOutput } from '../../src/conformance/scenario.ts';
import type { ShellChoice, Toolbox } from '../../src/agent-simulation/run-script.ts';
import type { ShellSpec } from '../../src/agent-simulation/shells.ts';

/** Runs in flight at once per test file; two cores, mostly-idle runs. */
export const E2E_CONCURRENCY = Number(process.env.AGENTAPI_KIT_E2E_CONCURRENCY ?? 8);

/** A generous ceiling for one test (waiting for its turn in the pool plus its own run); never a speed assertion. */
export const E2E_TEST_TIMEOUT_MS = 180_000;

/** Memoised scenario runs, started through a shared limiter; `start` them all up front, `get` in tests. */
export function scenarioRuns(options: ScenarioRunOptions = {}, limit = E2E_CONCURRENCY) {
  const limiter = pLimit(limit);
  const runs = new Map<string, Promise<ScenarioResult>>();
  const key = (scenario: Scenario, shell: ShellChoice, toolbox: Toolbox) => `${scenario.name}|${typeof shell === 'string' ? shell : shell.name}|${toolbox}`;
  const get = (scenario: Scenario, shell: ShellChoice, toolbox: Toolbox): Promise<ScenarioResult> => {
    const id = key(scenario, shell, toolbox);
    let run = runs.get(id);
    if (run === undefined) {
      run = limiter(() => runScenario(scenario, shell, toolbox, options));
      runs.set(id, run);
    }
    return run;
  };
  return { get, start: get };
}

/** The failures and the output, as one readable assertion message. */
export function explain(result: ScenarioResult): string {
  return `${result.scenario} under ${result.shell} [${result.toolbox}] (exit ${result.exitCode}):\n${result.failures.map((f) => `  - ${f}`).join('\n')}\n  output:\n${indentOutput(result.output)}`;
}

export interface MatrixCell {
  scenario: Scenario;
  shell: ShellSpec;
  toolbox: Toolbox;
}

/** Every scenario under every shell and toolbox. */
export function fullCells(scenarios: readonly Scenario[], shells: readonly ShellSpec[], toolboxes: readonly Toolbox[]): MatrixCell[] {
  return toolboxes.flatMap((toolbox) => shells.flatMap((shell) => scenarios.map((scenario) => ({ scenario, shell, toolbox }))));
}

/**
 * A small set that still runs every scenario `passes` times, each time under another shell (while
 * there are that many shells), and every shell under every toolbox: run i is pass p = i div S of
 * scenario j = i mod S, under shell (j + p) mod H and toolbox (i div H) mod T, for at least
 * max(passes x S, H x T) runs, plus one for any shell and toolbox pair left out. Each pass moves
 * every scenario to the next shell, whatever the scenario count is modulo the shell count.
 */
export function coveringCells(scenarios: readonly Scenario[], shells: readonly ShellSpec[], toolboxes: readonly Toolbox[], passes = 2): MatrixCell[] {
  if (scenarios.length === 0 || shells.length === 0 || toolboxes.length === 0) return [];
  const count = Math.max(passes * scenarios.length, shells.length * toolboxes.length);
  const seen = new Set<string>();
  const cells: MatrixCell[] = [];
  const add = (cell: MatrixCell): void => {
    const key = `${cell.scenario.name}|${cell.shell.name}|${cell.toolbox}`;
    if (seen.has(key)) return;
    seen.add(key);
    cells.push(cell);
  };
  for (let i = 0; i < count; i += 1) {
    const scenario = i % scenarios.length;
    const pass = Math.floor(i / scenarios.length);
    add({ scenario: scenarios[scenario]!, shell: shells[(scenario + pass) % shells.length]!, toolbox: toolboxes[Math.floor(i / shells.length) % toolboxes.length]! });
  }
  // The shift can leave a shell and toolbox pair out; each one missing gets a run of its own.
  let next = 0;
  for (const shell of shells) {
    for (const toolbox of toolboxes) {
      if (cells.some((cell) => cell.shell === shell && cell.toolbox === toolbox)) continue;
      add({ scenario: scenarios[next % scenarios.length]!, shell, toolbox });
      next += 1;
    }
  }
  return cells;
}
