// Done means: a template written for the registry's goose, aider, opencode and sourcegraph-amp
// modules switches to ours by changing each module block's source and version lines, nothing else,
// and then plans cleanly with the same inputs, with the log snapshot on the stop.
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTerraform, runTerraform } from '../../src/terraform/run-terraform.ts';
import { setUpTerraformEnv, type TerraformEnv } from '../../src/terraform/terraform-env.ts';
import { hasCommand } from '../support/commands.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DROP_INS = ['goose', 'aider', 'opencode', 'sourcegraph-amp'];

/** A template as the registry modules' READMEs write it (their usage blocks, count and all). */
const REGISTRY_TEMPLATE = `terraform {
  required_providers {
    coder = { source = "coder/coder" }
  }
}

variable "api_key" {
  type      = string
  sensitive = true
  default   = "sk-test"
}

data "coder_workspace" "me" {}

resource "coder_agent" "main" {
  os   = "linux"
  arch = "amd64"
}

module "goose" {
  count            = data.coder_workspace.me.start_count
  source           = "registry.coder.com/coder/goose/coder"
  version          = "3.0.1"
  agent_id         = coder_agent.main[0].id
  folder           = "/home/coder"
  install_goose    = true
  goose_version    = "v1.0.31"
  goose_provider   = "anthropic"
  goose_model      = "claude-3-5-sonnet-latest"
  agentapi_version = "latest"
  order            = 1
  group            = "Agents"
  subdomain        = true

  additional_extensions = <<-EOT
  desktop-commander:
    cmd: desktop-commander
    enabled: true
    type: stdio
  EOT
}

module "aider" {
  count            = data.coder_workspace.me.start_count
  source           = "registry.coder.com/coder/aider/coder"
  version          = "2.0.1"
  agent_id         = coder_agent.main[0].id
  api_key          = var.api_key
  install_aider    = true
  workdir          = "/home/coder"
  ai_provider      = "google"
  model            = "gemini"
  install_agentapi = true
  ai_prompt        = "Help me write better code"
  system_prompt    = "..."
}

module "opencode" {
  source   = "registry.coder.com/coder-labs/opencode/coder"
  version  = "0.1.3"
  agent_id = coder_agent.main[0].id
  workdir  = "/home/coder/project"

  auth_json   = jsonencode({ google = { type = "api", key = "gem-xxx" } })
  config_json = jsonencode({ "$schema" = "https://opencode.ai/config.json" })
}

module "amp" {
  source      = "registry.coder.com/coder-labs/sourcegraph-amp/coder"
  version     = "3.0.0"
  agent_id    = coder_agent.main[0].id
  amp_api_key = var.api_key
  install_amp = true
  workdir     = "/home/coder/project"
  mcp         = jsonencode({ playwright = { command = "npx", args = ["-y", "@playwright/mcp"] } })
}
`.replace(/coder_agent\.main\[0\]\.id/g, 'coder_agent.main.id');

/** The switch: each registry source line becomes our module's path, each version line goes. */
function switchToDropIns(template: string): string {
  return template
    .replace(/^(\s*)source(\s*)= "registry\.coder\.com\/coder(?:-labs)?\/([a-z-]+)\/coder"$/gm, (_line, indent: string, gap: string, slug: string) => `${indent}source${gap}= "../modules/${slug}"`)
    .replace(/^\s*version\s*= "\d+\.\d+\.\d+"\n/gm, '');
}

describe.skipIf(!hasCommand('terraform'))('switching a template from the registry agent modules to the drop-ins (needs terraform)', () => {
  let work: string;
  let tfEnv: TerraformEnv;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'agentapi-kit-switch-'));
    tfEnv = await setUpTerraformEnv(join(work, 'env'));
    for (const slug of ['agentapi', ...DROP_INS]) await cp(join(ROOT, 'modules', slug), join(work, 'modules', slug), { recursive: true });
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('changes only the source and version lines', () => {
    const before = REGISTRY_TEMPLATE.split('\n');
    const after = switchToDropIns(REGISTRY_TEMPLATE).split('\n');
    expect(before.filter((line) => !/^\s*(source|version)\s*=/.test(line) || line.includes('coder/coder'))).toEqual(after.filter((line) => !/^\s*source\s*= "\.\.\/modules\//.test(line)));
    expect(after.filter((line) => line.includes('../modules/'))).toHaveLength(4);
  });

  it('plans with the same inputs, each drop-in with its snapshot on the stop', async () => {
    const template = join(work, 'template');
    await mkdir(template);
    await writeFile(join(template, 'main.tf'), switchToDropIns(REGISTRY_TEMPLATE));
    await initTerraform(template, tfEnv.env);
    const plan = await runTerraform(template, tfEnv.env, ['plan', '-input=false']);
    expect(plan.exitCode, plan.stderr).toBe(0);
    for (const module of ['goose[0]', 'aider[0]', 'opencode', 'amp']) {
      expect(plan.stdout).toContain(`module.${module}.module.agentapi.coder_script.agentapi_shutdown`);
    }
    expect(plan.stdout).not.toContain('Warning');
  }, 240_000);
});
