import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { AgentSpecError } from '../../agents/load-spec.ts';
import { renderAgentModules } from '../../agents/agent-modules.ts';
import { renderModule } from '../../generate/render-module.ts';
import { CliError } from '../errors.ts';
import { checkModule, hasDrift, syncModule, type DriftReport, type WriteReport } from '../../generate/write-module.ts';

interface GenerateOptions {
  config?: string;
  out?: string;
  check?: boolean;
}

export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Render the agentapi module from templates/ (default output: modules/agentapi/).')
    .option('--config <file>', 'JSON config file (see README, "Config reference")')
    .option('--out <dir>', 'output directory (overrides the config\'s outDir)')
    .option('--check', 'write nothing; exit 1 and name each stale, missing or unexpected file')
    .action(async (options: GenerateOptions) => {
      process.exitCode = await runGenerate(options);
    });
}

export async function runGenerate(options: GenerateOptions): Promise<number> {
  const config = await loadConfig(options.config);
  const outDir = resolve(options.out ?? config.outDir);
  const files = await renderModule(config);
  const agents = await renderAgentModules(config.agents, files, outDir).catch(rethrowSpecError);
  const modules = [{ outDir, files }, ...agents];
  if (options.check) {
    let status = 0;
    for (const module of modules) status = Math.max(status, reportDrift(module.outDir, await checkModule(module.outDir, module.files)));
    return status;
  }
  for (const module of modules) reportWrite(module.outDir, await syncModule(module.outDir, module.files));
  return 0;
}

function reportWrite(outDir: string, report: WriteReport): void {
  const changed = report.written.length + report.removed.length;
  const summary = [`wrote ${report.written.length} file(s)`, ...(report.removed.length > 0 ? [`removed ${report.removed.length}`] : [])];
  process.stdout.write(`${changed === 0 ? 'Up to date' : capitalize(summary.join(', '))}: ${outDir}\n`);
  for (const path of report.written) process.stdout.write(`  ${path}\n`);
  for (const path of report.removed) process.stdout.write(`  removed: ${path}\n`);
  if (report.foreign.length === 0) return;
  const list = report.foreign.map((path) => `  ${path}`).join('\n');
  process.stderr.write(`Warning: ${outDir} holds files no template produces; they were left alone, and \`generate --check\` fails until they are moved out:\n${list}\n`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function reportDrift(outDir: string, report: DriftReport): number {
  if (!hasDrift(report)) {
    process.stdout.write(`Up to date: ${outDir}\n`);
    return 0;
  }
  const lines = [
    ...report.missing.map((path) => `  missing: ${path}`),
    ...report.stale.map((path) => `  stale: ${path}`),
    ...report.unexpected.map((path) => `  unexpected: ${path}`),
  ];
  const advice = [
    ...(report.missing.length + report.stale.length > 0 ? ['Run `agentapi-kit generate` and commit the result.'] : []),
    ...(report.unexpected.length > 0 ? ['Unexpected files: `generate` deletes the ones it generated earlier; move any other file out of the module directory.'] : []),
  ];
  process.stderr.write(`${outDir} does not match its templates:\n${lines.join('\n')}\n${advice.join('\n')}\n`);
  return 1;
}

/** A spec the user must fix is a usage error (exit 2, one message), not a crash. */
function rethrowSpecError(error: unknown): never {
  if (error instanceof AgentSpecError) throw new CliError(error.message, 2);
  throw error;
}
