/**
 * `conformance --template` and `--explain` as a template author meets them: the shipped agent
 * template, and a template in a folder of its own outside this repository, with its own copy of the
 * modules, its own settings and a required variable. Each run renders the template with terraform
 * (stand-in providers), so the runs are few: one shell (dash), one toolbox, a few scenarios.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';

const REPO = resolve(import.meta.dirname, '../..');
const QUICK = ['--shells', 'dash', '--toolboxes', 'full'];
const TIMEOUT = { timeoutMs: 120_000 };

/** A template of the user's own: goose through ./modules/goose, the snapshot off, a required variable, a secret in the folder. */
const OWN_TEMPLATE = `terraform {
  required_providers {
    coder = {
      source = "coder/coder"
    }
  }
}

variable "goose_model" {
  type = string
}

variable "project_secret" {
  type      = string
  sensitive = true
  default   = "s3cr3t-project"
}

data "coder_workspace" "me" {}

resource "coder_agent" "main" {
  arch = "amd64"
  os   = "linux"
}

module "goose" {
  count  = data.coder_workspace.me.start_count
  source = "./modules/goose"

  agent_id       = coder_agent.main.id
  goose_provider = "anthropic"
  goose_model    = var.goose_model
  folder         = "/home/coder/\${var.project_secret}"

  task_log_snapshot          = false
  shutdown_snapshot_deadline = 3
}
`;

describe.skipIf(!hasCommand('terraform'))('conformance --template as a template author runs it (needs terraform)', () => {
  let own: string;

  beforeAll(async () => {
    own = await mkdtemp(join(tmpdir(), 'own-template-'));
    await mkdir(join(own, 'modules'));
    for (const module of ['goose', 'agentapi']) await cp(join(REPO, 'modules', module), join(own, 'modules', module), { recursive: true });
    await writeFile(join(own, 'main.tf'), OWN_TEMPLATE);
    await writeFile(join(own, 'model.tfvars'), 'goose_model = "claude-sonnet"\n');
  });
  afterAll(async () => {
    await rm(own, { recursive: true, force: true });
  });

  it('runs the shipped agent template (codex -> ../agentapi) with its inputs, and skips by name what it cannot apply', () => {
    const result = runCli(['conformance', '--template', 'examples/agent-task-template', ...QUICK, '--scenarios', 'happy-path,snapshot-disabled'], { cwd: REPO, ...TIMEOUT });
    expect(result.stderr).not.toContain('escapes module package');
    expect(result.stdout).toContain('running module.codex[0].module.agentapi.coder_script.agentapi_shutdown');
    expect(result.stdout).toContain('module_dir_name = ".codex-module"');
    expect(result.stdout).toContain("skipped snapshot-disabled: needs task_log_snapshot = false; the template's call of module.codex[0].module.agentapi passes true");
    expect(result.stdout).toContain('1 passed, 0 failed, 1 skipped');
    expect(result.status).toBe(0);
  }, 150_000);

  it('says which variable has no value and how to give it (exit 2)', () => {
    const result = runCli(['conformance', '--template', own, ...QUICK, '--scenarios', 'happy-path'], TIMEOUT);
    expect(result.stderr).toMatch(/^Error: --template .*: the template has no value for "goose_model"; give the template its variables with --var NAME=VALUE, --var-file FILE \(terraform syntax\) or TF_VAR_NAME in the environment$/m);
    expect(result.status).toBe(2);
  }, 150_000);

  it("runs a template's stop script with the template's own task_log_snapshot = false: nothing is fetched or posted", async () => {
    const result = runCli(['conformance', '--template', own, '--var-file', join(own, 'model.tfvars'), ...QUICK, '--scenarios', 'happy-path,agentapi-ignores-sigterm', '--json-full'], TIMEOUT);
    expect(result.stderr).toContain('task_log_snapshot = false');
    expect(result.stderr).toContain('shutdown_snapshot_deadline = 3');
    expect(result.stderr).toContain('module.goose[0].module.agentapi');
    const report = JSON.parse(result.stdout) as { passed: number; failed: number; results: Array<{ scenario: string; output: string; snapshot: unknown; requests: { coderd: unknown[]; agentapi: unknown[] } }> };
    expect(report).toMatchObject({ passed: 2, failed: 0 });
    for (const run of report.results) {
      expect(run.output, run.scenario).toContain('Log snapshot disabled, skipping');
      expect(run.output, run.scenario).not.toContain('Log snapshot posted successfully');
      expect(run.snapshot, run.scenario).toBeNull();
      expect(run.requests.agentapi, run.scenario).toEqual([]);
    }
    expect(report.results.find((run) => run.scenario === 'agentapi-ignores-sigterm')?.output).toMatch(/SIGKILL|still running/);
    expect(result.status).toBe(0);
    // The user's folder is left as it was: terraform ran in a copy.
    await expect(readFile(join(own, 'terraform.tfstate'))).rejects.toThrow();
  }, 150_000);

  it('--explain prints each script with its module, digest and inputs, the secret masked', () => {
    const result = runCli(['conformance', '--template', own, '--var', 'goose_model=claude-sonnet', '--explain'], TIMEOUT);
    expect(result.stdout).toContain('module.goose[0].module.agentapi.coder_script.agentapi_shutdown (runs on stop)');
    expect(result.stdout).toMatch(/script: agentapi-shutdown\.sh, sha256:[0-9a-f]{12}, \d+ bytes, generated by agentapi-kit from templates\/agentapi\/scripts\/agentapi-shutdown\.sh\.hbs/);
    expect(result.stdout).toMatch(/ARG_TASK_LOG_SNAPSHOT +false/);
    expect(result.stdout).toMatch(/ARG_SNAPSHOT_DEADLINE +3/);
    expect(result.stdout).toMatch(/ARG_WORKDIR +\(sensitive, not shown\)/);
    expect(result.stdout).not.toContain('s3cr3t-project');
    expect(result.status).toBe(0);
  }, 150_000);
});

/** A variable-mode template (its own generated module) that passes var.task_id, "" by default. */
const VARIABLE_MODE_TEMPLATE = `terraform {
  required_providers {
    coder = {
      source = "coder/coder"
    }
  }
}

variable "task_id" {
  type    = string
  default = ""
}

resource "coder_agent" "main" {
  arch = "amd64"
  os   = "linux"
}

module "agentapi" {
  source               = "./modules/agentapi-variable"
  agent_id             = coder_agent.main.id
  web_app_slug         = "x"
  web_app_display_name = "X"
  web_app_icon         = "/icon/x.svg"
  cli_app_slug         = "x-cli"
  cli_app_display_name = "X CLI"
  start_script         = "echo start"
  module_dir_name      = ".x-module"
  task_id              = var.task_id
}
`;

describe.skipIf(!hasCommand('terraform'))("a template's task-ID source (needs terraform)", () => {
  it('a variable-mode template passing task_id = "": no task ID, nothing fetched or posted; the var.task_id scenario skipped by name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'variable-template-'));
    try {
      expect(runCli(['generate', '--config', join(REPO, 'examples/task-template/variable-mode.json'), '--out', join(dir, 'modules/agentapi-variable')], { cwd: REPO }).status).toBe(0);
      await writeFile(join(dir, 'main.tf'), VARIABLE_MODE_TEMPLATE);
      const result = runCli(['conformance', '--template', dir, ...QUICK, '--scenarios', 'happy-path,task-id-variable', '--json-full'], TIMEOUT);
      expect(result.stderr).toContain('task_id = ""');
      const report = JSON.parse(result.stdout) as { passed: number; failed: number; skipped: number; results: Array<{ scenario: string; skipped?: string; output: string; requests: { coderd: unknown[] } }> };
      expect(report).toMatchObject({ passed: 1, failed: 0, skipped: 1 });
      const happy = report.results.find((run) => run.scenario === 'happy-path');
      expect(happy?.output).toContain('No task ID, skipping log snapshot');
      expect(happy?.requests.coderd).toEqual([]);
      expect(report.results.find((run) => run.scenario === 'task-id-variable')?.skipped).toMatch(/^needs task_id = ".+"; the template's call of module\.agentapi passes ""$/);
      expect(result.status).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('conformance --var and --explain usage errors', () => {
  it('rejects a --var that is not NAME=VALUE', () => {
    const result = runCli(['conformance', '--template', 'examples/task-template', '--var', 'novalue'], { cwd: REPO });
    expect(result.stderr).toContain('Error: --var needs NAME=VALUE, got "novalue"');
    expect(result.status).toBe(2);
  });

  it('rejects --var without a --template or --module to give it to', () => {
    const result = runCli(['conformance', '--var', 'a=b'], { cwd: REPO });
    expect(result.stderr).toContain('Error: --var and --var-file give values to a --template or an agent --module');
    expect(result.status).toBe(2);
  });

  it('rejects --explain without --template', () => {
    const result = runCli(['conformance', '--explain'], { cwd: REPO });
    expect(result.stderr).toContain('Error: --explain needs --template DIR');
    expect(result.status).toBe(2);
  });
});
