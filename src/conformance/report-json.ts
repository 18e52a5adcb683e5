/**
 * The report as JSON. The summary (the default of `--json`) has per run what a CI step needs to
 * decide and to say why: shell, toolbox, scenario, status, the broken promises with their messages,
 * exit code and duration, one run per line (grep finds a run, jq reads the whole). The full form
 * (`--json-full`) adds each run's output, the requests the mocks saw and the stored snapshot:
 * megabytes for the whole matrix, for debugging.
 */
import type { ConformanceReport } from './conformance.ts';
import { promiseOf } from './promises.ts';
import type { ScenarioResult } from './scenario-types.ts';

export type RunStatus = 'passed' | 'failed' | 'skipped';

export interface RunSummary {
  shell: string;
  toolbox: string;
  scenario: string;
  status: RunStatus;
  /** Each failure as the promise it breaks and what happened (empty unless failed). */
  failures: Array<{ promise: string; message: string }>;
  /** Why the scenario does not apply (only when skipped). */
  skipReason?: string;
  exitCode: number | null;
  durationMs: number;
}

export interface SummaryReport {
  report: 'summary';
  passed: number;
  failed: number;
  skipped: number;
  durationMs: number;
  results: RunSummary[];
}

export function runStatus(result: ScenarioResult): RunStatus {
  return result.skipped !== undefined ? 'skipped' : result.passed ? 'passed' : 'failed';
}

/** `<promise>: <what happened>` split in two (a failure without a promise keeps it all as its message). */
export function splitFailure(failure: string): { promise: string; message: string } {
  const promise = promiseOf(failure);
  return promise === failure ? { promise: '', message: failure } : { promise, message: failure.slice(promise.length + 2) };
}

export function summaryReport(report: ConformanceReport): SummaryReport {
  const results = report.results.map((result): RunSummary => ({
    shell: result.shell,
    toolbox: result.toolbox,
    scenario: result.scenario,
    status: runStatus(result),
    failures: result.failures.map(splitFailure),
    ...(result.skipped === undefined ? {} : { skipReason: result.skipped }),
    exitCode: result.exitCode,
    durationMs: result.durationMs,
  }));
  return { report: 'summary', passed: report.passed, failed: report.failed, skipped: report.skipped, durationMs: report.durationMs, results };
}

export function formatJson(report: ConformanceReport, detail: 'summary' | 'full'): string {
  if (detail === 'summary') {
    const { results, ...totals } = summaryReport(report);
    const head = JSON.stringify(totals, null, 2).replace(/\n\}$/, '');
    const runs = results.map((run) => `    ${JSON.stringify(run)}`).join(',\n');
    return `${head},\n  "results": [${runs === '' ? ']' : `\n${runs}\n  ]`}\n}\n`;
  }
  const { passed, failed, skipped, durationMs, results } = report;
  return `${JSON.stringify({ report: 'full', passed, failed, skipped, durationMs, results }, null, 2)}\n`;
}
