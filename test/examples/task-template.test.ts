// There is no terraform binary here: the examples are checked with HashiCorp's parser (hcl2json) and
// `terraform fmt` (hcl-tools), and their structure is asserted on the parsed JSON.
import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { format } from '@cdktf/hcl-tools';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { configSchema, defaultConfig } from '../../src/config/schema.ts';
import { hasCommand } from '../support/commands.ts';
import { parseMainTf } from '../support/module.ts';

const REPO = resolve(import.meta.dirname, '../..');
const EXAMPLES = join(REPO, 'examples');
const TEMPLATE_DIR = join(EXAMPLES, 'task-template');

/** Terraform's meta-arguments of a module block: not inputs of the module. */
const MODULE_META_ARGUMENTS = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

type Block = Record<string, unknown>;
interface ParsedTf {
  terraform?: Array<{ required_providers?: Array<Record<string, { source: string; version?: string }>> }>;
  variable?: Record<string, Block[]>;
  data?: Record<string, Record<string, Block[]>>;
  resource?: Record<string, Record<string, Block[]>>;
  module?: Record<string, Block[]>;
  output?: Record<string, Block[]>;
}

async function tfFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.tf')).map((entry) => join(entry.parentPath, entry.name));
}

async function parseFile(path: string): Promise<ParsedTf> {
  return (await parse(relative(REPO, path), await readFile(path, 'utf8'))) as ParsedTf;
}

function only<T>(list: T[] | undefined, what: string): T {
  expect(list, what).toBeDefined();
  expect(list, what).toHaveLength(1);
  return (list as T[])[0] as T;
}

describe('every .tf under examples/', () => {
  it('parses and is terraform-fmt clean', async () => {
    const files = await tfFiles(EXAMPLES);
    expect(files.map((file) => relative(EXAMPLES, file))).toContain('task-template/main.tf');
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      await expect(parse(file, text), file).resolves.toBeTypeOf('object');
      expect(await format(text), `${relative(REPO, file)} is not formatted like terraform fmt`).toBe(text);
    }
  });
});

describe('examples/task-template/main.tf', () => {
  let template: ParsedTf;
  let agentapi: Block;
  let moduleVariables: Record<string, Block[]>;
  let moduleOutputs: Record<string, Block[]>;

  beforeAll(async () => {
    template = await parseFile(join(TEMPLATE_DIR, 'main.tf'));
    agentapi = only(template.module?.agentapi, 'module "agentapi"');
    // The module the template's source actually points at (the committed, generated one).
    const moduleMain = await parseFile(join(resolve(TEMPLATE_DIR, String(agentapi.source)), 'main.tf'));
    moduleVariables = moduleMain.variable ?? {};
    moduleOutputs = moduleMain.output ?? {};
  });

  it('uses the generated module by relative path', () => {
    expect(agentapi.source).toBe('../../modules/agentapi');
    expect(resolve(TEMPLATE_DIR, String(agentapi.source))).toBe(join(REPO, 'modules/agentapi'));
  });

  it('exposes task_log_snapshot as a template variable (bool, default true) wired into the module', () => {
    const variable = only(template.variable?.task_log_snapshot, 'variable "task_log_snapshot"');
    expect(variable.type).toBe('${bool}');
    expect(variable.default).toBe(true);
    expect(agentapi.task_log_snapshot).toBe('${var.task_log_snapshot}');
  });

  it('passes every required input of the module', () => {
    const required = Object.entries(moduleVariables)
      .filter(([, blocks]) => !('default' in (blocks[0] ?? {})))
      .map(([name]) => name);
    expect(required.length).toBeGreaterThanOrEqual(8);
    expect(required.filter((name) => !(name in agentapi))).toEqual([]);
  });

  it('passes no input the module does not declare', () => {
    const inputs = Object.keys(agentapi).filter((name) => !MODULE_META_ARGUMENTS.has(name));
    expect(inputs.filter((name) => !(name in moduleVariables))).toEqual([]);
  });

  it('gives the agent and the scripts from the template, not placeholders', () => {
    expect(agentapi.agent_id).toBe('${coder_agent.main.id}');
    expect(String(agentapi.start_script)).toMatch(/agentapi server --port \$\{local\.agentapi_port\}/);
    expect(String(agentapi.install_script)).toMatch(/^#!\/bin\/sh\n/);
    expect(agentapi.agentapi_port).toBe('${local.agentapi_port}');
  });

  it('wires coder_ai_task to the module output task_app_id, once per running workspace', () => {
    expect(moduleOutputs).toHaveProperty('task_app_id');
    const task = only(template.resource?.coder_ai_task?.task, 'resource "coder_ai_task" "task"');
    expect(task.app_id).toBe('${module.agentapi.task_app_id}');
    expect(task.count).toBe('${data.coder_workspace.me.start_count}');
    expect(task).not.toHaveProperty('sidebar_app');
  });

  it('requires coder >= 2.13 (coder_task, app_id) and kreuzwerker/docker', () => {
    const providers = only(only(template.terraform, 'terraform block').required_providers, 'required_providers');
    expect(providers.coder).toMatchObject({ source: 'coder/coder', version: '>= 2.13' });
    expect(providers.docker?.source).toBe('kreuzwerker/docker');
  });

  it('has the workspace data sources and takes the prompt from data "coder_task", not an AI Prompt parameter', () => {
    for (const name of ['coder_provisioner', 'coder_workspace', 'coder_workspace_owner', 'coder_task']) {
      expect(template.data?.[name], `data "${name}" "me"`).toHaveProperty('me');
    }
    expect(template.data?.coder_parameter?.ai_prompt).toBeUndefined();
    const env = only(template.resource?.coder_env?.task_prompt, 'resource "coder_env" "task_prompt"');
    expect(env.value).toBe('${data.coder_task.me.prompt}');
  });

  it('defines a coder_agent with a startup script and metadata', () => {
    const agent = only(template.resource?.coder_agent?.main, 'resource "coder_agent" "main"');
    expect(agent.arch).toBe('${data.coder_provisioner.me.arch}');
    expect(agent.os).toBe('linux');
    expect(String(agent.startup_script)).not.toBe('');
    expect((agent.metadata as Block[]).length).toBeGreaterThanOrEqual(2);
  });

  it('runs the agent in a docker_container per running workspace with its token', () => {
    const container = only(template.resource?.docker_container?.workspace, 'resource "docker_container" "workspace"');
    expect(container.count).toBe('${data.coder_workspace.me.start_count}');
    expect(container.env).toContain('CODER_AGENT_TOKEN=${coder_agent.main.token}');
    expect(String((container.entrypoint as string[]).join(' '))).toContain('coder_agent.main.init_script');
    // The stop scripts (the snapshot among them) need the container to be stopped, not killed at once.
    expect(Number(container.destroy_grace_seconds)).toBeGreaterThanOrEqual(10);
  });
});

/** A script of the template as the shell sees it: interpolations filled in, `$${` unescaped. */
function renderedScript(hclString: string, locals: Record<string, string>): string {
  const filled = hclString.replace(/(?<!\$)\$\{local\.([a-z_]+)\}/g, (_, name: string) => {
    const value = locals[name];
    if (value === undefined) throw new Error(`no value for local.${name}`);
    return value;
  });
  return filled.replaceAll('$${', '${');
}

describe('examples/task-template scripts', () => {
  it.skipIf(!hasCommand('shellcheck'))('start, install and startup scripts pass shellcheck -s sh (needs shellcheck)', async () => {
    const template = await parseFile(join(TEMPLATE_DIR, 'main.tf'));
    const locals = Object.assign({}, ...(template as { locals?: Block[] }).locals ?? []) as Record<string, unknown>;
    const literalLocals = Object.fromEntries(Object.entries(locals).filter(([, value]) => typeof value === 'number' || !String(value).includes('${')).map(([key, value]) => [key, String(value)]));
    const agentapi = only(template.module?.agentapi, 'module "agentapi"');
    const agent = only(template.resource?.coder_agent?.main, 'resource "coder_agent" "main"');
    const scripts = {
      start_script: String(agentapi.start_script),
      install_script: String(agentapi.install_script),
      startup_script: `#!/bin/sh\n${String(agent.startup_script)}`,
    };
    for (const [name, text] of Object.entries(scripts)) {
      const result = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: renderedScript(text, literalLocals), encoding: 'utf8' });
      expect(result.stdout, `${name}:\n${result.stdout}`).toBe('');
      expect(result.status, name).toBe(0);
    }
  });
});

describe('examples/task-template variable mode', () => {
  it('variable-mode.json is a valid generator config that yields a task_id variable', async () => {
    const config = JSON.parse(await readFile(join(TEMPLATE_DIR, 'variable-mode.json'), 'utf8'));
    expect(configSchema.parse(config).taskIdSource).toBe('variable');
    const parsed = await parseMainTf(config);
    expect(parsed.variable).toHaveProperty('task_id');
    expect(parsed.data?.coder_task).toBeUndefined();
  });
});

describe('examples/task-template/README.md', () => {
  let readme: string;
  beforeAll(async () => {
    readme = await readFile(join(TEMPLATE_DIR, 'README.md'), 'utf8');
  });

  it('states the capture policy with the generator defaults', () => {
    expect(readme).toContain(`last ${defaultConfig.snapshot.messageCount} messages`);
    expect(readme).toContain(`${defaultConfig.snapshot.payloadLimitBytes} bytes`);
    expect(readme).toContain('[...content truncated');
    expect(readme).toMatch(/oldest are dropped first/);
    expect(readme).toMatch(/tail/);
  });

  it('has the privacy note and how to turn the snapshot off', () => {
    expect(readme).toContain('The conversation content is sent to and stored on the Coder server.');
    expect(readme).toContain('--variable task_log_snapshot=false');
  });

  it('lists the skip cases and the variable mode', () => {
    for (const line of ['Log snapshot disabled, skipping', 'No task ID, skipping log snapshot', 'Log snapshot endpoint not supported by this Coder version, skipping']) {
      expect(readme).toContain(line);
    }
    expect(readme).toMatch(/CODER_AGENT_TOKEN/);
    expect(readme).toContain('"taskIdSource": "variable"');
  });
});
