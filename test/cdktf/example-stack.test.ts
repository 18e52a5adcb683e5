// Builds examples/cdktf/main.ts in-process with cdktf's Testing API, and runs it as its README says
// (`CDKTF_OUTDIR=... npx tsx main.ts`); the cdktf CLI is not needed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Testing } from 'cdktf';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentapiStack, moduleSourceFrom, PACKAGED_MODULE_DIR } from '../../examples/cdktf/main.ts';

const REPO = resolve(import.meta.dirname, '../..');

type StackJson = {
  module: Record<string, Record<string, unknown>>;
  resource: Record<string, Record<string, { triggers?: Record<string, string> }>>;
  provider: Record<string, unknown>;
  variable: Record<string, { type: string }>;
  output: Record<string, { value: string }>;
};

const EXAMPLE = resolve(REPO, 'examples/cdktf');
const MODULE = resolve(REPO, 'modules/agentapi');

function synthStack(options?: ConstructorParameters<typeof AgentapiStack>[2]): StackJson {
  const stack = new AgentapiStack(Testing.app(), 'agentapi', options);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

function sourceFor(app: App): string {
  return moduleSourceFrom(join(app.outdir, 'stacks', 'agentapi'));
}

describe('examples/cdktf AgentapiStack', () => {
  it('has the agentapi module block with snake_case inputs and the snapshot turned off', () => {
    const app = Testing.app();
    const { '//': _metadata, ...block } = (JSON.parse(Testing.synth(new AgentapiStack(app, 'agentapi'))) as StackJson).module.agentapi ?? {};
    expect(block).toEqual({
      source: sourceFor(app),
      agent_id: '${var.agent_id}',
      web_app_slug: 'claude',
      web_app_display_name: 'Claude Code',
      web_app_icon: '/icon/claude.svg',
      cli_app: true,
      cli_app_slug: 'claude-cli',
      cli_app_display_name: 'Claude CLI',
      module_dir_name: '.claude-module',
      folder: '/home/coder/project',
      install_script: 'npm install -g @anthropic-ai/claude-code',
      start_script: '#!/bin/sh\nexec agentapi server --port 3284 -- claude\n',
      agentapi_port: 3284,
      task_log_snapshot: false,
    });
  });

  it('turns the snapshot on when asked', () => {
    expect(synthStack({ taskLogSnapshot: true }).module.agentapi?.task_log_snapshot).toBe(true);
  });

  it('has a null_resource and its provider wired to the module output', () => {
    const json = synthStack();
    expect(json.provider).toHaveProperty('null');
    expect(json.resource.null_resource?.task_app?.triggers).toEqual({ task_app_id: '${module.agentapi.task_app_id}' });
    expect(json.output.task_app_id?.value).toBe('${module.agentapi.task_app_id}');
    expect(json.variable.agent_id?.type).toBe('string');
  });

  it('finds the module through the package (agentapi-kit/package.json), as an installed package would', () => {
    expect(realpathSync(PACKAGED_MODULE_DIR)).toBe(realpathSync(MODULE));
  });

  it('computes a relative source from wherever the stack is written', () => {
    for (const stackDir of [join(EXAMPLE, 'cdktf.out/stacks/agentapi'), '/tmp/elsewhere/out/stacks/agentapi', join(MODULE, 'out/stacks/x')]) {
      const source = moduleSourceFrom(stackDir);
      expect(source).toMatch(/^\.\.?\//);
      expect(resolve(stackDir, source)).toBe(MODULE);
    }
  });

  it('takes another module source', () => {
    expect(synthStack({ moduleSource: './vendor/agentapi' }).module.agentapi?.source).toBe('./vendor/agentapi');
  });
});

describe('examples/cdktf run as documented: CDKTF_OUTDIR=... npx tsx main.ts', () => {
  const outdir = join(mkdtempSync(join(tmpdir(), 'agentapi-kit-cdktf-')), 'out');
  afterAll(() => rmSync(resolve(outdir, '..'), { recursive: true, force: true }));

  it('writes a stack whose module source resolves, from that directory, to the generated module', () => {
    const run = spawnSync(resolve(REPO, 'node_modules/.bin/tsx'), ['main.ts'], { cwd: EXAMPLE, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const stackDir = join(outdir, 'stacks', 'agentapi');
    const stack = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
    const source = stack.module.agentapi?.source as string;
    expect(realpathSync(resolve(stackDir, source))).toBe(realpathSync(MODULE));
    expect(existsSync(resolve(stackDir, source, 'main.tf'))).toBe(true);
  });
});
