/**
 * The Coder provider's managed resources the module, the examples and the tests use
 * (terraform-provider-coder v2.17's published schema), with the checks,
 * defaults and create-time errors of the real provider's Go code.
 */
import { randomUUID } from 'node:crypto';
import { cronCheck, intAtLeast, intBetween, isUuid, matches, maxLength, oneOf, urlCheck, uuidCheck } from './checks.ts';
import type { AttributeSpec, BlockSpec, ResourceSpec } from './schema-spec.ts';
import { taskFromEnv } from './task-env.ts';

const str = (kind: AttributeSpec['kind'], extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ type: 'string', kind, ...extra });
const num = (kind: AttributeSpec['kind'], extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ type: 'number', kind, ...extra });
const bool = (kind: AttributeSpec['kind'], extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ type: 'bool', kind, ...extra });

/** The Go SDK adds `id` to every resource as optional and computed. */
export const ID: AttributeSpec = str('optional-computed');

const APP_SLUG = /^[a-z0-9](-?[a-z0-9])*$/;

const agentBlock: BlockSpec = {
  attributes: {
    id: ID,
    arch: str('required', { check: oneOf(['amd64', 'armv7', 'arm64'], 'arch') }),
    os: str('required', { check: oneOf(['linux', 'darwin', 'windows'], 'os') }),
    api_key_scope: str('optional', { default: 'all', check: oneOf(['all', 'no_user_data'], 'api_key_scope') }),
    auth: str('optional', { default: 'token', check: oneOf(['token', 'google-instance-identity', 'aws-instance-identity', 'azure-instance-identity'], 'auth') }),
    connection_timeout: num('optional', { default: 120, check: intAtLeast(0, 'connection_timeout') }),
    dir: str('optional', { deprecated: true }),
    env: { type: ['map', 'string'], kind: 'optional' },
    motd_file: str('optional'),
    order: num('optional'),
    shutdown_script: str('optional'),
    startup_script: str('optional'),
    startup_script_behavior: str('optional', { default: 'non-blocking', check: oneOf(['blocking', 'non-blocking'], 'startup_script_behavior') }),
    troubleshooting_url: str('optional'),
    init_script: str('computed'),
    token: str('computed', { sensitive: true }),
  },
  blocks: {
    display_apps: {
      nesting: 'set',
      maxItems: 1,
      block: {
        attributes: {
          port_forwarding_helper: bool('optional', { default: true }),
          ssh_helper: bool('optional', { default: true }),
          vscode: bool('optional', { default: true }),
          vscode_insiders: bool('optional', { default: false }),
          web_terminal: bool('optional', { default: true }),
        },
      },
    },
    metadata: {
      nesting: 'list',
      block: {
        attributes: {
          key: str('required'),
          script: str('required'),
          interval: num('required'),
          display_name: str('optional'),
          order: num('optional'),
          timeout: num('optional'),
        },
      },
    },
    resources_monitoring: {
      nesting: 'set',
      maxItems: 1,
      block: {
        attributes: {},
        blocks: {
          memory: {
            nesting: 'set',
            maxItems: 1,
            block: { attributes: { enabled: bool('required'), threshold: num('required', { check: intBetween(0, 100, 'threshold') }) } },
          },
          volume: {
            nesting: 'set',
            block: { attributes: { enabled: bool('required'), path: str('required'), threshold: num('required', { check: intBetween(0, 100, 'threshold') }) } },
          },
        },
      },
    },
  },
};

const scriptBlock: BlockSpec = {
  attributes: {
    id: ID,
    agent_id: str('required'),
    display_name: str('required'),
    script: str('required'),
    cron: str('optional', { check: cronCheck }),
    icon: str('optional', { check: urlCheck }),
    log_path: str('optional'),
    run_on_start: bool('optional', { default: false }),
    run_on_stop: bool('optional', { default: false }),
    start_blocks_login: bool('optional', { default: false }),
    timeout: num('optional', { default: 0, check: intAtLeast(1, 'timeout') }),
  },
};

const appBlock: BlockSpec = {
  attributes: {
    id: ID,
    agent_id: str('required'),
    slug: str('required', {
      check: matches(APP_SLUG, (value) => `invalid "coder_app" slug, must be a valid hostname ("${APP_SLUG.source}", cannot contain two consecutive hyphens or start/end with a hyphen): ${JSON.stringify(value)}`),
    }),
    command: str('optional', { conflictsWith: ['url', 'subdomain'] }),
    display_name: str('optional', { check: maxLength(64, 'display name') }),
    external: bool('optional', { default: false, conflictsWith: ['healthcheck', 'command', 'subdomain', 'share'] }),
    group: str('optional', { check: maxLength(64, 'group name') }),
    hidden: bool('optional', { default: false }),
    icon: str('optional', { check: urlCheck }),
    open_in: str('optional', { default: 'slim-window', check: oneOf(['tab', 'slim-window'], 'open_in') }),
    order: num('optional'),
    share: str('optional', { default: 'owner', check: oneOf(['owner', 'authenticated', 'public'], 'share') }),
    subdomain: bool('optional'),
    tooltip: str('optional', { check: maxLength(2048, 'tooltip') }),
    url: str('optional', { conflictsWith: ['command'] }),
  },
  blocks: {
    healthcheck: {
      nesting: 'set',
      maxItems: 1,
      conflictsWith: ['command'],
      block: { attributes: { url: str('required'), interval: num('required'), threshold: num('required') } },
    },
  },
};

const envBlock: BlockSpec = {
  attributes: {
    id: ID,
    agent_id: str('required'),
    name: str('required', { check: matches(/^[a-zA-Z_][a-zA-Z0-9_]*$/, (value) => `invalid value for name (must be a valid environment variable name): ${JSON.stringify(value)}`) }),
    merge_strategy: str('optional', { default: 'replace', check: oneOf(['replace', 'append', 'prepend', 'error'], 'merge_strategy') }),
    value: str('optional'),
  },
};

const aiTaskBlock: BlockSpec = {
  attributes: {
    id: ID,
    app_id: str('optional-computed', { check: uuidCheck, conflictsWith: ['sidebar_app'] }),
    enabled: bool('computed'),
    prompt: str('computed'),
  },
  blocks: {
    sidebar_app: {
      nesting: 'set',
      maxItems: 1,
      conflictsWith: ['app_id'],
      block: { attributes: { id: str('required', { check: uuidCheck }) } },
    },
  },
};

export const CODER_RESOURCES: Record<string, ResourceSpec> = {
  coder_agent: {
    block: agentBlock,
    version: 1,
    create: (state, ctx) => {
      state.token = randomUUID();
      state.init_script = `#!/usr/bin/env sh\n# agentapi-kit stand-in: the real provider downloads the agent for ${String(state.os)}/${String(state.arch)} from ${ctx.url}\n`;
      return undefined;
    },
  },
  coder_script: {
    block: scriptBlock,
    version: 1,
    // The real provider checks these at create, so `plan` passes and `apply` fails.
    create: (state) => {
      if (state.run_on_start !== true && state.run_on_stop !== true && (state.cron ?? '') === '') return 'at least one of "run_on_start", "run_on_stop", or "cron" must be set';
      if (state.run_on_start !== true && state.start_blocks_login === true) return '"start_blocks_login" can only be set if "run_on_start" is "true"';
      return undefined;
    },
  },
  coder_app: { block: appBlock, version: 1 },
  coder_env: { block: envBlock, version: 1 },
  coder_ai_task: {
    block: aiTaskBlock,
    version: 1,
    create: (state, ctx) => {
      const task = taskFromEnv(ctx.env);
      if (typeof task === 'string' || !task.enabled || !isUuid(task.id)) {
        state.enabled = false;
      } else {
        state.id = task.id;
        state.enabled = true;
      }
      if (ctx.env.CODER_TASK_PROMPT) state.prompt = ctx.env.CODER_TASK_PROMPT;
      const sidebar = Array.isArray(state.sidebar_app) ? state.sidebar_app[0] : undefined;
      if ((state.app_id ?? '') === '' && sidebar !== undefined && typeof sidebar === 'object' && sidebar !== null && !Array.isArray(sidebar)) state.app_id = sidebar.id ?? null;
      if (typeof state.app_id !== 'string' || state.app_id === '') return "'app_id' must be set";
      return undefined;
    },
  },
};
