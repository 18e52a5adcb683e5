/** The report in words: the scenarios that did not apply, and each failed run with its failures and output. */
import type { ConformanceReport } from './conformance.ts';
import { indentOutput } from './scenario.ts';

/** The scenarios that did not apply to the module under test, each once, with the reason. */
export function formatSkips(report: ConformanceReport): string {
  const reasons = new Map<string, string>();
  for (const result of report.results) if (result.skipped !== undefined) reasons.set(result.scenario, result.skipped);
  return [...reasons].map(([scenario, reason]) => `skipped ${scenario}: ${reason}`).join('\n');
}

/** Each failed cell with its failures in words and the script's output. */
export function formatFailures(report: ConformanceReport, style: { fancy: boolean }, withOutput = true): string {
  return report.results
    .filter((result) => !result.passed)
    .map((result) => {
      const head = `${style.fancy ? '✗' : 'FAIL'} ${result.scenario} under ${result.shell} [${result.toolbox}] (exit ${result.exitCode ?? 'none'}, ${result.durationMs} ms)`;
      const reasons = result.failures.map((failure) => `    - ${failure}`).join('\n');
      return withOutput && result.output !== '' ? `${head}\n${reasons}\n    output:\n${indentOutput(result.output)}` : `${head}\n${reasons}`;
    })
    .join('\n\n');
}
