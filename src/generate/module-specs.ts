import { join } from 'node:path';
import type { Config } from '../config/schema.ts';
import { templateContract } from '../contract/index.ts';
import { AGENTAPI_INTERFACE, moduleTemplateView, type ModuleInterface } from '../module/index.ts';
import { templateLabel, type ModuleSpec } from './module-spec.ts';
import { assertVariablesFromModel } from './variables-from-model.ts';
import { templatesRoot } from './paths.ts';

/**
 * The modules the config describes itself, in order (today the agentapi module); `generate` adds
 * the agent modules from their specs (src/agents/agent-module-specs.ts). Adding a module is one
 * entry here: a template directory, the context its templates see, and where it goes.
 */
export function moduleSpecs(config: Config): ModuleSpec[] {
  return [agentapiModuleSpec(config)];
}

/** The agentapi module, the one the config describes (`--out` retargets it alone). */
export function agentapiModuleSpec(config: Config): ModuleSpec {
  const context = agentapiTemplateContext(config);
  return {
    name: 'agentapi',
    templateDir: join(templatesRoot, 'agentapi'),
    context,
    outDir: config.outDir,
    checkRendered: (files, templateDir) => assertVariablesFromModel(files, context.module.declaredVariables.map((view) => view.name), templateLabel(templateDir, 'main.tf')),
  };
}

export type AgentapiTemplateContext = ReturnType<typeof agentapiTemplateContext>;

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
