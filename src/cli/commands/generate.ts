import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { renderModule } from '../../generate/render-module.ts';
import { checkModule, hasDrift, writeModule, type DriftReport } from '../../generate/write-module.ts';

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
  if (options.check) return reportDrift(outDir, await checkModule(outDir, files));
  const written = await writeModule(outDir, files);
  process.stdout.write(`${written.length === 0 ? 'Up to date' : `Wrote ${written.length} file(s)`}: ${outDir}\n`);
  for (const path of written) process.stdout.write(`  ${path}\n`);
  return 0;
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
  process.stderr.write(`${outDir} does not match its templates:\n${lines.join('\n')}\nRun \`agentapi-kit generate\` and commit the result.\n`);
  return 1;
}
