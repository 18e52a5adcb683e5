/**
 * Modules generated for the harness from a generator config (e.g. taskIdSource = variable for
 * the scenarios about var.task_id, or the configs the --module tests try).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConfigInput, configSchema } from '../config/schema.ts';
import { renderModule } from '../generate/render-module.ts';
import { writeModule } from '../generate/write-module.ts';

const generated = new Map<string, Promise<string>>();

/**
 * Generated once into the temp dir, named after a hash of its files, so processes share it and
 * runs leave nothing new behind (writeModule writes each file atomically and only when it differs).
 */
export function generatedModuleDir(input: ConfigInput, label: string): Promise<string> {
  const key = JSON.stringify(input);
  let dir = generated.get(key);
  if (dir === undefined) {
    dir = (async () => {
      const files = await renderModule(configSchema.parse(input));
      const digest = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
      const target = join(tmpdir(), `agentapi-kit-${label}-${digest}`);
      await writeModule(target, files);
      return target;
    })();
    generated.set(key, dir);
  }
  return dir;
}

/** The default config with taskIdSource = variable. */
export function variableModeModuleDir(): Promise<string> {
  return generatedModuleDir({ taskIdSource: 'variable' }, 'variable-module');
}

/** A module generated into a fresh temp dir; the caller removes it with `cleanup` (in a `finally` or afterAll). */
export async function generatedModuleTempDir(input: ConfigInput): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-module-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await writeModule(dir, await renderModule(configSchema.parse(input)));
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { dir, cleanup };
}
