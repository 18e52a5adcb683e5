/** A YAML syntax error as a person reads it: where, what, and the line itself with a caret under the spot. */
import type { YAMLError } from 'yaml';

/**
 * `line 3, column 7: <problem>` and the source line with a caret. The parser's own message ends in a
 * dangling `at line 3, column 7:` followed by its excerpt; only the problem is kept from it.
 */
export function describeYamlError(error: YAMLError, text: string): string {
  const problem = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  const at = error.linePos?.[0];
  if (at === undefined) return problem;
  const source = (text.split(/\r?\n/)[at.line - 1] ?? '').replace(/\t/g, ' ');
  const number = String(at.line);
  const gutter = ' '.repeat(number.length);
  return [`line ${at.line}, column ${at.col}: ${problem}`, `  ${number} | ${source}`, `  ${gutter} | ${' '.repeat(Math.max(0, at.col - 1))}^`].join('\n');
}
