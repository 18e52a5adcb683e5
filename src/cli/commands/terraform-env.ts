import type { Command } from 'commander';
import { checkTerraform, TerraformUnavailableError } from '../../terraform/terraform-binary.ts';
import { defaultTerraformEnvDir, setUpTerraformEnv, STAND_IN_VERSION } from '../../terraform/terraform-env.ts';
import { CliError, UsageError } from '../errors.ts';

interface TerraformEnvOptions {
  dir?: string;
  dockerStandIn?: boolean;
}

export function registerTerraformEnvCommand(program: Command): void {
  program
    .command('terraform-env')
    .description('Set up the offline stand-in for the coder/coder provider and print the environment to export, for terraform init/validate/plan/test.')
    .option('--dir <dir>', `where the provider mirror and CLI config go (default: ${defaultTerraformEnvDir()})`)
    .option('--docker-stand-in', 'also stand in for kreuzwerker/docker (a schema subset; for validating Docker templates offline)')
    .action(async (options: TerraformEnvOptions) => {
      process.stdout.write(await runTerraformEnv(options));
    });
}

/** The `export` lines, for `eval "$(agentapi-kit terraform-env)"`. */
export async function runTerraformEnv(options: TerraformEnvOptions): Promise<string> {
  if (options.dir === '') throw new UsageError('--dir must not be empty');
  let version: string;
  try {
    version = checkTerraform();
  } catch (error) {
    if (error instanceof TerraformUnavailableError) throw new CliError(error.message);
    throw error;
  }
  const dir = options.dir ?? defaultTerraformEnvDir();
  let setUp: Awaited<ReturnType<typeof setUpTerraformEnv>>;
  try {
    setUp = await setUpTerraformEnv(dir, { docker: options.dockerStandIn === true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EPERM') {
      throw new UsageError(`cannot write the provider mirror under ${dir} (${code}); pass --dir with a writable directory`);
    }
    throw error;
  }
  const lines = [`# terraform ${version}; coder/coder ${STAND_IN_VERSION} stand-in from ${setUp.mirrorDir}`];
  for (const [name, value] of Object.entries(setUp.env)) lines.push(`export ${name}='${value.replace(/'/g, `'\\''`)}'`);
  return `${lines.join('\n')}\n`;
}
