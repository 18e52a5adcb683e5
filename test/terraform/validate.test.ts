import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODULE_DIR } from '../../src/agent-simulation/coder-script.ts';
import { initTerraform, runTerraform } from '../../src/terraform/run-terraform.ts';
import { setUpTerraformEnv, type TerraformEnv } from '../../src/terraform/terraform-env.ts';
import { hasCommand } from '../support/commands.ts';

const noTerraform = !hasCommand('terraform');
let work: string;
let tfEnv: TerraformEnv;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'agentapi-kit-validate-'));
  tfEnv = await setUpTerraformEnv(join(work, 'env'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe.skipIf(noTerraform)('terraform validate with the stand-in provider (needs terraform)', () => {
  it('passes on the generated module and fails on a wrong attribute name and a wrong type', async () => {
    const dir = join(work, 'agentapi');
    await cp(DEFAULT_MODULE_DIR, dir, { recursive: true });
    await initTerraform(dir, tfEnv.env);
    expect((await runTerraform(dir, tfEnv.env, ['validate'])).exitCode).toBe(0);

    const mainTf = join(dir, 'main.tf');
    const original = await readFile(mainTf, 'utf8');
    const broken = original.replace('display_name = "AgentAPI Shutdown"', 'display_nam  = "AgentAPI Shutdown"').replace('run_on_stop  = true', 'run_on_stop  = ["yes"]');
    expect(broken).not.toBe(original);
    await writeFile(mainTf, broken);
    const result = await runTerraform(dir, tfEnv.env, ['validate']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('An argument named "display_nam" is not expected here.');
    expect(result.stderr).toContain('Incorrect attribute value type');
  }, 180_000);
});
