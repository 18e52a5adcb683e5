import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultConcurrency, formatFailures, formatLegend, formatTable, runConformance } from '../../harness/conformance.ts';
import { TOOLBOXES, type Toolbox } from '../../harness/run-script.ts';
import type { Scenario, ScenarioResult } from '../../harness/scenario.ts';
import { scenarioByName, SCENARIOS } from '../../harness/scenarios.ts';
import { SHELLS, shellByName, type ShellSpec } from '../../harness/shells.ts';
import { CliError, UsageError } from '../errors.ts';
import { templateStopScriptFile } from './conformance-template.ts';

interface ConformanceFlags {
  shells?: string;
  toolboxes?: string;
  script?: string;
  scenarios?: string;
  module?: string;
  template?: string;
  json?: boolean;
  concurrency?: string;
}

export function registerConformanceCommand(program: Command): void {
  program
    .command('conformance')
    .description('Run the shutdown script through every scenario under every shell and toolbox, against mock AgentAPI and coderd.')
    .option('--shells <list>', `comma-separated shells (default: all installed of ${SHELLS.map((shell) => shell.name).join(', ')})`)
    .option('--toolboxes <list>', `comma-separated toolboxes (default: ${TOOLBOXES.join(', ')})`)
    .option('--scenarios <list>', 'comma-separated scenario names or short names (default: all)')
    .option('--script <path>', "run this shutdown script instead of the module's, wrapped the same way")
    .option('--module <dir>', 'module directory holding main.tf and scripts/ (default: the generated modules/agentapi)')
    .option('--template <dir>', "a whole Coder template (e.g. examples/task-template): run its stop script, as terraform renders it with the stand-in providers")
    .option('--concurrency <n>', `runs in flight at once (default: ${defaultConcurrency()})`)
    .option('--json', 'print the results as JSON instead of a table: per run, the output, the requests the mocks saw and the stored snapshot (agent token REDACTED)')
    .action(async (flags: ConformanceFlags) => {
      process.exitCode = await conformance(flags);
    });
}

async function conformance(flags: ConformanceFlags): Promise<number> {
  const requested = parseShells(flags.shells);
  const toolboxes = parseToolboxes(flags.toolboxes);
  const scenarios = parseScenarios(flags.scenarios);
  const concurrency = parseConcurrency(flags.concurrency);
  const moduleDir = flags.module === undefined ? undefined : resolve(flags.module);
  if (flags.template !== undefined && (flags.script !== undefined || flags.module !== undefined)) throw new UsageError('--template renders its own scripts; it cannot be combined with --script or --module');
  if (flags.template !== undefined) await mustExist(resolve(flags.template), '--template');
  const templateScript = flags.template === undefined ? undefined : await templateStopScriptFile(resolve(flags.template), flags.json === true);
  const scriptPath = templateScript?.path ?? (flags.script === undefined ? undefined : resolve(flags.script));
  if (moduleDir !== undefined) await mustExist(join(moduleDir, 'main.tf'), '--module');
  if (scriptPath !== undefined) await mustExist(scriptPath, '--script');

  const shells = requested.filter((shell) => shell.available);
  const skipped = requested.filter((shell) => !shell.available);
  const log = flags.json ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => process.stdout.write(`${line}\n`);
  for (const shell of skipped) log(`skipping shell ${shell.name}: ${shell.argv[0]} is not installed`);
  if (shells.length === 0) throw new CliError('none of the requested shells is installed');

  const total = shells.length * toolboxes.length * scenarios.length;
  const progress = progressReporter(total, Boolean(process.stderr.isTTY) && !flags.json);
  const report = await runConformance({ scenarios, shells, toolboxes, moduleDir, scriptPath, concurrency, onResult: progress }).finally(() => templateScript?.remove());
  progress.done();

  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ passed: report.passed, failed: report.failed, durationMs: report.durationMs, results: report.results }, null, 2)}\n`);
  } else {
    // ✓/✗ in colour on a terminal; plain ok/FAIL in logs, pipes and with NO_COLOR.
    const fancy = Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined;
    log(formatTable(report, scenarios, { fancy }));
    log('');
    log(formatLegend(scenarios));
    log('');
    log(`${report.passed} passed, ${report.failed} failed (${total} runs, ${(report.durationMs / 1000).toFixed(1)} s)`);
    if (report.failed > 0) log(`\n${formatFailures(report, { fancy })}`);
  }
  return report.failed > 0 ? 1 : 0;
}

function splitList(value: string, flag: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`${flag} needs at least one name`);
  return [...new Set(items)];
}

function parseShells(value: string | undefined): ShellSpec[] {
  if (value === undefined) return [...SHELLS];
  return splitList(value, '--shells').map((name) => usage(() => shellByName(name)));
}

function parseToolboxes(value: string | undefined): Toolbox[] {
  if (value === undefined) return [...TOOLBOXES];
  return splitList(value, '--toolboxes').map((name) => {
    if (!(TOOLBOXES as readonly string[]).includes(name)) throw new UsageError(`unknown toolbox "${name}"; valid toolboxes: ${TOOLBOXES.join(', ')}`);
    return name as Toolbox;
  });
}

function parseScenarios(value: string | undefined): Scenario[] {
  if (value === undefined) return [...SCENARIOS];
  return splitList(value, '--scenarios').map((name) => usage(() => scenarioByName(name)));
}

function parseConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--concurrency must be an integer from 1 to 64, got "${value}"`);
  return n;
}

/** Lookup errors from the harness become usage errors (exit 2). */
function usage<T>(lookup: () => T): T {
  try {
    return lookup();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function mustExist(path: string, flag: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new UsageError(`${flag}: ${path} does not exist`);
  }
}

/** One overwritten status line on a terminal; silent otherwise (CI logs stay clean). */
function progressReporter(total: number, enabled: boolean): ((result: ScenarioResult) => void) & { done: () => void } {
  let finished = 0;
  let failed = 0;
  const report = (result: ScenarioResult) => {
    finished += 1;
    if (!result.passed) failed += 1;
    if (enabled) process.stderr.write(`\r${finished}/${total} runs, ${failed} failed`);
  };
  return Object.assign(report, { done: () => enabled && process.stderr.write('\r\u001b[K') });
}
