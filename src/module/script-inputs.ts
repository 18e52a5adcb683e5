/**
 * The `ARG_*` assignments put in front of each script (docs/architecture.md, "Script inputs"), in
 * the order main.tf writes them. Strings are POSIX single-quoted; bools and numbers go in raw.
 */
import type { ScriptInput } from './types.ts';

const quotedVar = (arg: string, variable: string): ScriptInput => ({ arg, from: { variable }, quoting: 'quoted' });
const rawVar = (arg: string, variable: string): ScriptInput => ({ arg, from: { variable }, quoting: 'raw' });
/** `reads`: the variables the local is computed from (for the README's inputs table). */
const quotedLocal = (arg: string, local: string, reads: readonly string[]): ScriptInput => ({ arg, from: { local, reads }, quoting: 'quoted' });

export const START_INPUTS: readonly ScriptInput[] = [
  quotedVar('ARG_MODULE_DIR_NAME', 'module_dir_name'),
  quotedLocal('ARG_WORKDIR', 'workdir', ['folder']),
  quotedLocal('ARG_PRE_INSTALL_SCRIPT', 'pre_install_script', ['pre_install_script']),
  quotedLocal('ARG_INSTALL_SCRIPT', 'install_script', ['install_script']),
  quotedLocal('ARG_POST_INSTALL_SCRIPT', 'post_install_script', ['post_install_script']),
  quotedVar('ARG_START_SCRIPT', 'start_script'),
  rawVar('ARG_INSTALL_AGENTAPI', 'install_agentapi'),
  quotedVar('ARG_AGENTAPI_VERSION', 'agentapi_version'),
  rawVar('ARG_AGENTAPI_PORT', 'agentapi_port'),
  quotedLocal('ARG_AGENTAPI_CHAT_BASE_PATH', 'agentapi_chat_base_path', ['agentapi_subdomain', 'agent_id', 'web_app_slug']),
  quotedLocal('ARG_TASK_ID', 'task_id', ['task_id']),
  rawVar('ARG_TASK_LOG_SNAPSHOT', 'task_log_snapshot'),
  rawVar('ARG_ENABLE_STATE_PERSISTENCE', 'enable_state_persistence'),
  quotedVar('ARG_STATE_FILE_PATH', 'state_file_path'),
  quotedVar('ARG_PID_FILE_PATH', 'pid_file_path'),
  rawVar('ARG_ENABLE_BOUNDARY', 'enable_boundary'),
  quotedVar('ARG_BOUNDARY_VERSION', 'boundary_version'),
  rawVar('ARG_COMPILE_BOUNDARY_FROM_SOURCE', 'compile_boundary_from_source'),
  rawVar('ARG_USE_BOUNDARY_DIRECTLY', 'use_boundary_directly'),
];

export const SHUTDOWN_INPUTS: readonly ScriptInput[] = [
  quotedLocal('ARG_TASK_ID', 'task_id', ['task_id']),
  rawVar('ARG_TASK_LOG_SNAPSHOT', 'task_log_snapshot'),
  rawVar('ARG_AGENTAPI_PORT', 'agentapi_port'),
  quotedVar('ARG_AGENTAPI_VERSION', 'agentapi_version'),
  rawVar('ARG_ENABLE_STATE_PERSISTENCE', 'enable_state_persistence'),
  quotedVar('ARG_MODULE_DIR_NAME', 'module_dir_name'),
  quotedVar('ARG_PID_FILE_PATH', 'pid_file_path'),
  rawVar('ARG_FETCH_TIMEOUT', 'shutdown_fetch_timeout'),
  rawVar('ARG_POST_TIMEOUT', 'shutdown_post_timeout'),
  rawVar('ARG_SNAPSHOT_DEADLINE', 'shutdown_snapshot_deadline'),
  rawVar('ARG_STATE_SAVE_WAIT', 'shutdown_state_save_wait'),
  rawVar('ARG_TERMINATE_TIMEOUT', 'shutdown_terminate_timeout'),
];

/** The Terraform text of one assignment line. */
export function inputLine(input: ScriptInput): string {
  const ref = 'variable' in input.from ? `var.${input.from.variable}` : `local.${input.from.local}`;
  const value = input.quoting === 'raw' ? `\${${ref}}` : `\${replace(${ref}, "'", "'\\\\''")}`;
  return `${input.arg}='${value}'`;
}
