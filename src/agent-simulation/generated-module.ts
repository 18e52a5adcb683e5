/**
 * Modules generated for the harness from a generator config (e.g. taskIdSource = variable for
 * the scenarios about var.task_id, or the configs the --module tests try), through the one way
 * of rendering a module into a directory (src/generate/render-to-dir.ts).
 */
import { type ConfigInput, configSchema } from '../config/schema.ts';
import { renderModuleToTempDir, sharedRenderedModuleDir } from '../generate/render-to-dir.ts';

const generated = new Map<string, Promise<string>>();

/**
 * Shared by processes: a temp dir named after a hash of the module's files. Within a process each
 * config is rendered once (concurrent scenarios would otherwise write the same files at once).
 */
export function generatedModuleDir(input: ConfigInput, label: string): Promise<string> {
  const key = `${label}\0${JSON.stringify(input)}`;
  let dir = generated.get(key);
  if (dir === undefined) {
    dir = sharedRenderedModuleDir(configSchema.parse(input), label);
    generated.set(key, dir);
    dir.catch(() => generated.delete(key));
  }
  return dir;
}

/** The default config with taskIdSource = variable. */
export function variableModeModuleDir(): Promise<string> {
  return generatedModuleDir({ taskIdSource: 'variable' }, 'variable-module');
}

/** A module generated into a fresh temp dir; the caller removes it with `cleanup` (in a `finally` or afterAll). */
export function generatedModuleTempDir(input: ConfigInput): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  return renderModuleToTempDir(configSchema.parse(input), 'module');
}
