/**
 * The agentapi inputs an agent module sets itself. Every other variable of the generated agentapi
 * module is passed through under its own name (pass-through.ts), so a variable added to agentapi
 * reaches every agent module when it is regenerated.
 */
export const WRAPPER_SET_INPUTS: ReadonlySet<string> = new Set([
  'web_app_slug',
  'web_app_display_name',
  'web_app_icon',
  'cli_app_slug',
  'cli_app_display_name',
  'module_dir_name',
  'install_script',
  'start_script',
]);
