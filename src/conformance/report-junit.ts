/**
 * The report as JUnit XML, the format CI systems (GitHub Actions reporters, GitLab, Jenkins, Azure,
 * CircleCI) show natively: a testsuite per shell and toolbox, a testcase per scenario, a failure
 * carrying the first broken promise as its message (every failure and the script's output in its
 * body), and skipped with the reason.
 */
import type { ConformanceReport } from './conformance.ts';
import { runStatus, splitFailure } from './report-json.ts';
import type { ScenarioResult } from './scenario-types.ts';

export function formatJunit(report: ConformanceReport, name = 'agentapi-kit conformance'): string {
  const suites = groupBySuite(report.results);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({ name, tests: report.results.length, failures: report.failed, errors: 0, skipped: report.skipped, time: seconds(report.durationMs) })}>`,
    ...[...suites].flatMap(([suite, results]) => testsuite(suite, results)),
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function groupBySuite(results: readonly ScenarioResult[]): Map<string, ScenarioResult[]> {
  const suites = new Map<string, ScenarioResult[]>();
  for (const result of results) {
    const key = `${result.shell} [${result.toolbox}]`;
    suites.set(key, [...(suites.get(key) ?? []), result]);
  }
  return suites;
}

function testsuite(name: string, results: readonly ScenarioResult[]): string[] {
  const count = (status: string) => results.filter((result) => runStatus(result) === status).length;
  const time = seconds(results.reduce((sum, result) => sum + result.durationMs, 0));
  return [
    `  <testsuite ${attributes({ name, tests: results.length, failures: count('failed'), errors: 0, skipped: count('skipped'), time })}>`,
    ...results.flatMap(testcase),
    '  </testsuite>',
  ];
}

function testcase(result: ScenarioResult): string[] {
  const open = `    <testcase ${attributes({ name: result.scenario, classname: `conformance.${result.shell}.${result.toolbox}`, time: seconds(result.durationMs) })}`;
  const status = runStatus(result);
  if (status === 'passed') return [`${open}/>`];
  if (status === 'skipped') return [`${open}>`, `      <skipped ${attributes({ message: result.skipped ?? '' })}/>`, '    </testcase>'];
  const first = splitFailure(result.failures[0] ?? 'failed');
  const body = [...result.failures, '', `exit status: ${result.exitCode ?? 'none'}`, ...(result.output === '' ? [] : ['output:', result.output])].join('\n');
  return [`${open}>`, `      <failure ${attributes({ message: `${first.promise === '' ? '' : `${first.promise}: `}${first.message}`, type: first.promise || 'failure' })}>${text(body)}</failure>`, '    </testcase>'];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${text(String(value)).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;')}"`)
    .join(' ');
}

/**
 * Character data XML 1.0 can hold: `&`, `<` and `>` escaped, and the characters it cannot hold at
 * all, even escaped (NUL and other C0 controls, lone surrogates, U+FFFE/U+FFFF: a script's output
 * may have them), written as `\u{..}` so the file stays valid and the reader still sees them.
 */
export function text(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (char) => `\\u{${char.charCodeAt(0).toString(16)}}`);
}
