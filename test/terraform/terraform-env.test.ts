import { mkdtemp, readFile, rm, stat, writeFile, chmod, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareVersions } from '../../src/terraform/terraform-binary.ts';
import { cliConfig, launcherScript, terraformPlatform } from '../../src/terraform/terraform-env.ts';
import { runCli } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';

let work: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'agentapi-kit-tfenv-'));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** A directory holding only a fake `terraform` that reports `version`. */
async function fakeTerraform(version: string): Promise<string> {
  const bin = join(work, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'terraform'), `#!/bin/sh\nprintf '{"terraform_version":"%s"}\\n' '${version}'\n`);
  await chmod(join(bin, 'terraform'), 0o755);
  return bin;
}

describe('agentapi-kit terraform-env', () => {
  it('writes a mirror with an executable launcher and a CLI config, and prints the exports', async () => {
    const dir = join(work, 'env');
    const result = runCli(['terraform-env', '--dir', dir], { env: { PATH: `${await fakeTerraform('1.11.4')}:${process.env.PATH}` } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`export TF_CLI_CONFIG_FILE='${join(dir, 'terraformrc')}'`);
    expect(result.stdout).toContain("export CHECKPOINT_DISABLE='1'");
    const launcher = join(dir, 'mirror/registry.terraform.io/coder/coder/2.17.0', terraformPlatform(), 'terraform-provider-coder_v2.17.0');
    expect((await stat(launcher)).mode & 0o111).toBe(0o111);
    expect(await readFile(launcher, 'utf8')).toBe(launcherScript());
    expect(await readFile(join(dir, 'terraformrc'), 'utf8')).toBe(cliConfig(join(dir, 'mirror')));
  });

  it('fails with exit 1 and says what to install when terraform is not on PATH', async () => {
    const result = runCli(['terraform-env', '--dir', join(work, 'env')], { env: { PATH: join(work, 'empty') } });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Error: terraform not found on PATH; install Terraform >= 1.7.0 (https://developer.hashicorp.com/terraform/install)\n');
  });

  it('fails with exit 1 when terraform is older than 1.7 (terraform test needs override_data)', async () => {
    const result = runCli(['terraform-env', '--dir', join(work, 'env')], { env: { PATH: `${await fakeTerraform('1.5.7')}:${process.env.PATH}` } });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('Error: terraform is version 1.5.7; agentapi-kit needs Terraform >= 1.7.0\n');
  });

  it('fails with exit 2 when --dir cannot be written', async () => {
    await writeFile(join(work, 'a-file'), '');
    const result = runCli(['terraform-env', '--dir', join(work, 'a-file', 'sub')], { env: { PATH: `${await fakeTerraform('1.11.4')}:${process.env.PATH}` } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^Error: cannot write the provider mirror under .*a-file\/sub \(ENOTDIR\); pass --dir with a writable directory\n/);
  });

  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.5')).toBe(1);
    expect(compareVersions('1.7.0', '1.7.0')).toBe(0);
    expect(compareVersions('1.6.6', '1.7.0')).toBe(-1);
    expect(compareVersions('1.7.0-beta1', '1.7.0')).toBe(0);
  });

  it.skipIf(!hasCommand('terraform'))('finds the real terraform (needs terraform)', () => {
    const result = runCli(['terraform-env', '--dir', join(work, 'env')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^# terraform \d+\.\d+\.\d+; coder\/coder 2\.17\.0 stand-in/);
  });
});
