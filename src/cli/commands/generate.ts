import type { Command } from 'commander';
import type { Config } from '../../config/schema.ts';
import { agentModuleSpecs } from '../../agents/agent-module-specs.ts';
import { AgentSpecError } from '../../agents/load-spec.ts';
import { loadConfig } from '../../config/load.ts';
import { checkAll, generateAll, hasDrift, staleDiffs } from '../../generate/generate-all.ts';
import type { ModuleSpec } from '../../generate/module-spec.ts';
import { agentapiModuleSpec, moduleSpecs } from '../../generate/module-specs.ts';
import type { ModulePlan } from '../../generate/plan-module.ts';
import { OwnershipError, type WriteReport } from '../../generate/write-module.ts';
import { CliError, UsageError } from '../errors.ts';

interface GenerateOptions {
  config?: string;
  out?: string;
  check?: boolean;
  force?: boolean;
  /** `--diff` true, `--no-diff` false, neither: only when short. */
  diff?: boolean;
}

/** Above this many lines, `--check` prints the diff only when asked (`--diff`): CI logs stay readable. */
export const AUTO_DIFF_MAX_LINES = 200;

const USAGE_EXIT = 2;

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Render the modules from templates/ (default: modules/agentapi/). Only files generate wrote itself are ever replaced or removed.')
    .option('--config <file>', 'JSON config file (see README, "Config reference")')
    .option('--out <dir>', 'render only the agentapi module, into this directory (overrides the config\'s outDir)')
    .option('--check', 'write nothing; exit 1 and name each stale, missing or unexpected file')
    .option('--diff', `with --check: print a unified diff of each stale file (default: only when under ${AUTO_DIFF_MAX_LINES} lines)`)
    .option('--no-diff', 'with --check: never print the diff')
    .option('--force', 'overwrite files at template paths even when they lack the generated notice')
    .action(async (options: GenerateOptions) => {
      process.exitCode = await runGenerate(options);
    });
}

/** `cwd` only names the files in diffs, so a patch applies from where the command ran. */
export async function runGenerate(options: GenerateOptions, cwd = process.cwd()): Promise<number> {
  validateOptions(options);
  const specs = await selectSpecs(await loadConfig(options.config), options.out);
  if (options.check) return reportDrift(await checkAll(specs), options.diff, cwd);
  try {
    for (const report of await generateAll(specs, { force: options.force })) reportWrite(report);
  } catch (error) {
    if (error instanceof OwnershipError) throw new CliError(error.message, USAGE_EXIT);
    throw error;
  }
  return 0;
}

function validateOptions(options: GenerateOptions): void {
  if (options.check && options.force) throw new UsageError('--force writes files, --check writes nothing: use one of them');
  if (!options.check && options.diff !== undefined) throw new UsageError(`--${options.diff ? '' : 'no-'}diff goes with --check`);
}

/**
 * Every module (agentapi, then each agent spec of the config beside it), or with `--out` only the
 * agentapi module the config describes: the others keep their places.
 */
async function selectSpecs(config: Config, out: string | undefined): Promise<ModuleSpec[]> {
  if (out !== undefined) return [{ ...agentapiModuleSpec(config), outDir: out }];
  const specs = moduleSpecs(config);
  try {
    return [...specs, ...(await agentModuleSpecs(config.agents, agentapiModuleSpec(config), config.registry ?? null))];
  } catch (error) {
    // A spec the user must fix is a usage error (exit 2, one message), not a crash.
    if (error instanceof AgentSpecError) throw new CliError(error.message, USAGE_EXIT);
    throw error;
  }
}

function reportWrite(report: WriteReport): void {
  const changed = report.written.length + report.removed.length;
  const summary = [`wrote ${report.written.length} file(s)`, ...(report.removed.length > 0 ? [`removed ${report.removed.length}`] : [])];
  process.stdout.write(`${changed === 0 ? 'Up to date' : capitalize(summary.join(', '))}: ${report.outDir}\n`);
  for (const path of report.written) process.stdout.write(`  ${path}\n`);
  for (const path of report.removed) process.stdout.write(`  removed: ${path}\n`);
  if (report.foreign.length === 0) return;
  const list = report.foreign.map((path) => `  ${path}`).join('\n');
  process.stderr.write(`Warning: ${report.outDir} holds files no template produces; they were left alone, and \`generate --check\` fails until they are moved out:\n${list}\n`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function reportDrift(plans: ModulePlan[], diff: boolean | undefined, cwd: string): number {
  for (const plan of plans) {
    if (hasDrift(plan)) process.stderr.write(describeDrift(plan));
    else process.stdout.write(`Up to date: ${plan.outDir}\n`);
  }
  writeDiffs(staleDiffs(plans, cwd), diff);
  return plans.some(hasDrift) ? 1 : 0;
}

function describeDrift(plan: ModulePlan): string {
  const lines = [
    ...plan.missing.map((file) => `  missing: ${file.path}`),
    ...plan.stale.map(({ file, modeOnly, ours }) => `  stale: ${file.path}${modeOnly ? ' (executable bit)' : ''}${ours ? '' : ' (no generated notice: generate overwrites it only with --force)'}`),
    ...plan.obsolete.map((path) => `  unexpected: ${path} (generated earlier, no template produces it: generate deletes it)`),
    ...plan.foreign.map((path) => `  unexpected: ${path}`),
    ...plan.blocked.map((path) => `  in the way: ${path}`),
  ];
  const advice = [
    ...(plan.missing.length + plan.stale.length + plan.obsolete.length > 0 ? ['Run `agentapi-kit generate` and commit the result.'] : []),
    ...(plan.foreign.length + plan.blocked.length > 0 ? ['Move the files generate did not write out of the module directory.'] : []),
  ];
  return `${plan.outDir} does not match its templates:\n${lines.join('\n')}\n${advice.join('\n')}\n`;
}

/** Diffs go to stdout, so `generate --check --diff | git apply` fixes the drift; the summary stays on stderr. */
function writeDiffs(diffs: string[], diff: boolean | undefined): void {
  if (diffs.length === 0 || diff === false) return;
  const text = diffs.join('');
  const lineCount = text.split('\n').length - 1;
  if (diff === undefined && lineCount > AUTO_DIFF_MAX_LINES) {
    process.stderr.write(`(the diff is ${lineCount} lines; pass --diff to print it)\n`);
    return;
  }
  process.stdout.write(text);
}
