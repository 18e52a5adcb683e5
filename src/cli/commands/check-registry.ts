import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { loadAgentSpec, AgentSpecError } from '../../agents/load-spec.ts';
import { loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { registryChecks, type RegistryCheck } from '../../registry/registry-checks.ts';
import { CliError, UsageError } from '../errors.ts';

interface CheckRegistryOptions {
  config?: string;
  namespace?: string;
  icons?: string;
}

export function registerCheckRegistryCommand(program: Command): void {
  program
    .command('check-registry')
    .description("Run the Coder registry's CI checks (prettier, terraform fmt, shellcheck, README rules) on module directories (default: every module generate writes), laid out as the registry holds them.")
    .argument('[dirs...]', 'module directories to check')
    .option('--config <file>', 'JSON config file: its registry.namespace and, without dirs, its modules')
    .option('--namespace <name>', 'the registry namespace to lay the modules out in (default: the config\'s registry.namespace)')
    .option('--icons <dir>', "the registry's .icons/ directory, to check each README's icon exists there")
    .action(async (dirs: string[], options: CheckRegistryOptions) => {
      process.exitCode = await runCheckRegistry(dirs, options);
    });
}

export async function runCheckRegistry(dirs: string[], options: CheckRegistryOptions): Promise<number> {
  const config = await loadConfig(options.config);
  const namespace = options.namespace ?? config.registry?.namespace;
  if (namespace === undefined) throw new UsageError('no registry namespace: set "registry": {"namespace", "version"} in the config or pass --namespace');
  if (options.icons !== undefined && !existsSync(options.icons)) throw new UsageError(`--icons ${options.icons} does not exist`);
  const moduleDirs = dirs.length > 0 ? dirs : await generatedModuleDirs(config);
  for (const dir of moduleDirs) if (!existsSync(dir)) throw new UsageError(`${dir} does not exist`);
  const duplicate = moduleDirs.map((dir) => basename(dir)).find((name, index, all) => all.indexOf(name) !== index);
  if (duplicate !== undefined) throw new UsageError(`two module directories are named ${duplicate}: the registry holds one module per name`);
  const checks = await registryChecks(moduleDirs, { namespace, iconsDir: options.icons });
  const names = new Map(moduleDirs.map((dir) => [`registry/${namespace}/modules/${basename(dir)}`, dir.replace(/\/+$/, '')]));
  for (const check of checks) report(check, names);
  const failed = checks.filter((check) => check.problems.length > 0).length;
  if (failed > 0 && config.registry === undefined) {
    process.stdout.write('Note: without "registry" in the config, the READMEs show local module paths with no version, which the registry refuses.\n');
  }
  process.stdout.write(failed === 0 ? `The registry's checks pass on ${moduleDirs.length} module(s).\n` : `${failed} of ${checks.length} registry checks failed.\n`);
  return failed === 0 ? 0 : 1;
}

/** The agentapi module and each agent module of the config, where generate writes them. */
async function generatedModuleDirs(config: Config): Promise<string[]> {
  const dirs = [config.outDir];
  for (const path of config.agents) {
    try {
      dirs.push(join(dirname(config.outDir), (await loadAgentSpec(path)).slug));
    } catch (error) {
      if (error instanceof AgentSpecError) throw new CliError(error.message, 2);
      throw error;
    }
  }
  return dirs;
}

/** One line per check, its problems below it, paths named as the user's directories. */
function report(check: RegistryCheck, names: Map<string, string>): void {
  process.stdout.write(`${check.problems.length === 0 ? 'ok  ' : 'FAIL'} ${check.name}\n`);
  for (const problem of check.problems) process.stdout.write(`  ${renamePaths(problem, names)}\n`);
}

function renamePaths(text: string, names: Map<string, string>): string {
  let result = text;
  for (const [inRegistry, dir] of names) result = result.split(`${inRegistry}/`).join(`${dir}/`).split(inRegistry).join(dir);
  return result;
}
