/**
 * The agent modules a config asks for: each spec rendered into `<modules dir>/<slug>/`, beside the
 * agentapi module whose main.tf (as just rendered) defines what they pass through.
 */
import { dirname, join } from 'node:path';
import type { GeneratedFile } from '../generate/render-module.ts';
import { loadAgentSpec } from './load-spec.ts';
import { renderAgentModule } from './render-agent.ts';

export interface RenderedAgentModule {
  slug: string;
  outDir: string;
  files: GeneratedFile[];
}

export async function renderAgentModules(specPaths: readonly string[], agentapiFiles: GeneratedFile[], agentapiOutDir: string): Promise<RenderedAgentModule[]> {
  const mainTf = agentapiFiles.find((file) => file.path === 'main.tf');
  if (mainTf === undefined) throw new Error('the agentapi module rendered no main.tf');
  const modules: RenderedAgentModule[] = [];
  const seen = new Map<string, string>();
  for (const path of specPaths) {
    const spec = await loadAgentSpec(path);
    const earlier = seen.get(spec.slug);
    if (earlier !== undefined) throw new Error(`agent specs ${earlier} and ${path} both have slug "${spec.slug}"`);
    seen.set(spec.slug, path);
    modules.push({ slug: spec.slug, outDir: join(dirname(agentapiOutDir), spec.slug), files: await renderAgentModule(spec, mainTf.content) });
  }
  return modules;
}
