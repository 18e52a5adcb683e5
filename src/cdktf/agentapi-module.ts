/**
 * A typed CDKTF construct for the generated `agentapi` Terraform module.
 *
 * This directory is the only part of agentapi-kit that imports cdktf or constructs: both are optional
 * peer dependencies, so nothing else may import from here (test/cdktf checks it).
 */
import type { Construct } from 'constructs';
import { type IResolvable, type ITerraformDependable, TerraformHclModule, type TerraformProvider, Token } from 'cdktf';

/**
 * One prop per variable of the generated module (`modules/agentapi/main.tf`). Required here exactly
 * when the variable has no default there; test/cdktf/mapping.test.ts holds the two together.
 */
export interface AgentapiModuleVariables {
  /** `agent_id`: the ID of the Coder agent, usually `coderAgent.id`. */
  readonly agentId: string;
  /** `web_app_icon`: icon of the web app, also used for the two `coder_script`s. */
  readonly webAppIcon: string;
  /** `web_app_display_name`: display name of the web app. */
  readonly webAppDisplayName: string;
  /** `web_app_slug`: slug of the web app (lowercase letters, digits and single dashes). */
  readonly webAppSlug: string;
  /** `web_app_order`: position of the web app in the UI. */
  readonly webAppOrder?: number;
  /** `web_app_group`: group the web app belongs to. */
  readonly webAppGroup?: string;
  /** `web_app`: create the web app (default true). Coder Tasks need it: `taskAppId` is empty without it. */
  readonly webApp?: boolean | IResolvable;
  /** `folder`: the folder AgentAPI runs in (default `/home/coder`). */
  readonly folder?: string;
  /** `cli_app`: create the CLI app (default false). */
  readonly cliApp?: boolean | IResolvable;
  /** `cli_app_order`: position of the CLI app in the UI. */
  readonly cliAppOrder?: number;
  /** `cli_app_group`: group the CLI app belongs to. */
  readonly cliAppGroup?: string;
  /** `cli_app_icon`: icon of the CLI app. */
  readonly cliAppIcon?: string;
  /** `cli_app_display_name`: display name of the CLI app. */
  readonly cliAppDisplayName: string;
  /** `cli_app_slug`: slug of the CLI app. */
  readonly cliAppSlug: string;
  /** `pre_install_script`: runs before the agent is installed. */
  readonly preInstallScript?: string;
  /** `install_script`: installs the agent AgentAPI drives. */
  readonly installScript?: string;
  /** `post_install_script`: runs after the agent is installed. */
  readonly postInstallScript?: string;
  /** `start_script`: starts AgentAPI. */
  readonly startScript: string;
  /** `install_agentapi`: install the AgentAPI binary (default true). */
  readonly installAgentapi?: boolean | IResolvable;
  /** `agentapi_version`: AgentAPI release to install, such as `v0.10.0`. */
  readonly agentapiVersion?: string;
  /** `agentapi_port`: AgentAPI's port (default 3284), 1 to 65535. */
  readonly agentapiPort?: number;
  /** `agentapi_subdomain`: serve the web app on a subdomain (default true; false needs AgentAPI >= v0.3.3). */
  readonly agentapiSubdomain?: boolean | IResolvable;
  /**
   * `task_log_snapshot`: when the workspace stops, upload the task's last messages to Coder so they can be
   * read while the task is paused (default true). The conversation is then stored on the Coder server.
   */
  readonly taskLogSnapshot?: boolean | IResolvable;
  /**
   * `task_id`: the task's ID, or empty outside a task. Only a module generated with
   * `taskIdSource: "variable"` declares it; the default module reads `data.coder_task` and rejects it.
   */
  readonly taskId?: string;
  /** `enable_state_persistence`: save and restore AgentAPI's state (AgentAPI >= v0.12.0, default false). */
  readonly enableStatePersistence?: boolean | IResolvable;
  /** `state_file_path`: AgentAPI's state file (empty: `$HOME/<module_dir_name>/agentapi-state.json`). */
  readonly stateFilePath?: string;
  /** `pid_file_path`: AgentAPI's PID file (empty: `$HOME/<module_dir_name>/agentapi.pid`). */
  readonly pidFilePath?: string;
  /** `shutdown_fetch_timeout`: seconds for AgentAPI's `GET /messages` at shutdown (integer >= 1). */
  readonly shutdownFetchTimeout?: number;
  /** `shutdown_post_timeout`: seconds for one snapshot upload attempt (integer >= 1). */
  readonly shutdownPostTimeout?: number;
  /** `shutdown_snapshot_deadline`: seconds for the whole snapshot, retries included (integer >= 1). */
  readonly shutdownSnapshotDeadline?: number;
  /** `shutdown_state_save_wait`: seconds to wait after SIGUSR1 for the state save (integer >= 1). */
  readonly shutdownStateSaveWait?: number;
  /** `shutdown_terminate_timeout`: seconds to wait after SIGTERM before SIGKILL (integer >= 1). */
  readonly shutdownTerminateTimeout?: number;
  /** `module_dir_name`: subdirectory of `$HOME` for the module's files, such as `.claude-module`. */
  readonly moduleDirName: string;
}

/** How the module itself is referenced; these are not module variables. */
export interface AgentapiModuleOptions {
  /**
   * Module source (default `./modules/agentapi`). A relative source is written as given, and Terraform
   * resolves it from the directory it runs in (for `cdktf synth`, `cdktf.out/stacks/<stack>/`).
   */
  readonly source?: string;
  /** Module version; only for registry sources (Terraform rejects a version on a local path). */
  readonly version?: string;
  /**
   * Keep a relative `source` as written instead of copying the module into a cdktf asset (default true).
   * false needs the `cdktfRelativeModules` context, which the cdktf CLI provides.
   */
  readonly skipAssetCreationFromLocalModules?: boolean;
  readonly providers?: TerraformProvider[];
  readonly dependsOn?: ITerraformDependable[];
}

export interface AgentapiModuleProps extends AgentapiModuleVariables, AgentapiModuleOptions {}

export const DEFAULT_MODULE_SOURCE = './modules/agentapi';

type VariableType = 'string' | 'number' | 'bool';

/** Returns a problem in words, or undefined when the (literal, non-token) value is fine. */
type ValueCheck = (value: never) => string | undefined;

interface VariableSpec {
  /** The module variable's name. */
  readonly variable: string;
  readonly type: VariableType;
  /** True when the module variable has no default. */
  readonly required: boolean;
  /** Extra check of a literal value; tokens (references resolved by Terraform) are never checked. */
  readonly check?: ValueCheck;
}

// Coder's app slug rule (terraform-provider-coder validates the same pattern at plan time).
const SLUG = /^[a-z0-9](-?[a-z0-9])*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const port: ValueCheck = (value: number) =>
  Number.isInteger(value) && value >= 1 && value <= 65535 ? undefined : `must be an integer port from 1 to 65535, got ${value}`;
// A zero timeout would mean "no limit" to curl, and a stop script must never hang.
const seconds: ValueCheck = (value: number) => (Number.isInteger(value) && value >= 1 ? undefined : `must be a whole number of seconds >= 1, got ${value}`);
const order: ValueCheck = (value: number) => (Number.isInteger(value) ? undefined : `must be an integer, got ${value}`);
const slug: ValueCheck = (value: string) => (SLUG.test(value) ? undefined : `must be lowercase letters, digits and single dashes (like "claude-cli"), got ${JSON.stringify(value)}`);
const nonEmpty: ValueCheck = (value: string) => (value.trim() === '' ? 'must not be empty' : undefined);
const taskId: ValueCheck = (value: string) => (value === '' || UUID.test(value) ? undefined : `must be a task UUID or empty, got ${JSON.stringify(value)}`);

/**
 * THE mapping from props to module variables, in the order of main.tf. Everything else (the props
 * interface, synthesis, validation, tests) is checked against this table.
 */
export const AGENTAPI_MODULE_VARIABLES = {
  agentId: { variable: 'agent_id', type: 'string', required: true, check: nonEmpty },
  webAppOrder: { variable: 'web_app_order', type: 'number', required: false, check: order },
  webAppGroup: { variable: 'web_app_group', type: 'string', required: false },
  webAppIcon: { variable: 'web_app_icon', type: 'string', required: true, check: nonEmpty },
  webAppDisplayName: { variable: 'web_app_display_name', type: 'string', required: true, check: nonEmpty },
  webAppSlug: { variable: 'web_app_slug', type: 'string', required: true, check: slug },
  webApp: { variable: 'web_app', type: 'bool', required: false },
  folder: { variable: 'folder', type: 'string', required: false, check: nonEmpty },
  cliApp: { variable: 'cli_app', type: 'bool', required: false },
  cliAppOrder: { variable: 'cli_app_order', type: 'number', required: false, check: order },
  cliAppGroup: { variable: 'cli_app_group', type: 'string', required: false },
  cliAppIcon: { variable: 'cli_app_icon', type: 'string', required: false },
  cliAppDisplayName: { variable: 'cli_app_display_name', type: 'string', required: true, check: nonEmpty },
  cliAppSlug: { variable: 'cli_app_slug', type: 'string', required: true, check: slug },
  preInstallScript: { variable: 'pre_install_script', type: 'string', required: false },
  installScript: { variable: 'install_script', type: 'string', required: false },
  postInstallScript: { variable: 'post_install_script', type: 'string', required: false },
  startScript: { variable: 'start_script', type: 'string', required: true, check: nonEmpty },
  installAgentapi: { variable: 'install_agentapi', type: 'bool', required: false },
  agentapiVersion: { variable: 'agentapi_version', type: 'string', required: false, check: nonEmpty },
  agentapiPort: { variable: 'agentapi_port', type: 'number', required: false, check: port },
  taskLogSnapshot: { variable: 'task_log_snapshot', type: 'bool', required: false },
  taskId: { variable: 'task_id', type: 'string', required: false, check: taskId },
  enableStatePersistence: { variable: 'enable_state_persistence', type: 'bool', required: false },
  stateFilePath: { variable: 'state_file_path', type: 'string', required: false },
  pidFilePath: { variable: 'pid_file_path', type: 'string', required: false },
  shutdownFetchTimeout: { variable: 'shutdown_fetch_timeout', type: 'number', required: false, check: seconds },
  shutdownPostTimeout: { variable: 'shutdown_post_timeout', type: 'number', required: false, check: seconds },
  shutdownSnapshotDeadline: { variable: 'shutdown_snapshot_deadline', type: 'number', required: false, check: seconds },
  shutdownStateSaveWait: { variable: 'shutdown_state_save_wait', type: 'number', required: false, check: seconds },
  shutdownTerminateTimeout: { variable: 'shutdown_terminate_timeout', type: 'number', required: false, check: seconds },
  agentapiSubdomain: { variable: 'agentapi_subdomain', type: 'bool', required: false },
  moduleDirName: { variable: 'module_dir_name', type: 'string', required: true, check: nonEmpty },
} as const satisfies { readonly [K in keyof AgentapiModuleVariables]-?: VariableSpec };

// Compile-time agreement between the table and the interface: a prop whose required-ness or type
// differs from its table entry makes one of these constants fail to type-check, naming the prop.
type Table = typeof AGENTAPI_MODULE_VARIABLES;
// `{}` extends Pick<T, K> exactly when K is optional in T.
type IsRequired<T, K extends keyof T> = {} extends Pick<T, K> ? false : true;
type TsType<V extends VariableType> = V extends 'string' ? string : V extends 'number' ? number : boolean | IResolvable;
type RequiredMismatch = { [K in keyof Table]: Table[K]['required'] extends IsRequired<AgentapiModuleVariables, K> ? never : K }[keyof Table];
type TypeMismatch = {
  [K in keyof Table]: [Required<AgentapiModuleVariables>[K]] extends [TsType<Table[K]['type']>]
    ? [TsType<Table[K]['type']>] extends [Required<AgentapiModuleVariables>[K]]
      ? never
      : K
    : K;
}[keyof Table];
const tableAgreesOnRequired: [RequiredMismatch] extends [never] ? true : RequiredMismatch = true;
const tableAgreesOnTypes: [TypeMismatch] extends [never] ? true : TypeMismatch = true;

export type AgentapiModulePropName = keyof Table;

const OPTION_NAMES: ReadonlySet<string> = new Set<keyof AgentapiModuleOptions>([
  'source',
  'version',
  'skipAssetCreationFromLocalModules',
  'providers',
  'dependsOn',
]);

/** A prop that cannot work; thrown while the construct is built, before anything is synthesized. */
export class AgentapiModulePropsError extends Error {
  override name = 'AgentapiModulePropsError';
}

/**
 * The module block's inputs for `props`: snake_case names, undefined props left out so the module's
 * defaults apply. Throws AgentapiModulePropsError listing every problem at once.
 */
export function toModuleVariables(props: AgentapiModuleProps): Record<string, unknown> {
  const problems: string[] = [...unknownProps(props)];
  const variables: Record<string, unknown> = {};
  for (const [prop, spec] of Object.entries(AGENTAPI_MODULE_VARIABLES) as Array<[string, VariableSpec]>) {
    const value: unknown = (props as unknown as Record<string, unknown>)[prop];
    if (value === undefined) {
      if (spec.required) problems.push(`${prop} is required (module variable ${spec.variable} has no default)`);
      continue;
    }
    const problem = checkValue(value, spec);
    if (problem === undefined) variables[spec.variable] = value;
    else problems.push(`${prop} (${spec.variable}) ${problem}`);
  }
  problems.push(...crossChecks(props));
  if (problems.length > 0) throw new AgentapiModulePropsError(`invalid AgentapiModule props:\n  - ${problems.join('\n  - ')}`);
  return variables;
}

function unknownProps(props: AgentapiModuleProps): string[] {
  // TypeScript already rejects these; JavaScript callers and spread objects get the same message.
  return Object.keys(props)
    .filter((key) => !(key in AGENTAPI_MODULE_VARIABLES) && !OPTION_NAMES.has(key))
    .map((key) => `${key} is not a prop of AgentapiModule (module variables are camelCase, like taskLogSnapshot)`);
}

function checkValue(value: unknown, spec: VariableSpec): string | undefined {
  // A token is a reference Terraform resolves later (a variable, another resource's attribute).
  if (Token.isUnresolved(value)) return undefined;
  const typeProblem = checkType(value, spec.type);
  if (typeProblem !== undefined) return typeProblem;
  return spec.check === undefined ? undefined : (spec.check as (value: unknown) => string | undefined)(value);
}

function checkType(value: unknown, type: VariableType): string | undefined {
  const ok =
    type === 'string'
      ? typeof value === 'string'
      : type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : typeof value === 'boolean';
  return ok ? undefined : `must be a ${type === 'bool' ? 'boolean' : type}, got ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}

/** Problems that involve more than one prop. */
function crossChecks(props: AgentapiModuleProps): string[] {
  const problems: string[] = [];
  const literal = (value: unknown) => value !== undefined && !Token.isUnresolved(value);
  // Coder rejects two apps with one slug on the same agent.
  if (props.cliApp === true && literal(props.webAppSlug) && props.webAppSlug === props.cliAppSlug) {
    problems.push(`webAppSlug and cliAppSlug are both "${props.webAppSlug}"; with cliApp the two apps need different slugs`);
  }
  const source = props.source ?? DEFAULT_MODULE_SOURCE;
  if (props.version !== undefined && isLocalSource(source)) {
    problems.push(`version "${props.version}" cannot be used with the local source "${source}" (Terraform only versions registry modules)`);
  }
  if (source.trim() === '') problems.push('source must not be empty');
  return problems;
}

function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../');
}

/**
 * The generated `agentapi` module as a construct: typed props in, the module block out.
 *
 * ```ts
 * const agentapi = new AgentapiModule(stack, 'agentapi', { agentId, webAppSlug: 'claude', ..., taskLogSnapshot: false });
 * new SomeResource(stack, 'task', { appId: agentapi.taskAppId });
 * ```
 */
export class AgentapiModule extends TerraformHclModule {
  constructor(scope: Construct, id: string, props: AgentapiModuleProps) {
    const variables = toModuleVariables(props);
    super(scope, id, {
      source: props.source ?? DEFAULT_MODULE_SOURCE,
      version: props.version,
      skipAssetCreationFromLocalModules: props.skipAssetCreationFromLocalModules ?? true,
      providers: props.providers,
      dependsOn: props.dependsOn,
      variables,
    });
  }

  /** The web app's ID (output `task_app_id`): what `coder_ai_task.app_id` takes. Empty without the web app. */
  get taskAppId(): string {
    return this.getString('task_app_id');
  }
}
