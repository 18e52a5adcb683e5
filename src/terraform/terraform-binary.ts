/** Finds the terraform binary and checks that it is new enough for what agentapi-kit runs. */
import { spawnSync } from 'node:child_process';

/** `terraform test` with `override_data` (the module's test) came in 1.7. */
export const MIN_TERRAFORM_VERSION = '1.7.0';

export class TerraformUnavailableError extends Error {
  override name = 'TerraformUnavailableError';
}

/** The version of `terraform` on PATH; throws TerraformUnavailableError when missing or too old. */
export function checkTerraform(bin = 'terraform', env: NodeJS.ProcessEnv = process.env): string {
  // CHECKPOINT_DISABLE: `version` otherwise asks HashiCorp's server whether it is outdated.
  const result = spawnSync(bin, ['version', '-json'], { encoding: 'utf8', env: { ...env, CHECKPOINT_DISABLE: '1' }, timeout: 30_000 });
  if (result.error !== undefined) {
    const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new TerraformUnavailableError(missing ? `${bin} not found on PATH; install Terraform >= ${MIN_TERRAFORM_VERSION} (https://developer.hashicorp.com/terraform/install)` : `could not run ${bin}: ${result.error.message}`);
  }
  const version = parseVersion(result.stdout);
  if (version === undefined) throw new TerraformUnavailableError(`could not read the version of ${bin} (\`${bin} version -json\` exited ${result.status}): ${result.stderr.trim().split('\n')[0] ?? ''}`);
  if (compareVersions(version, MIN_TERRAFORM_VERSION) < 0) throw new TerraformUnavailableError(`${bin} is version ${version}; agentapi-kit needs Terraform >= ${MIN_TERRAFORM_VERSION}`);
  return version;
}

function parseVersion(stdout: string): string | undefined {
  try {
    const parsed = JSON.parse(stdout) as { terraform_version?: unknown };
    return typeof parsed.terraform_version === 'string' ? parsed.terraform_version : undefined;
  } catch {
    return undefined;
  }
}

/** Compares dotted versions numerically (1.10.0 > 1.9.5); a pre-release suffix is ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (version: string) => version.split('-')[0]!.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [left, right] = [parts(a), parts(b)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const diff = (left[index] ?? 0) - (right[index] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
