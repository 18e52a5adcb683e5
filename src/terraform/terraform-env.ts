/**
 * Sets up what lets Terraform use the stand-in Coder provider offline: a filesystem mirror in
 * unpacked layout holding a #!/bin/sh launcher, and a CLI configuration that installs
 * coder/coder from that mirror and every other provider as usual.
 */
import { access, chmod, constants, mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The real provider's version the stand-in's schema follows (terraform-provider-coder's published schema). */
export const STAND_IN_VERSION = '2.17.0';
export const CODER_PROVIDER_ADDRESS = 'registry.terraform.io/coder/coder';

interface StandIn {
  address: string;
  version: string;
  type: string;
}

const CODER_STAND_IN: StandIn = { address: CODER_PROVIDER_ADDRESS, version: STAND_IN_VERSION, type: 'coder' };
/** Opt-in: a schema subset of kreuzwerker/docker, for validating Docker templates offline. */
const DOCKER_STAND_IN: StandIn = { address: 'registry.terraform.io/kreuzwerker/docker', version: '3.6.2', type: 'docker' };

// From the package root, not from this file: the CLI may run bundled from dist/cli/, where no
// launch.mjs sits. Both src/terraform/ and dist/cli/ are two levels below the root.
const LAUNCH_SCRIPT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'terraform', 'provider', 'launch.mjs');

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

async function writeLauncher(mirrorDir: string, standIn: StandIn): Promise<void> {
  const executableDir = join(mirrorDir, standIn.address, standIn.version, terraformPlatform());
  await mkdir(executableDir, { recursive: true });
  const name = standIn.address.split('/').at(-1);
  const executable = join(executableDir, `terraform-provider-${name}_v${standIn.version}`);
  await writeFile(executable, launcherScript(process.execPath, LAUNCH_SCRIPT, standIn.type));
  await chmod(executable, 0o755);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The mirror's executable: the node running now, on the TypeScript stand-in. */
export function launcherScript(nodePath: string = process.execPath, launch: string = LAUNCH_SCRIPT, type = 'coder'): string {
  const env = type === 'coder' ? '' : `AGENTAPI_KIT_STAND_IN=${type} `;
  return `#!/bin/sh\n# Written by agentapi-kit terraform-env: the stand-in for a Terraform provider (${type}).\n${env}exec ${shellQuote(nodePath)} ${shellQuote(launch)} "$@"\n`;
}

export function cliConfig(mirrorDir: string, addresses: string[] = [CODER_PROVIDER_ADDRESS]): string {
  const list = addresses.map((address) => JSON.stringify(address)).join(', ');
  return [
    '# Written by agentapi-kit terraform-env: the stand-ins come from the mirror, every other provider as usual.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${list}]`,
    '  }',
    '  direct {',
    `    exclude = [${list}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export interface SetUpOptions {
  /** Also stand in for kreuzwerker/docker (validation of Docker templates without network). */
  docker?: boolean;
}

/** Writes the mirror and the CLI configuration under `dir`; safe to run again (it rewrites both). */
export async function setUpTerraformEnv(dir: string = defaultTerraformEnvDir(), options: SetUpOptions = {}): Promise<TerraformEnv> {
  const root = resolve(dir);
  const mirrorDir = join(root, 'mirror');
  const standIns = options.docker ? [CODER_STAND_IN, DOCKER_STAND_IN] : [CODER_STAND_IN];
  await rm(mirrorDir, { recursive: true, force: true });
  for (const standIn of standIns) await writeLauncher(mirrorDir, standIn);
  await access(root, constants.W_OK);
  const configFile = join(root, 'terraformrc');
  await writeFile(configFile, cliConfig(mirrorDir, standIns.map((standIn) => standIn.address)));
  // CHECKPOINT_DISABLE: Terraform otherwise asks checkpoint-api.hashicorp.com about new versions.
  return { dir: root, mirrorDir, configFile, env: { TF_CLI_CONFIG_FILE: configFile, CHECKPOINT_DISABLE: '1' } };
}
