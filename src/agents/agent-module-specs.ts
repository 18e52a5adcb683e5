/**
 * The agent modules a config asks for, as module specs: each spec file rendered from templates/agent/
 * into `<modules dir>/<slug>/`, beside the agentapi module whose main.tf (rendered from the same
 * config) defines what they pass through.
 */
import { dirname, join } from 'node:path';
import type { RegistryCoordinates } from '../config/schema.ts';
import type { ModuleSpec } from '../generate/module-spec.ts';
import { renderModule } from '../generate/render-module.ts';
import { agentContext } from './agent-context.ts';
import { loadAgentSpec } from './load-spec.ts';
import { readAgentapiInterface } from './pass-through.ts';
import { AGENT_TEMPLATE_DIR } from './render-agent.ts';

export async function agentModuleSpecs(specPaths: readonly string[], agentapi: ModuleSpec, registry: RegistryCoordinates | null = null): Promise<ModuleSpec[]> {
  if (specPaths.length === 0) return [];
  const mainTf = (await renderModule(agentapi)).find((file) => file.path === 'main.tf');
  if (mainTf === undefined) throw new Error(`the ${agentapi.name} module renders no main.tf`);
  const face = await readAgentapiInterface(mainTf.content);
  const specs: ModuleSpec[] = [];
  const seen = new Map<string, string>();
  for (const path of specPaths) {
    const spec = await loadAgentSpec(path);
    const earlier = seen.get(spec.slug);
    if (earlier !== undefined) throw new Error(`agent specs ${earlier} and ${path} both have slug "${spec.slug}"`);
    seen.set(spec.slug, path);
    specs.push({ name: spec.slug, templateDir: AGENT_TEMPLATE_DIR, context: agentContext(spec, face, registry), outDir: join(dirname(agentapi.outDir), spec.slug) });
  }
  return specs;
}
