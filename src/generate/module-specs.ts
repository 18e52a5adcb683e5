import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { templateContract } from '../contract/index.ts';
import { AGENTAPI_INTERFACE, moduleTemplateView, type ModuleInterface } from '../module/index.ts';
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

/**
 * What the agentapi templates see: the config itself, a few facts derived from it, the contract and
 * the module's interface (`module`, src/module/; a test passes an extended one).
 */
export function agentapiTemplateContext(config: Config, model: ModuleInterface = AGENTAPI_INTERFACE) {
  const module = moduleTemplateView(model, {
    taskIdSource: config.taskIdSource,
    messageCount: config.snapshot.messageCount,
    configValue: (group, key) => (config as unknown as Record<string, Record<string, unknown> | undefined>)[group]?.[key],
  });
  return { ...config, registry: config.registry ?? null, taskIdFromDataSource: config.taskIdSource === 'data-source', contract: templateContract, module };
}
