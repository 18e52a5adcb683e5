import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { describe, expect, it } from 'vitest';
import {
  AgentapiModule,
  AgentapiModulePropsError,
  type AgentapiModuleProps,
  DEFAULT_MODULE_SOURCE,
  toModuleVariables,
} from '../../src/cdktf/index.ts';
import { REQUIRED_PROPS } from '../support/cdktf-props.ts';

const REQUIRED = REQUIRED_PROPS;

type SynthJson = {
  module?: Record<string, Record<string, unknown>>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: string }>;
};

/** Synthesizes a stack built by `build` and returns the JSON, construct metadata ("//") removed. */
function synth(build: (stack: TerraformStack) => void): SynthJson {
  const stack = new TerraformStack(Testing.app(), 'test');
  build(stack);
  return stripMetadata(JSON.parse(Testing.synth(stack))) as SynthJson;
}

function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, inner]) => [key, stripMetadata(inner)]));
}

function moduleBlock(json: SynthJson, id = 'agentapi'): Record<string, unknown> {
  const block = json.module?.[id];
  if (block === undefined) throw new Error(`no module ${id} in ${JSON.stringify(json)}`);
  return block;
}

function buildError(props: Record<string, unknown>): AgentapiModulePropsError {
  try {
    synth((stack) => new AgentapiModule(stack, 'agentapi', props as unknown as AgentapiModuleProps));
  } catch (error) {
    if (error instanceof AgentapiModulePropsError) return error;
    throw error;
  }
  throw new Error(`AgentapiModule accepted ${JSON.stringify(props)}`);
}

describe('AgentapiModule synthesis', () => {
  it('writes every prop under its snake_case variable name with its value', () => {
    const json = synth(
      (stack) =>
        new AgentapiModule(stack, 'agentapi', {
          ...REQUIRED,
          webAppOrder: 1,
          webAppGroup: 'AI',
          webApp: true,
          folder: '/home/coder/project',
          cliApp: true,
          cliAppOrder: 2,
          cliAppGroup: 'AI tools',
          cliAppIcon: '/icon/terminal.svg',
          preInstallScript: 'echo pre',
          installScript: 'npm i -g @anthropic-ai/claude-code',
          postInstallScript: 'echo post',
          installAgentapi: false,
          agentapiVersion: 'v0.12.0',
          agentapiPort: 4000,
          agentapiSubdomain: false,
          taskLogSnapshot: false,
          taskId: '0e7b4a39-5a1c-4a43-9a0f-3a1c8f0d2b11',
          enableStatePersistence: true,
          stateFilePath: '/tmp/state.json',
          pidFilePath: '/tmp/agentapi.pid',
          shutdownFetchTimeout: 3,
          shutdownPostTimeout: 4,
          shutdownSnapshotDeadline: 6,
          shutdownStateSaveWait: 2,
          shutdownTerminateTimeout: 5,
        }),
    );
    expect(moduleBlock(json)).toEqual({
      source: './modules/agentapi',
      agent_id: 'agent-1',
      web_app_icon: '/icon/claude.svg',
      web_app_display_name: 'Claude Code',
      web_app_slug: 'claude',
      cli_app_display_name: 'Claude CLI',
      cli_app_slug: 'claude-cli',
      start_script: 'exec agentapi server -- claude',
      module_dir_name: '.claude-module',
      web_app_order: 1,
      web_app_group: 'AI',
      web_app: true,
      folder: '/home/coder/project',
      cli_app: true,
      cli_app_order: 2,
      cli_app_group: 'AI tools',
      cli_app_icon: '/icon/terminal.svg',
      pre_install_script: 'echo pre',
      install_script: 'npm i -g @anthropic-ai/claude-code',
      post_install_script: 'echo post',
      install_agentapi: false,
      agentapi_version: 'v0.12.0',
      agentapi_port: 4000,
      agentapi_subdomain: false,
      task_log_snapshot: false,
      task_id: '0e7b4a39-5a1c-4a43-9a0f-3a1c8f0d2b11',
      enable_state_persistence: true,
      state_file_path: '/tmp/state.json',
      pid_file_path: '/tmp/agentapi.pid',
      shutdown_fetch_timeout: 3,
      shutdown_post_timeout: 4,
      shutdown_snapshot_deadline: 6,
      shutdown_state_save_wait: 2,
      shutdown_terminate_timeout: 5,
    });
  });

  it('passes boundary\'s inputs under the registry module\'s variable names', () => {
    const json = synth(
      (stack) =>
        new AgentapiModule(stack, 'agentapi', {
          ...REQUIRED,
          enableBoundary: true,
          boundaryConfigPath: '/home/coder/.config/boundary.yaml',
          boundaryVersion: 'v0.2.0',
          useBoundaryDirectly: true,
          compileBoundaryFromSource: false,
        }),
    );
    expect(moduleBlock(json)).toMatchObject({
      enable_boundary: true,
      boundary_config_path: '/home/coder/.config/boundary.yaml',
      boundary_version: 'v0.2.0',
      use_boundary_directly: true,
      compile_boundary_from_source: false,
    });
  });

  it('leaves undefined props out so the module defaults apply', () => {
    const json = synth((stack) => new AgentapiModule(stack, 'agentapi', { ...REQUIRED, taskLogSnapshot: undefined, agentapiPort: undefined }));
    const block = moduleBlock(json);
    expect(Object.keys(block).sort()).toEqual(
      ['source', 'agent_id', 'web_app_icon', 'web_app_display_name', 'web_app_slug', 'cli_app_display_name', 'cli_app_slug', 'start_script', 'module_dir_name'].sort(),
    );
    expect(block).not.toHaveProperty('task_log_snapshot');
  });

  it('defaults the source to ./modules/agentapi, kept as written (no asset copy)', () => {
    const json = synth((stack) => new AgentapiModule(stack, 'agentapi', REQUIRED)) as SynthJson & { resource?: unknown };
    expect(DEFAULT_MODULE_SOURCE).toBe('./modules/agentapi');
    expect(moduleBlock(json).source).toBe('./modules/agentapi');
    expect(JSON.stringify(json)).not.toContain('__cdktf_module_asset');
  });

  it('writes a registry source with its version', () => {
    const json = synth(
      (stack) => new AgentapiModule(stack, 'agentapi', { ...REQUIRED, source: 'registry.coder.com/coder/agentapi/coder', version: '2.2.0' }),
    );
    expect(moduleBlock(json)).toMatchObject({ source: 'registry.coder.com/coder/agentapi/coder', version: '2.2.0' });
  });

  it('taskAppId references the module output task_app_id', () => {
    const json = synth((stack) => {
      const agentapi = new AgentapiModule(stack, 'agentapi', REQUIRED);
      expect(typeof agentapi.taskAppId).toBe('string');
      new TerraformVariable(stack, 'app_id', { default: agentapi.taskAppId });
    }) as SynthJson & { variable?: Record<string, { default: string }> };
    expect(json.variable?.app_id?.default).toBe('${module.agentapi.task_app_id}');
  });

  it('passes references (tokens) through without validating them', () => {
    const json = synth((stack) => {
      const port = new TerraformVariable(stack, 'port', { type: 'number' });
      const snapshot = new TerraformVariable(stack, 'snapshot', { type: 'bool' });
      const agent = new TerraformVariable(stack, 'agent', { type: 'string' });
      new AgentapiModule(stack, 'agentapi', {
        ...REQUIRED,
        agentId: agent.stringValue,
        agentapiPort: port.numberValue,
        taskLogSnapshot: snapshot.booleanValue,
      });
    });
    expect(moduleBlock(json)).toMatchObject({
      agent_id: '${var.agent}',
      agentapi_port: '${var.port}',
      task_log_snapshot: '${var.snapshot}',
    });
  });
});

describe('AgentapiModule validation', () => {
  // Messages are the module's own validation messages (src/module/validations.ts), as Terraform prints them.
  it.each([
    [{ agentapiPort: 0 }, /agentapiPort \(agentapi_port\) agentapi_port must be a whole number from 1 to 65535\. Got number 0\./],
    [{ agentapiPort: 65536 }, /agentapiPort .* Got number 65536/],
    [{ agentapiPort: 3284.5 }, /agentapiPort .* Got number 3284.5/],
    [{ agentapiPort: '3284' }, /agentapiPort \(agentapi_port\) must be a number, got "3284"/],
    [{ shutdownFetchTimeout: -1 }, /shutdownFetchTimeout \(shutdown_fetch_timeout\) shutdown_fetch_timeout must be a whole number of seconds from 0 to 3600\. Got number -1/],
    [{ shutdownPostTimeout: 3601 }, /shutdownPostTimeout .* Got number 3601/],
    [{ shutdownSnapshotDeadline: -5 }, /shutdownSnapshotDeadline .* Got number -5/],
    [{ shutdownStateSaveWait: 0.5 }, /shutdownStateSaveWait .* Got number 0.5/],
    [{ shutdownTerminateTimeout: Number.NaN }, /shutdownTerminateTimeout .* must be a number/],
    [{ taskLogSnapshot: 'false' }, /taskLogSnapshot \(task_log_snapshot\) must be a boolean, got "false"/],
    [{ webAppSlug: 'Claude Code' }, /webAppSlug \(web_app_slug\) web_app_slug must be lowercase letters, digits and single dashes/],
    [{ cliApp: true, cliAppSlug: 'cli--app' }, /cliAppSlug \(cli_app_slug\) cli_app_slug must be lowercase/],
    [{ webAppOrder: 1.5 }, /webAppOrder \(web_app_order\) web_app_order must be a whole number or null/],
    [{ agentapiSubdomain: false, agentapiVersion: 'v0.3.2' }, /agentapiSubdomain \(agentapi_subdomain\) Running with subdomain = false is only supported by agentapi >= v0.3.3/],
    [{ useBoundaryDirectly: true, compileBoundaryFromSource: true }, /useBoundaryDirectly \(use_boundary_directly\) compile_boundary_from_source and use_boundary_directly are two ways to get boundary/],
    [{ enableBoundary: true, useBoundaryDirectly: true, boundaryVersion: '' }, /boundaryVersion \(boundary_version\) boundary_version must not be empty/],
    [{ tasklogSnapshot: true }, /tasklogSnapshot is not a prop of AgentapiModule/],
    [{ cliApp: true, cliAppSlug: 'claude' }, /webAppSlug and cliAppSlug are both "claude"/],
    [{ version: '1.0.0' }, /version "1.0.0" cannot be used with the local source ".\/modules\/agentapi"/],
  ])('rejects %j', (override, message) => {
    const error = buildError({ ...REQUIRED, ...override });
    expect(error.message).toMatch(message);
  });

  it('names each missing required prop and its variable', () => {
    const { startScript: _startScript, agentId: _agentId, ...rest } = REQUIRED;
    const error = buildError(rest);
    expect(error.message).toContain('agentId is required (module variable agent_id has no default)');
    expect(error.message).toContain('startScript is required (module variable start_script has no default)');
  });

  it('reports every problem at once', () => {
    const error = buildError({ ...REQUIRED, agentapiPort: -1, shutdownFetchTimeout: -2, webAppSlug: 'Bad' });
    expect(error.message.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(3);
  });

  it('accepts the same slug for both apps when there is no CLI app, and an empty task ID', () => {
    expect(() => toModuleVariables({ ...REQUIRED, cliAppSlug: 'claude', taskId: '' })).not.toThrow();
  });

  it('accepts what the registry module accepts: any CLI slug without the CLI app, empty strings, zero timeouts', () => {
    expect(() => toModuleVariables({ ...REQUIRED, cliAppSlug: 'Claude CLI', shutdownPostTimeout: 0, shutdownStateSaveWait: 0 })).not.toThrow();
    expect(() => toModuleVariables({ ...REQUIRED, agentId: '', moduleDirName: '', taskId: 'not-a-uuid' })).not.toThrow();
  });

  it('leaves a rule to Terraform when another value it reads is a reference', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const cliApp = new TerraformVariable(stack, 'cli_app', { type: 'bool' }).booleanValue;
    expect(() => toModuleVariables({ ...REQUIRED, cliApp, cliAppSlug: 'Bad Slug' })).not.toThrow();
    expect(() => toModuleVariables({ ...REQUIRED, cliApp: true, cliAppSlug: 'Bad Slug' })).toThrow(/cli_app_slug must be lowercase/);
  });

  it('throws before anything is added to the stack', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    expect(() => new AgentapiModule(stack, 'agentapi', { ...REQUIRED, agentapiPort: 0 })).toThrow(AgentapiModulePropsError);
    expect(stack.node.tryFindChild('agentapi')).toBeUndefined();
  });
});
