import { readFile } from 'node:fs/promises';
import { parse } from '@cdktf/hcl2json';
import { configSchema, type ConfigInput } from '../../src/config/schema.ts';
import { agentapiModuleSpec } from '../../src/generate/module-specs.ts';
import { renderModule } from '../../src/generate/render-module.ts';
import { renderModuleToTempDir, type RenderedModule } from '../../src/generate/render-to-dir.ts';

/** The JSON shape @cdktf/hcl2json gives for the parts of main.tf the tests look at. */
export interface ParsedModule {
  variable: Record<string, Array<{ type?: string; default?: unknown; description?: string; validation?: unknown[] }>>;
  data?: Record<string, Record<string, unknown[]>>;
  locals: Array<Record<string, unknown>>;
  resource: Record<string, Record<string, Array<Record<string, unknown>>>>;
  output: Record<string, Array<{ value: string }>>;
  terraform: Array<{ required_providers: Array<Record<string, { source: string; version: string }>> }>;
}

/** Renders the module for a config into a fresh temp dir; the caller removes it with `cleanup`. */
export async function generateInto(input: ConfigInput = {}): Promise<RenderedModule> {
  return renderModuleToTempDir(configSchema.parse(input));
}

export async function parseMainTf(input: ConfigInput = {}): Promise<ParsedModule> {
  const files = await renderModule(agentapiModuleSpec(configSchema.parse(input)));
  const main = files.find((file) => file.path === 'main.tf');
  if (main === undefined) throw new Error('renderModule produced no main.tf');
  return (await parse('main.tf', main.content)) as ParsedModule;
}

export function allLocals(parsed: ParsedModule): Record<string, unknown> {
  return Object.assign({}, ...parsed.locals);
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}
