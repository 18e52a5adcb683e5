/**
 * The conformance matrix: scenarios x shells x toolboxes, run through a bounded pool, and the
 * report (a table of shells by scenarios, then the failures in words).
 */
import { availableParallelism } from 'node:os';
import { runPool } from './pool.ts';
import { indentOutput, runScenario } from './scenario.ts';
import type { Scenario, ScenarioResult, ScenarioRunOptions } from './scenario-types.ts';
import type { ShellSpec } from './shells.ts';
import type { Toolbox } from './run-script.ts';

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

export interface TableStyle {
  /** ✓/✗ and colours; otherwise plain `ok` / `FAIL`. */
  fancy: boolean;
}

/** Rows: "<shell> [<toolbox>]"; columns: scenario short names. */
export function formatTable(report: ConformanceReport, scenarios: readonly Scenario[], style: TableStyle): string {
  const rows = [...new Set(report.results.map((result) => rowKey(result)))];
  const pass = style.fancy ? '\u001b[32m✓\u001b[39m' : 'ok';
  const fail = style.fancy ? '\u001b[31m✗\u001b[39m' : 'FAIL';
  const skip = style.fancy ? '·' : 'skip';
  // Each column as wide as its short name (or the widest mark), so 40 scenarios still fit a wide terminal.
  const markWidth = style.fancy ? 1 : 4;
  const mark = (result: ScenarioResult | undefined) => (result === undefined ? '-' : result.skipped !== undefined ? skip : result.passed ? pass : fail);
  const widths = scenarios.map((scenario) => Math.max(markWidth, scenario.short.length));
  const labelWidth = Math.max(5, ...rows.map((row) => row.length));
  const visible = (text: string) => text.replace(/\u001b\[\d+m/g, '').length;
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - visible(text)));
  const lines = [[pad('shell', labelWidth), ...scenarios.map((scenario, index) => pad(scenario.short, widths[index] ?? 0))].join(' ').trimEnd()];
  for (const row of rows) {
    const cells = scenarios.map((scenario, index) => {
      const result = report.results.find((candidate) => rowKey(candidate) === row && candidate.scenario === scenario.name);
      return pad(mark(result), widths[index] ?? 0);
    });
    lines.push([pad(row, labelWidth), ...cells].join(' ').trimEnd());
  }
  return lines.join('\n');
}

function rowKey(result: ScenarioResult): string {
  return `${result.shell} [${result.toolbox}]`;
}

/** The legend (short name -> scenario) so the table's columns can be read. */
export function formatLegend(scenarios: readonly Scenario[]): string {
  const width = Math.max(...scenarios.map((scenario) => scenario.short.length));
  return scenarios.map((scenario) => `  ${scenario.short.padEnd(width)}  ${scenario.name}: ${scenario.description}`).join('\n');
}

/** The scenarios that did not apply to the module under test, each once, with the reason. */
export function formatSkips(report: ConformanceReport): string {
  const reasons = new Map<string, string>();
  for (const result of report.results) if (result.skipped !== undefined) reasons.set(result.scenario, result.skipped);
  return [...reasons].map(([scenario, reason]) => `skipped ${scenario}: ${reason}`).join('\n');
}

/** Each failed cell with its failures in words and the script's output. */
export function formatFailures(report: ConformanceReport, style: TableStyle, withOutput = true): string {
  return report.results
    .filter((result) => !result.passed)
    .map((result) => {
      const head = `${style.fancy ? '✗' : 'FAIL'} ${result.scenario} under ${result.shell} [${result.toolbox}] (exit ${result.exitCode ?? 'none'}, ${result.durationMs} ms)`;
      const reasons = result.failures.map((failure) => `    - ${failure}`).join('\n');
      return withOutput && result.output !== '' ? `${head}\n${reasons}\n    output:\n${indentOutput(result.output)}` : `${head}\n${reasons}`;
    })
    .join('\n\n');
}
