/**
 * The Coder provider's data sources, read from the provisioner's environment the way the real
 * provider's ReadContext functions read it (variable names and defaults from its Go code).
 */
import { randomUUID } from 'node:crypto';
import { maxLength, oneOf } from './checks.ts';
import type { AttributeSpec, DataSourceSpec, ProviderEnv } from './schema-spec.ts';
import { taskFromEnv } from './task-env.ts';
import type { ObjectValue, Value } from './values.ts';

const ro = (type: AttributeSpec['type'], extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ type, kind: 'computed', ...extra });
const opt = (type: AttributeSpec['type'], extra: Partial<AttributeSpec> = {}): AttributeSpec => ({ type, kind: 'optional', ...extra });

/** The provider's OptionalEnvOrDefault: an empty variable counts as unset. */
function envOr(env: ProviderEnv, name: string, fallback: string): string {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** The provider's RequireEnv: only enforced inside a real build (CODER_WORKSPACE_BUILD_ID set). */
function requireEnv(env: ProviderEnv, name: string): string | { error: string } {
  const value = env[name] ?? '';
  if ((env.CODER_WORKSPACE_BUILD_ID ?? '') !== '' && value === '') return { error: `${name} is required` };
  return value;
}

function parseJsonEnv(env: ProviderEnv, name: string, what: string): Value | { error: string } {
  const raw = env[name];
  if (raw === undefined) return null;
  try {
    return JSON.parse(raw) as Value;
  } catch (error) {
    return { error: `invalid ${what}: ${(error as Error).message}` };
  }
}

function isError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && 'error' in value;
}

function accessPort(url: string): number {
  try {
    const parsed = new URL(url);
    if (parsed.port !== '') return Number(parsed.port);
    return parsed.protocol === 'https:' ? 443 : 80;
  } catch {
    return 80;
  }
}

const task: DataSourceSpec = {
  block: { attributes: { id: ro('string'), enabled: ro('bool'), prompt: ro('string') } },
  read: (_config, ctx) => {
    const facts = taskFromEnv(ctx.env);
    return typeof facts === 'string' ? facts : { ...facts };
  },
};

const workspace: DataSourceSpec = {
  version: 1,
  block: {
    attributes: {
      access_port: ro('number'),
      access_url: ro('string'),
      id: ro('string'),
      is_prebuild: ro('bool'),
      is_prebuild_claim: ro('bool'),
      name: ro('string'),
      prebuild_count: ro('number'),
      start_count: ro('number'),
      template_id: ro('string'),
      template_name: ro('string'),
      template_version: ro('string'),
      transition: ro('string'),
    },
  },
  read: (_config, ctx) => {
    const { env } = ctx;
    const transition = envOr(env, 'CODER_WORKSPACE_TRANSITION', 'start');
    const claim = envOr(env, 'CODER_WORKSPACE_IS_PREBUILD_CLAIM', '').toLowerCase() === 'true';
    const prebuild = !claim && envOr(env, 'CODER_WORKSPACE_IS_PREBUILD', '').toLowerCase() === 'true';
    const template = ['CODER_WORKSPACE_TEMPLATE_ID', 'CODER_WORKSPACE_TEMPLATE_NAME', 'CODER_WORKSPACE_TEMPLATE_VERSION'].map((name) => requireEnv(env, name));
    const missing = template.find(isError);
    if (missing !== undefined) return `template facts are missing: ${missing.error}`;
    const [templateId, templateName, templateVersion] = template as string[];
    return {
      transition,
      start_count: transition === 'start' ? 1 : 0,
      prebuild_count: prebuild ? 1 : 0,
      is_prebuild: prebuild,
      is_prebuild_claim: claim,
      name: envOr(env, 'CODER_WORKSPACE_NAME', 'default'),
      id: envOr(env, 'CODER_WORKSPACE_ID', randomUUID()),
      template_id: templateId ?? '',
      template_name: templateName ?? '',
      template_version: templateVersion ?? '',
      access_url: ctx.url,
      access_port: accessPort(ctx.url),
    };
  },
};

const workspaceOwner: DataSourceSpec = {
  block: {
    attributes: {
      email: ro('string'),
      full_name: ro('string'),
      groups: ro(['list', 'string']),
      id: ro('string'),
      login_type: ro('string'),
      name: ro('string'),
      oidc_access_token: ro('string', { sensitive: true }),
      rbac_roles: ro(['list', ['object', { name: 'string', org_id: 'string' }]]),
      session_token: ro('string', { sensitive: true }),
      ssh_private_key: ro('string', { sensitive: true }),
      ssh_public_key: ro('string'),
    },
  },
  read: (_config, { env }) => {
    const groups = parseJsonEnv(env, 'CODER_WORKSPACE_OWNER_GROUPS', 'user groups');
    if (isError(groups)) return groups.error;
    const roles = parseJsonEnv(env, 'CODER_WORKSPACE_OWNER_RBAC_ROLES', 'user rbac roles');
    if (isError(roles)) return roles.error;
    return {
      id: envOr(env, 'CODER_WORKSPACE_OWNER_ID', randomUUID()),
      name: envOr(env, 'CODER_WORKSPACE_OWNER', 'default'),
      full_name: envOr(env, 'CODER_WORKSPACE_OWNER_NAME', 'default'),
      email: envOr(env, 'CODER_WORKSPACE_OWNER_EMAIL', 'default@example.com'),
      ssh_public_key: env.CODER_WORKSPACE_OWNER_SSH_PUBLIC_KEY ?? '',
      ssh_private_key: env.CODER_WORKSPACE_OWNER_SSH_PRIVATE_KEY ?? '',
      // The Go SDK stores a nil list as an empty one.
      groups: groups ?? [],
      session_token: env.CODER_WORKSPACE_OWNER_SESSION_TOKEN ?? '',
      oidc_access_token: env.CODER_WORKSPACE_OWNER_OIDC_ACCESS_TOKEN ?? '',
      login_type: envOr(env, 'CODER_WORKSPACE_OWNER_LOGIN_TYPE', '') || null,
      rbac_roles: roles ?? [],
    };
  },
};

const provisioner: DataSourceSpec = {
  version: 1,
  block: { attributes: { id: ro('string'), os: ro('string'), arch: ro('string') } },
  read: () => ({ id: randomUUID(), os: process.platform === 'win32' ? 'windows' : process.platform, arch: goArch(process.arch) }),
};

function goArch(arch: string): string {
  if (arch === 'x64') return 'amd64';
  if (arch === 'arm') return 'armv7';
  return arch;
}

/**
 * coder_parameter: the schema in full; the value is the default (a real build passes the chosen
 * value through the provisioner, which this stand-in does not model).
 */
const parameter: DataSourceSpec = {
  version: 1,
  block: {
    attributes: {
      name: { type: 'string', kind: 'required' },
      default: opt('string'),
      description: opt('string'),
      display_name: opt('string', { check: maxLength(64, 'display name') }),
      ephemeral: opt('bool'),
      form_type: opt('string'),
      icon: opt('string'),
      mutable: opt('bool'),
      order: opt('number'),
      styling: opt('string'),
      type: opt('string', { check: oneOf(['number', 'string', 'bool', 'list(string)'], 'type') }),
      id: ro('string'),
      optional: ro('bool'),
      value: ro('string'),
    },
    blocks: {
      option: { nesting: 'list', block: { attributes: { name: { type: 'string', kind: 'required' }, value: { type: 'string', kind: 'required' }, description: opt('string'), icon: opt('string') } } },
      validation: {
        nesting: 'list',
        maxItems: 1,
        block: {
          attributes: {
            error: opt('string'),
            max: opt('number'),
            min: opt('number'),
            monotonic: opt('string'),
            regex: opt('string'),
            max_disabled: ro('bool'),
            min_disabled: ro('bool'),
          },
        },
      },
    },
  },
  read: (config: ObjectValue) => ({
    id: randomUUID(),
    value: typeof config.default === 'string' ? config.default : '',
    optional: config.default !== null && config.default !== undefined,
  }),
};

export const CODER_DATA_SOURCES: Record<string, DataSourceSpec> = {
  coder_task: task,
  coder_workspace: workspace,
  coder_workspace_owner: workspaceOwner,
  coder_provisioner: provisioner,
  coder_parameter: parameter,
};
