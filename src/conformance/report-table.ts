/**
 * The conformance table, made to be read in a terminal or a CI log: one row per scenario (by its
 * name), one column per toolbox (headed by its name), and in each cell the verdict over every shell that ran: `ok` when
 * the scenario passed under all of them, `FAIL` with the shells it failed under, `skip` when it does
 * not apply. The whole table fits `width` columns (80 in logs, the terminal's width on one); a
 * cell whose list of failing shells would not fit says how many failed instead (the failures are
 * listed in full under the table).
 */
import type { ConformanceReport } from './conformance.ts';
import type { Scenario, ScenarioResult } from './scenario-types.ts';

export interface TableStyle {
  /** ✓/✗ and colours; otherwise plain `ok` / `FAIL`. */
  fancy: boolean;
  /** Columns the table may use. */
  width: number;
}

/** Without a terminal (a CI log, a pipe, a file) the table is laid out for this many columns. */
export const DEFAULT_TABLE_WIDTH = 80;
/** Narrower than this, the table does not try to fit (each cell still gets its short form). */
const MIN_WIDTH = 40;

interface Cell {
  /** The verdict with every failing shell named. */
  long: string;
  /** The same verdict in a few characters. */
  short: string;
}

export function formatTable(report: ConformanceReport, scenarios: readonly Scenario[], style: TableStyle): string {
  const toolboxes = unique(report.results.map((result) => result.toolbox));
  const shells = unique(report.results.map((result) => result.shell));
  const cells = scenarios.map((scenario) => toolboxes.map((toolbox) => cell(report.results.filter((result) => result.scenario === scenario.name && result.toolbox === toolbox), shells.length, style)));
  const labelWidth = Math.max('scenario'.length, ...scenarios.map((scenario) => scenario.name.length));
  const widths = columnWidths(toolboxes, cells, Math.max(MIN_WIDTH, style.width) - labelWidth);
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - visibleLength(text)));
  const row = (label: string, texts: string[]) => [pad(label, labelWidth), ...texts.map((text, index) => pad(text, widths[index]!.width))].join('  ').trimEnd();
  const lines = [
    ...wrap(`A row per scenario, a column per toolbox; a cell is ${style.fancy ? '✓' : 'ok'} when the scenario passed under every shell: ${shells.join(', ')}.`, style.width),
    '',
    row('scenario', toolboxes),
    ...scenarios.map((scenario, index) => row(scenario.name, cells[index]!.map((entry, column) => (widths[column]!.long ? entry.long : entry.short)))),
  ];
  return lines.join('\n');
}

function cell(results: readonly ScenarioResult[], shellCount: number, style: TableStyle): Cell {
  const [pass, fail, skip] = style.fancy ? ['\u001b[32m✓\u001b[39m', '\u001b[31m✗\u001b[39m', '·'] : ['ok', 'FAIL', 'skip'];
  if (results.length === 0) return { long: '-', short: '-' };
  if (results.every((result) => result.skipped !== undefined)) return { long: skip, short: skip };
  const failed = results.filter((result) => !result.passed).map((result) => result.shell);
  if (failed.length === 0) return { long: pass, short: pass };
  const short = `${fail} ${failed.length}/${shellCount}`;
  return { long: failed.length === shellCount && shellCount > 1 ? short : `${fail} ${failed.join(' ')}`, short };
}

/**
 * Each toolbox column as wide as its longest cell when everything fits; otherwise the widest
 * columns fall back to the short form, one at a time, until the table fits.
 */
function columnWidths(headers: readonly string[], cells: ReadonlyArray<readonly Cell[]>, available: number): Array<{ width: number; long: boolean }> {
  const measure = (column: number, long: boolean) =>
    Math.max(headers[column]!.length, ...cells.map((row) => visibleLength(long ? row[column]!.long : row[column]!.short)));
  const columns = headers.map((_header, column) => ({ width: measure(column, true), long: true }));
  const total = () => columns.reduce((sum, column) => sum + column.width + 2, 0);
  while (total() > available) {
    const widest = columns.filter((column) => column.long).sort((a, b) => b.width - a.width)[0];
    if (widest === undefined) break;
    const index = columns.indexOf(widest);
    columns[index] = { width: measure(index, false), long: false };
  }
  return columns;
}

function visibleLength(text: string): number {
  return [...text.replace(/\u001b\[\d+m/g, '')].length;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
