// Builds examples/cdktf/main.ts in-process with cdktf's Testing API (the cdktf CLI is not needed).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { AgentapiStack, MODULE_SOURCE_FROM_STACK_DIR } from '../../examples/cdktf/main.ts';

const REPO = resolve(import.meta.dirname, '../..');

type StackJson = {
  module: Record<string, Record<string, unknown>>;
  resource: Record<string, Record<string, { triggers?: Record<string, string> }>>;
  provider: Record<string, unknown>;
  variable: Record<string, { type: string }>;
  output: Record<string, { value: string }>;
};

function synthStack(options?: ConstructorParameters<typeof AgentapiStack>[2]): StackJson {
  const stack = new AgentapiStack(Testing.app(), 'agentapi', options);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

describe('examples/cdktf AgentapiStack', () => {
  it('has the agentapi module block with snake_case inputs and the snapshot turned off', () => {
    const { '//': _metadata, ...block } = synthStack().module.agentapi ?? {};
    expect(block).toEqual({
      source: MODULE_SOURCE_FROM_STACK_DIR,
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

  it('points at the generated module from the directory cdktf synth writes the stack to', () => {
    const stackDir = resolve(REPO, 'examples/cdktf/cdktf.out/stacks/agentapi');
    const moduleDir = resolve(stackDir, MODULE_SOURCE_FROM_STACK_DIR);
    expect(moduleDir).toBe(resolve(REPO, 'modules/agentapi'));
    expect(existsSync(resolve(moduleDir, 'main.tf'))).toBe(true);
  });

  it('takes another module source', () => {
    expect(synthStack({ moduleSource: './vendor/agentapi' }).module.agentapi?.source).toBe('./vendor/agentapi');
  });
});
