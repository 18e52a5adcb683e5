/**
 * Every variable of the agentapi module, in main.tf's order. The Terraform blocks, the config
 * defaults, the CDKTF construct's props and checks and the module README's inputs table are made
 * from this list; adding an entry adds the variable to all of them.
 */
import type { ModuleVariable } from './types.ts';
import {
  boundaryVersionWhenDownloaded,
  oneBoundarySource,
  order,
  port,
  slugWhenEnabled,
  subdomainNeedsVersion,
  wholeSeconds,
} from './validations.ts';

export const AGENTAPI_VARIABLES = [
  { name: 'agent_id', type: 'string', description: 'The ID of a Coder agent.' },
  {
    name: 'web_app_order',
    type: 'number',
    description:
      'The order determines the position of app in the UI presentation. The lowest order is shown first and apps with equal order are sorted by name (ascending order).',
    default: null,
    validations: [order('web_app_order')],
  },
  { name: 'web_app_group', type: 'string', description: 'The name of a group that this app belongs to.', default: null },
  { name: 'web_app_icon', type: 'string', description: 'The icon to use for the app.' },
  { name: 'web_app_display_name', type: 'string', description: 'The display name of the web app.' },
  { name: 'web_app_slug', type: 'string', description: 'The slug of the web app.', validations: [slugWhenEnabled('web_app_slug', 'web_app')] },
  {
    name: 'web_app',
    type: 'bool',
    description: ({ taskIdFromDataSource }) =>
      `Whether to create the web workspace app.${
        taskIdFromDataSource
          ? ' A task workspace always gets it: Coder Tasks (coder_ai_task) need it.'
          : ' The web app is required for Coder Tasks (coder_ai_task).'
      }`,
    configDefault: { group: 'defaults', key: 'webApp', value: true },
  },
  {
    name: 'folder',
    type: 'string',
    description: 'The folder to run AgentAPI in.',
    configDefault: { group: 'defaults', key: 'folder', value: '/home/coder' },
  },
  {
    name: 'cli_app',
    type: 'bool',
    description: 'Whether to create the CLI workspace app.',
    configDefault: { group: 'defaults', key: 'cliApp', value: false },
  },
  {
    name: 'cli_app_order',
    type: 'number',
    description: 'The order of the CLI workspace app.',
    default: null,
    validations: [order('cli_app_order')],
  },
  { name: 'cli_app_group', type: 'string', description: 'The group of the CLI workspace app.', default: null },
  {
    name: 'cli_app_icon',
    type: 'string',
    description: 'The icon to use for the app.',
    configDefault: { group: 'defaults', key: 'cliAppIcon', value: '/icon/claude.svg' },
  },
  { name: 'cli_app_display_name', type: 'string', description: 'The display name of the CLI workspace app.' },
  { name: 'cli_app_slug', type: 'string', description: 'The slug of the CLI workspace app.', validations: [slugWhenEnabled('cli_app_slug', 'cli_app')] },
  { name: 'pre_install_script', type: 'string', description: 'Custom script to run before installing the agent used by AgentAPI.', default: null },
  {
    name: 'install_script',
    type: 'string',
    description: 'Script to install the agent used by AgentAPI.',
    configDefault: { group: 'defaults', key: 'installScript', value: '' },
  },
  { name: 'post_install_script', type: 'string', description: 'Custom script to run after installing the agent used by AgentAPI.', default: null },
  { name: 'start_script', type: 'string', description: 'Script that starts AgentAPI.' },
  {
    name: 'install_agentapi',
    type: 'bool',
    description: 'Whether to install AgentAPI.',
    configDefault: { group: 'defaults', key: 'installAgentapi', value: true },
  },
  {
    name: 'agentapi_version',
    type: 'string',
    description: 'The version of AgentAPI to install.',
    configDefault: { group: 'defaults', key: 'agentapiVersion', value: 'v0.10.0' },
  },
  {
    name: 'agentapi_port',
    type: 'number',
    description: 'The port used by AgentAPI.',
    configDefault: { group: 'defaults', key: 'agentapiPort', value: 3284 },
    validations: [port('agentapi_port')],
  },
  {
    name: 'task_log_snapshot',
    type: 'bool',
    description: ({ messageCount }) => `Capture last ${messageCount} messages when workspace stops for offline viewing while task is paused.`,
    configDefault: { group: 'defaults', key: 'taskLogSnapshot', value: true },
  },
  {
    name: 'task_id',
    type: 'string',
    description: 'ID of the Coder task this workspace runs, or empty outside a task. For coder provider versions without the coder_task data source.',
    default: '',
    onlyIn: 'variable',
    addition: true,
  },
  {
    name: 'enable_state_persistence',
    type: 'bool',
    description: "Save AgentAPI's conversation state on shutdown and restore it on start (AgentAPI >= v0.12.0).",
    configDefault: { group: 'defaults', key: 'enableStatePersistence', value: false },
  },
  {
    name: 'state_file_path',
    type: 'string',
    description: 'Where AgentAPI keeps its state. Empty means $HOME/<module_dir_name>/agentapi-state.json.',
    default: '',
  },
  {
    name: 'pid_file_path',
    type: 'string',
    description: "Where AgentAPI's PID is written. Empty means $HOME/<module_dir_name>/agentapi.pid.",
    default: '',
  },
  {
    name: 'shutdown_fetch_timeout',
    type: 'number',
    description: "Seconds the shutdown script waits for AgentAPI's GET /messages.",
    configDefault: { group: 'timeouts', key: 'fetchSeconds', value: 2 },
    validations: [wholeSeconds('shutdown_fetch_timeout', true)],
    addition: true,
  },
  {
    name: 'shutdown_post_timeout',
    type: 'number',
    description: 'Seconds the shutdown script waits for one log snapshot upload attempt.',
    configDefault: { group: 'timeouts', key: 'postSeconds', value: 2 },
    validations: [wholeSeconds('shutdown_post_timeout')],
    addition: true,
  },
  {
    name: 'shutdown_snapshot_deadline',
    type: 'number',
    description: 'Seconds the whole log snapshot (fetch, upload and retries) may take before shutdown goes on without it.',
    configDefault: { group: 'timeouts', key: 'snapshotDeadlineSeconds', value: 5 },
    validations: [wholeSeconds('shutdown_snapshot_deadline')],
    addition: true,
  },
  {
    name: 'shutdown_state_save_wait',
    type: 'number',
    description: 'Seconds to wait after SIGUSR1 for AgentAPI to save its state.',
    configDefault: { group: 'timeouts', key: 'stateSaveWaitSeconds', value: 1 },
    validations: [wholeSeconds('shutdown_state_save_wait')],
    addition: true,
  },
  {
    name: 'shutdown_terminate_timeout',
    type: 'number',
    description: 'Seconds to wait for AgentAPI to exit after SIGTERM before it is killed.',
    configDefault: { group: 'timeouts', key: 'terminateWaitSeconds', value: 2 },
    validations: [wholeSeconds('shutdown_terminate_timeout')],
    addition: true,
  },
  {
    name: 'agentapi_subdomain',
    type: 'bool',
    description: 'Whether to use a subdomain for AgentAPI.',
    configDefault: { group: 'defaults', key: 'agentapiSubdomain', value: true },
    validations: [subdomainNeedsVersion],
  },
  { name: 'module_dir_name', type: 'string', description: 'Name of the subdirectory in the home directory for module files.' },
  // Boundary (network filtering for the agent), with the registry module's names, types and defaults.
  {
    name: 'enable_boundary',
    type: 'bool',
    description:
      'Run the agent inside boundary, which filters its network access: the start script prepares boundary and exports AGENTAPI_BOUNDARY_PREFIX for the start_script to put in front of the agent command.',
    configDefault: { group: 'defaults', key: 'enableBoundary', value: false },
  },
  {
    name: 'boundary_config_path',
    type: 'string',
    description: "Path of boundary's config.yaml in the workspace; with enable_boundary it is exposed to the agent as BOUNDARY_CONFIG. Empty: none.",
    configDefault: { group: 'defaults', key: 'boundaryConfigPath', value: '' },
  },
  {
    name: 'boundary_version',
    type: 'string',
    description:
      'Which boundary to get: a release or "latest" with use_boundary_directly, a git ref (tag, branch, commit) with compile_boundary_from_source. Unused by the coder boundary subcommand.',
    configDefault: { group: 'defaults', key: 'boundaryVersion', value: 'latest' },
    validations: [boundaryVersionWhenDownloaded],
  },
  {
    name: 'compile_boundary_from_source',
    type: 'bool',
    description: 'Build boundary from its git repository at boundary_version instead of using the coder CLI\'s boundary subcommand.',
    configDefault: { group: 'defaults', key: 'compileBoundaryFromSource', value: false },
  },
  {
    name: 'use_boundary_directly',
    type: 'bool',
    description: "Install boundary's release (boundary_version) and run it directly instead of the coder CLI's boundary subcommand.",
    configDefault: { group: 'defaults', key: 'useBoundaryDirectly', value: false },
    validations: [oneBoundarySource],
  },
] as const satisfies readonly ModuleVariable[];

export type AgentapiVariable = (typeof AGENTAPI_VARIABLES)[number];
