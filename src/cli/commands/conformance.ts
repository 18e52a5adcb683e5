import { access, constants, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { type ConformanceReport, defaultConcurrency, runConformance } from '../../conformance/conformance.ts';
import { formatFailures, formatSkips } from '../../conformance/report-failures.ts';
import { formatJson } from '../../conformance/report-json.ts';
import { formatJunit } from '../../conformance/report-junit.ts';
import { DEFAULT_TABLE_WIDTH, formatTable } from '../../conformance/report-table.ts';
import { TOOLBOXES, type Toolbox } from '../../agent-simulation/run-script.ts';
import type { Scenario, ScenarioResult } from '../../conformance/scenario-types.ts';
import { scenarioByName, SCENARIOS } from '../../conformance/scenarios.ts';
import { SHELLS, shellByName, type ShellSpec } from '../../agent-simulation/shells.ts';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES } from '../../agent-simulation/coder-script.ts';
import { agreesWithTerraform, defaultBodySource, terraformOnPath } from '../../agent-simulation/script-bodies.ts';
import { CliError, UsageError } from '../errors.ts';
import { explainTemplateScripts } from './conformance-template.ts';
import { collect, prepareRun } from './conformance-prepare.ts';

interface ConformanceFlags {
  shells?: string;
  toolboxes?: string;
  script?: string;
  scenarios?: string;
  module?: string;
  template?: string;
  json?: boolean;
  jsonFull?: boolean;
  junit?: string;
  concurrency?: string;
  var?: string[];
  varFile?: string[];
  explain?: boolean;
}

export function registerConformanceCommand(program: Command): void {
  program
    .command('conformance')
    .description('Run the shutdown script through every scenario under every shell and toolbox, against mock AgentAPI and coderd.')
    .option('--shells <list>', `comma-separated shells (default: all installed of ${SHELLS.map((shell) => shell.name).join(', ')})`)
    .option('--toolboxes <list>', `comma-separated toolboxes (default: ${TOOLBOXES.join(', ')})`)
    .option('--scenarios <list>', 'comma-separated scenario names or short names (default: all)')
    .option('--script <path>', "run this shutdown script instead of the module's, wrapped the same way")
    .option('--module <dir>', 'the agentapi module (main.tf and scripts/), or an agent module: then the agentapi module it nests, through its call (default: the generated modules/agentapi)')
    .option('--template <dir>', "a whole Coder template (e.g. examples/agent-task-template): run its stop script as terraform renders it with the stand-in providers, with the inputs its module call passes")
    .option('--var <name=value>', 'a value for a variable of the --template or agent --module, as terraform -var takes it (repeatable)', collect)
    .option('--var-file <file>', 'a .tfvars file for the --template or agent --module, as terraform -var-file takes it (repeatable); TF_VAR_<name> works too', collect)
    .option('--explain', "with --template: print each coder_script's name, module, version and effective ARG_* inputs (secrets masked) instead of running scenarios")
    .option('--concurrency <n>', `runs in flight at once (default: ${defaultConcurrency()})`)
    .option('--json', 'print a JSON summary instead of the table: per shell, toolbox and scenario the status, the broken promises with their messages, exit code and duration')
    .option('--json-full', 'print the full JSON instead: also each run\'s output, the requests the mocks saw and the stored snapshot (agent token REDACTED); megabytes for the whole matrix')
    .option('--junit <file>', 'also write a JUnit XML report to FILE (a testsuite per shell and toolbox, a testcase per scenario)')
    .action(async (flags: ConformanceFlags) => {
      process.exitCode = await conformance(flags);
    });
}

async function conformance(flags: ConformanceFlags): Promise<number> {
  const requested = parseShells(flags.shells);
  const toolboxes = parseToolboxes(flags.toolboxes);
  const scenarios = parseScenarios(flags.scenarios);
  const concurrency = parseConcurrency(flags.concurrency);
  const json = flags.jsonFull ? 'full' : flags.json ? 'summary' : undefined;
  const log = json !== undefined ? (line: string) => process.stderr.write(`${line}\n`) : (line: string) => process.stdout.write(`${line}\n`);
  if (flags.explain) return explain(flags);
  if (flags.junit !== undefined) await mustBeWritable(resolve(flags.junit), '--junit');

  const shells = requested.filter((shell) => shell.available);
  const skipped = requested.filter((shell) => !shell.available);
  for (const shell of skipped) log(`skipping shell ${shell.name}: ${shell.argv[0]} is not installed`);
  if (shells.length === 0) throw new CliError('none of the requested shells is installed');
  // After every check that can fail: a template's copy is removed only once the matrix has run.
  const prepared = await prepareRun(flags, log);
  const { moduleDir, scriptPath, caller } = prepared;
  if (flags.template === undefined) log(await checkBodySource(prepared.bodyCheckDir ?? DEFAULT_MODULE_DIR));

  const total = shells.length * toolboxes.length * scenarios.length;
  const progress = progressReporter(total, toolboxes.length * scenarios.length, Boolean(process.stderr.isTTY) && json === undefined);
  const report = await runConformance({ scenarios, shells, toolboxes, moduleDir, scriptPath, caller, concurrency, onResult: progress }).finally(() => prepared.remove());
  progress.done();

  if (flags.junit !== undefined) await writeFile(resolve(flags.junit), formatJunit(report));
  if (json !== undefined) process.stdout.write(formatJson(report, json));
  else writeTextReport(report, scenarios, total, log);
  return report.failed > 0 ? 1 : 0;
}

function writeTextReport(report: ConformanceReport, scenarios: readonly Scenario[], total: number, log: (line: string) => void): void {
  // ✓/✗ in colour on a terminal; plain ok/FAIL in logs, pipes and with NO_COLOR.
  const fancy = Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined;
  const width = process.stdout.isTTY ? (process.stdout.columns ?? DEFAULT_TABLE_WIDTH) : DEFAULT_TABLE_WIDTH;
  log(formatTable(report, scenarios, { fancy, width }));
  log('');
  if (report.skipped > 0) log(`${formatSkips(report)}\n`);
  log(`${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped (${total} runs, ${(report.durationMs / 1000).toFixed(1)} s)`);
  if (report.failed > 0) log(`\n${formatFailures(report, { fancy })}`);
}

/** The report file's directory must exist and be writable before the runs start, not after. */
async function mustBeWritable(path: string, flag: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) throw new UsageError(`${flag}: ${path} is a directory`);
  try {
    await access(info === undefined ? dirname(path) : path, constants.W_OK);
  } catch (error) {
    throw new UsageError(`${flag}: cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
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

/** `--explain`: what the template's coder_scripts run, printed instead of a matrix. */
async function explain(flags: ConformanceFlags): Promise<number> {
  if (flags.template === undefined) throw new UsageError('--explain needs --template DIR');
  if (flags.script !== undefined || flags.module !== undefined) throw new UsageError('--template renders its own scripts; it cannot be combined with --script or --module');
  process.stdout.write(`${await explainTemplateScripts(resolve(flags.template), { vars: flags.var, varFiles: flags.varFile })}\n`);
  return 0;
}

/** Lines of progress at most this often without a terminal, so a CI log shows the run is alive. */
const HEARTBEAT_MS = 15_000;

/**
 * On a terminal: one overwritten status line on stderr. Without one (CI): a line per shell once
 * all its runs are done, and a heartbeat line every HEARTBEAT_MS, both on stderr.
 */
function progressReporter(total: number, perShell: number, terminal: boolean): ((result: ScenarioResult) => void) & { done: () => void } {
  const started = performance.now();
  let finished = 0;
  let failed = 0;
  const shells = new Map<string, { done: number; failed: number; skipped: number }>();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  const heartbeat = terminal ? undefined : setInterval(() => process.stderr.write(`conformance: ${finished}/${total} runs done, ${failed} failed (${elapsed()})\n`), HEARTBEAT_MS);
  heartbeat?.unref();
  const report = (result: ScenarioResult) => {
    finished += 1;
    if (!result.passed) failed += 1;
    const shell = shells.get(result.shell) ?? { done: 0, failed: 0, skipped: 0 };
    shell.done += 1;
    if (!result.passed) shell.failed += 1;
    if (result.skipped !== undefined) shell.skipped += 1;
    shells.set(result.shell, shell);
    if (terminal) process.stderr.write(`\r${finished}/${total} runs, ${failed} failed`);
    else if (shell.done === perShell) {
      process.stderr.write(`conformance: shell ${result.shell} done: ${perShell} runs, ${shell.failed} failed, ${shell.skipped} skipped (${finished}/${total} overall, ${elapsed()})\n`);
    }
  };
  return Object.assign(report, {
    done: () => {
      if (heartbeat !== undefined) clearInterval(heartbeat);
      if (terminal) process.stderr.write('\r\u001b[K');
    },
  });
}

/**
 * The matrix runs the evaluator's bodies; where terraform is on PATH they must first be
 * byte-identical to what `terraform apply` renders for this module (else exit 1, before any run).
 */
async function checkBodySource(moduleDir: string): Promise<string> {
  if (defaultBodySource() === 'terraform') return 'coder_script bodies: terraform apply (stand-in provider) for every run';
  if (!terraformOnPath()) return 'coder_script bodies: the HCL evaluator (terraform is not on PATH to check it against)';
  const differing = await agreesWithTerraform(moduleDir, EXAMPLE_REQUIRED_VARIABLES);
  if (differing.length > 0) {
    throw new CliError(
      `the HCL evaluator and terraform render different ${differing.join(' and ')} for ${moduleDir}; rerun with AGENTAPI_KIT_SCRIPT_BODIES=terraform to use Terraform's bodies for every run`,
    );
  }
  return 'coder_script bodies: the HCL evaluator, checked byte-identical against terraform apply (stand-in provider)';
}
