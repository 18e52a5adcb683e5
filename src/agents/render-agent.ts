/** Renders one agent module (templates/agent/) from its spec and the agentapi module's spec. */
import { join } from 'node:path';
import { defaultConfig, type RegistryCoordinates } from '../config/schema.ts';
import type { ModuleSpec } from '../generate/module-spec.ts';
import { agentapiModuleSpec } from '../generate/module-specs.ts';
import { templatesRoot } from '../generate/paths.ts';
import { type GeneratedFile, renderModule } from '../generate/render-module.ts';
import { agentContext } from './agent-context.ts';
import { agentapiInterface } from './pass-through.ts';
import type { AgentSpec } from './spec-schema.ts';

export const AGENT_TEMPLATE_DIR = join(templatesRoot, 'agent');

export async function renderAgentModule(
  spec: AgentSpec,
  agentapi: Pick<ModuleSpec, 'templateDir' | 'context'> = agentapiModuleSpec(defaultConfig),
  templateDir = AGENT_TEMPLATE_DIR,
  registry: RegistryCoordinates | null = null,
): Promise<GeneratedFile[]> {
  return renderModule({ templateDir, context: agentContext(spec, await agentapiInterface(agentapi), registry), name: spec.slug });
}
