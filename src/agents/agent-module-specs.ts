/**
 * The agent modules a config asks for, as module specs: each spec file rendered from templates/agent/
 * into `<modules dir>/<slug>/`, beside the agentapi module whose interface (the model, seen through
 * the same config) defines what they pass through.
 */
import { dirname, join } from 'node:path';
import type { RegistryCoordinates } from '../config/schema.ts';
import type { ModuleSpec } from '../generate/module-spec.ts';
import { agentContext, AgentSpecConflict } from './agent-context.ts';
import { AgentSpecError, loadAgentSpec } from './load-spec.ts';
import { agentapiInterface } from './pass-through.ts';
import { AGENT_TEMPLATE_DIR } from './render-agent.ts';

/** `registry`: the config's `registry`, where the modules are published (their READMEs' usage examples). */
export async function agentModuleSpecs(specPaths: readonly string[], agentapi: ModuleSpec, registry: RegistryCoordinates | null = null): Promise<ModuleSpec[]> {
  if (specPaths.length === 0) return [];
  const face = await agentapiInterface(agentapi);
  const specs: ModuleSpec[] = [];
  const seen = new Map<string, string>();
  for (const path of specPaths) {
    const spec = await loadAgentSpec(path);
    const earlier = seen.get(spec.slug);
    if (earlier !== undefined) throw new Error(`agent specs ${earlier} and ${path} both have slug "${spec.slug}"`);
    seen.set(spec.slug, path);
    specs.push({ name: spec.slug, templateDir: AGENT_TEMPLATE_DIR, context: contextOf(spec, face, path, registry), outDir: join(dirname(agentapi.outDir), spec.slug) });
  }
  return specs;
}

/** A spec at odds with the agentapi module it wraps is the spec's error, named like a schema error. */
function contextOf(spec: Parameters<typeof agentContext>[0], face: Parameters<typeof agentContext>[1], path: string, registry: RegistryCoordinates | null) {
  try {
    return agentContext(spec, face, registry);
  } catch (error) {
    if (error instanceof AgentSpecConflict) throw new AgentSpecError(`invalid agent spec ${path}:\n  ${error.message}`);
    throw error;
  }
}
