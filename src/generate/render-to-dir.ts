import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import type { ModuleSpec } from './module-spec.ts';
import { agentapiModuleSpec } from './module-specs.ts';
import { planModule } from './plan-module.ts';
import { renderModule, type GeneratedFile } from './render-module.ts';
import { applyPlans } from './write-module.ts';

/**
 * The one way the harness, the demo, the bench and the tests get a rendered agentapi module on
 * disk: the same render and the same write rules as `generate` (atomic, only its own files).
 */
export async function renderModuleToDir(config: Config, dir: string): Promise<GeneratedFile[]> {
  return renderSpecToDir(agentapiModuleSpec(config), dir);
}

/** Any module of the list (see module-specs.ts) rendered into `dir` instead of its own place. */
export async function renderSpecToDir(spec: ModuleSpec, dir: string): Promise<GeneratedFile[]> {
  const files = await renderModule(spec);
  await writeRendered(spec, dir, files);
  return files;
}

async function writeRendered(spec: ModuleSpec, dir: string, files: GeneratedFile[]): Promise<void> {
  await applyPlans([await planModule({ ...spec, outDir: dir }, files)]);
}

export interface RenderedModule {
  dir: string;
  /** Removes the directory; safe to call twice. */
  cleanup: () => Promise<void>;
}

/** Renders into a fresh temp directory; the caller removes it with `cleanup` (in a `finally`). */
export async function renderModuleToTempDir(config: Config, label = 'module'): Promise<RenderedModule> {
  const dir = await mkdtemp(join(tmpdir(), `agentapi-kit-${label}-`));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await renderModuleToDir(config, dir);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { dir, cleanup };
}

/**
 * A directory in the temp dir named after a hash of the rendered files, kept on purpose: test
 * processes running side by side share it, and runs leave at most one directory per distinct
 * rendering (rewriting it is a no-op when nothing changed, and each write is atomic).
 */
export async function sharedRenderedModuleDir(config: Config, label = 'module'): Promise<string> {
  const spec = agentapiModuleSpec(config);
  const files = await renderModule(spec);
  const digest = createHash('sha256').update(JSON.stringify(files)).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `agentapi-kit-${label}-${digest}`);
  await writeRendered(spec, dir, files);
  return dir;
}
