/** Renders one agent module (templates/agent/) from its spec and the generated agentapi main.tf. */
import { join } from 'node:path';
import type { RegistryCoordinates } from '../config/schema.ts';
import { templatesRoot } from '../generate/paths.ts';
import { type GeneratedFile, renderModule } from '../generate/render-module.ts';
import { agentContext } from './agent-context.ts';
import { readAgentapiInterface } from './pass-through.ts';
import type { AgentSpec } from './spec-schema.ts';

export const AGENT_TEMPLATE_DIR = join(templatesRoot, 'agent');

/** `registry`: the config's `registry`, where the module is published (its README's usage example). */
export async function renderAgentModule(spec: AgentSpec, agentapiMainTf: string, templateDir = AGENT_TEMPLATE_DIR, registry: RegistryCoordinates | null = null): Promise<GeneratedFile[]> {
  return renderModule({ templateDir, context: agentContext(spec, await readAgentapiInterface(agentapiMainTf), registry) });
}
