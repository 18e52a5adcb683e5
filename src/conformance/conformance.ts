/**
 * The conformance matrix: scenarios x shells x toolboxes, run through a bounded pool. The report's
 * writers are report-table.ts (the table), report-failures.ts (skips and failures in words),
 * report-json.ts and report-junit.ts.
 */
import { availableParallelism } from 'node:os';
import { runPool } from './pool.ts';
import { runScenario } from './scenario.ts';
import type { Scenario, ScenarioResult, ScenarioRunOptions } from './scenario-types.ts';
import type { ShellSpec } from '../agent-simulation/shells.ts';
import type { Toolbox } from '../agent-simulation/run-script.ts';

export interface ConformanceOptions extends ScenarioRunOptions {
  scenarios: readonly Scenario[];
  shells: readonly ShellSpec[];
  toolboxes: readonly Toolbox[];
  /** Runs in flight at once; most of a run is waiting on timeouts, so this exceeds the core count. */
  concurrency?: number;
  onResult?: (result: ScenarioResult) => void;
}

export interface ConformanceReport {
  results: ScenarioResult[];
  passed: number;
  failed: number;
  /** Runs of scenarios that do not apply to the module under test (counted in neither of the above). */
  skipped: number;
  durationMs: number;
}

/** Default pool size: scenario runs mostly sleep on timeouts and sockets, so a few per core. */
export function defaultConcurrency(): number {
  return Math.max(2, Math.min(12, availableParallelism() * 4));
}

export async function runConformance(opts: ConformanceOptions): Promise<ConformanceReport> {
  const started = performance.now();
  const cells = opts.toolboxes.flatMap((toolbox) => opts.shells.flatMap((shell) => opts.scenarios.map((scenario) => ({ scenario, shell, toolbox }))));
  // Slow scenarios (hangs, retries) first, so the pool's tail is short.
  const order = cells.map((cell, index) => ({ cell, index })).sort((a, b) => slowness(b.cell.scenario) - slowness(a.cell.scenario));
  const results = new Array<ScenarioResult>(cells.length);
  await runPool(order, opts.concurrency ?? defaultConcurrency(), async ({ cell, index }) => {
    const result = await runScenario(cell.scenario, cell.shell, cell.toolbox, opts);
    results[index] = result;
    opts.onResult?.(result);
  });
  const skipped = results.filter((result) => result.skipped !== undefined).length;
  const failed = results.filter((result) => !result.passed).length;
  return { results, passed: results.length - failed - skipped, failed, skipped, durationMs: Math.round(performance.now() - started) };
}

function slowness(scenario: Scenario): number {
  const agentapiFault = scenario.agentapi.down === true ? undefined : scenario.agentapi.fault?.kind;
  if (agentapiFault === 'hang' || agentapiFault === 'drip' || scenario.coderd.fault?.hang === true) return 3;
  if (scenario.agentapiProcess === 'ignores-term' || scenario.coderd.fault !== undefined || scenario.coderd.unreachable === true) return 2;
  return 1;
}
