/**
 * Sets up what lets Terraform use the stand-in Coder provider offline: a filesystem mirror in
 * unpacked layout holding a #!/bin/sh launcher, and a CLI configuration that installs
 * coder/coder from that mirror and every other provider as usual.
 */
import { access, chmod, constants, mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real provider's version the stand-in's schema follows (../shared/reference). */
export const STAND_IN_VERSION = '2.17.0';
export const CODER_PROVIDER_ADDRESS = 'registry.terraform.io/coder/coder';

const LAUNCH_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), 'provider', 'launch.mjs');

export interface TerraformEnv {
  dir: string;
  mirrorDir: string;
  configFile: string;
  /** What to export before running terraform. */
  env: Record<string, string>;
}

/** Where terraform-env puts its files unless told: the user's cache, shared by every checkout. */
export function defaultTerraformEnvDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== '' ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(cache, 'agentapi-kit', 'terraform');
}

/** Terraform's name for this machine's platform, e.g. linux_amd64. */
export function terraformPlatform(platform: string = process.platform, arch: string = process.arch): string {
  const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${platform === 'win32' ? 'windows' : platform}_${goArch[arch] ?? arch}`;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The mirror's executable: the node running now, on the TypeScript stand-in. */
export function launcherScript(nodePath: string = process.execPath, launch: string = LAUNCH_SCRIPT): string {
  return `#!/bin/sh\n# Written by agentapi-kit terraform-env: the stand-in for the coder/coder provider.\nexec ${shellQuote(nodePath)} ${shellQuote(launch)} "$@"\n`;
}

export function cliConfig(mirrorDir: string): string {
  const address = JSON.stringify(CODER_PROVIDER_ADDRESS);
  return [
    '# Written by agentapi-kit terraform-env: coder/coder comes from the stand-in mirror, the rest as usual.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${address}]`,
    '  }',
    '  direct {',
    `    exclude = [${address}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Writes the mirror and the CLI configuration under `dir`; safe to run again (it rewrites both). */
export async function setUpTerraformEnv(dir: string = defaultTerraformEnvDir()): Promise<TerraformEnv> {
  const root = resolve(dir);
  const mirrorDir = join(root, 'mirror');
  const executableDir = join(mirrorDir, CODER_PROVIDER_ADDRESS, STAND_IN_VERSION, terraformPlatform());
  await mkdir(executableDir, { recursive: true });
  await access(root, constants.W_OK);
  const executable = join(executableDir, `terraform-provider-coder_v${STAND_IN_VERSION}`);
  await writeFile(executable, launcherScript());
  await chmod(executable, 0o755);
  const configFile = join(root, 'terraformrc');
  await writeFile(configFile, cliConfig(mirrorDir));
  // CHECKPOINT_DISABLE: Terraform otherwise asks checkpoint-api.hashicorp.com about new versions.
  return { dir: root, mirrorDir, configFile, env: { TF_CLI_CONFIG_FILE: configFile, CHECKPOINT_DISABLE: '1' } };
}
