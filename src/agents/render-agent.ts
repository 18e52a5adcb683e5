/** Renders one agent module (templates/agent/) from its spec and the generated agentapi main.tf. */
import { join } from 'node:path';
import { templatesRoot } from '../generate/paths.ts';
import { type GeneratedFile, renderModule } from '../generate/render-module.ts';
import { agentContext } from './agent-context.ts';
import { readAgentapiInterface } from './pass-through.ts';
import type { AgentSpec } from './spec-schema.ts';

export const AGENT_TEMPLATE_DIR = join(templatesRoot, 'agent');

export async function renderAgentModule(spec: AgentSpec, agentapiMainTf: string, templateDir = AGENT_TEMPLATE_DIR): Promise<GeneratedFile[]> {
  return renderModule({ templateDir, context: agentContext(spec, await readAgentapiInterface(agentapiMainTf)) });
}
