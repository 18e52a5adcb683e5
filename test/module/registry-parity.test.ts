// The generated module is a drop-in for the registry's agentapi module. Its variables are
// compared with a committed description of the registry module's interface (name, type, default);
// variables only we have must be marked as additions in the model and listed in the README.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { interfaceDifferences, type RegistryVariable } from '../support/registry-interface.ts';
import { AGENTAPI_INTERFACE } from '../../src/module/index.ts';
import type { ParsedModule } from '../support/module.ts';

const ROOT = resolve(import.meta.dirname, '../..');


const registry = JSON.parse(await readFile(resolve(ROOT, 'test/fixtures/registry-agentapi-interface.json'), 'utf8')) as { variables: RegistryVariable[] };

describe('modules/agentapi/main.tf against the registry module\'s interface', async () => {
  const parsed = (await parse('main.tf', await readFile(resolve(ROOT, 'modules/agentapi/main.tf'), 'utf8'))) as ParsedModule;
  const ours = new Map(Object.entries(parsed.variable).map(([name, blocks]) => [name, blocks[0]!]));

  it('describes the registry module (the fixture is not empty or truncated)', () => {
    expect(registry.variables.length).toBe(32);
  });

  it('declares every registry variable', () => {
    expect(registry.variables.map((variable) => variable.name).filter((name) => !ours.has(name))).toEqual([]);
  });

  it('gives each the registry\'s type, and its default (or none when the registry requires it)', () => {
    expect(interfaceDifferences(registry.variables, ours)).toEqual([]);
  });

  it('has extra variables only where the model marks them as additions, and the README lists each', async () => {
    const registryNames = new Set(registry.variables.map((variable) => variable.name));
    const additions = new Set(AGENTAPI_INTERFACE.variables.filter((variable) => variable.addition === true).map((variable) => variable.name));
    const extra = [...ours.keys()].filter((name) => !registryNames.has(name));
    expect(extra.filter((name) => !additions.has(name)), 'unmarked extra variables').toEqual([]);
    const readme = await readFile(resolve(ROOT, 'README.md'), 'utf8');
    const listed = /^\s*Additions to the registry interface: (.*)$/m.exec(readme)?.[1] ?? '';
    expect([...additions].filter((name) => !listed.includes(`\`${name}\``)), 'additions missing from the README').toEqual([]);
  });

  it('exposes BOUNDARY_CONFIG on the agent only when boundary is on and a config path is given', () => {
    const env = parsed.resource.coder_env?.boundary_config?.[0];
    expect(env).toEqual({
      count: '${var.enable_boundary && var.boundary_config_path != "" ? 1 : 0}',
      agent_id: '${var.agent_id}',
      name: 'BOUNDARY_CONFIG',
      value: '${var.boundary_config_path}',
    });
  });
});
