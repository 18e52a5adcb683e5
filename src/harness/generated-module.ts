/**
 * Modules generated for the harness from a generator config (e.g. taskIdSource = variable for
 * the scenarios about var.task_id, or the configs the --module tests try), through the one way
 * of rendering a module into a directory (src/generate/render-to-dir.ts).
 */
import { type ConfigInput, configSchema } from '../config/schema.ts';
import { renderModuleToTempDir, sharedRenderedModuleDir } from '../generate/render-to-dir.ts';

/** Shared by processes: a temp dir named after a hash of the module's files, written once. */
export function generatedModuleDir(input: ConfigInput, label: string): Promise<string> {
  return sharedRenderedModuleDir(configSchema.parse(input), label);
}

/** The default config with taskIdSource = variable. */
export function variableModeModuleDir(): Promise<string> {
  return generatedModuleDir({ taskIdSource: 'variable' }, 'variable-module');
}

/** A module generated into a fresh temp dir; the caller removes it with `cleanup` (in a `finally` or afterAll). */
export function generatedModuleTempDir(input: ConfigInput): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  return renderModuleToTempDir(configSchema.parse(input), 'module');
}
