import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { templateContract } from '../contract/index.ts';
import type { ModuleSpec } from './module-spec.ts';
import { templatesRoot } from './paths.ts';

/**
 * Every module `generate` writes and `generate --check` checks, in order. Adding a module is one
 * entry here: a template directory, the context its templates see, and where it goes.
 */
export function moduleSpecs(config: Config): ModuleSpec[] {
  return [agentapiModuleSpec(config)];
}

/** The agentapi module, the one the config describes (`--out` retargets it alone). */
export function agentapiModuleSpec(config: Config): ModuleSpec {
  return {
    name: 'agentapi',
    templateDir: join(templatesRoot, 'agentapi'),
    context: agentapiTemplateContext(config),
    outDir: config.outDir,
  };
}

/** What the agentapi templates see: the config itself plus facts derived from it. */
export function agentapiTemplateContext(config: Config) {
  return { ...config, taskIdFromDataSource: config.taskIdSource === 'data-source', contract: templateContract };
}
