// Each drop-in agent module against a committed description of the registry module it replaces
// (test/fixtures/registry-<slug>-interface.json, read from that module's main.tf): every registry
// variable declared with the same name, type and default; every variable only we have is an
// agentapi input passed through and listed in the module's README as an addition.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { interfaceDifferences, type RegistryVariable } from '../support/registry-interface.ts';
import { loadAgentSpec } from '../../src/agents/load-spec.ts';

const ROOT = resolve(import.meta.dirname, '../..');


interface Fixture {
  source: string;
  variables: RegistryVariable[];
}

type VariableBlock = { type?: string; default?: unknown };

/** slug, the registry module's version, and how many variables that version declares. */
const DROP_INS: Array<[string, string, number]> = [
  ['goose', '3.0.1', 15],
  ['aider', '2.0.1', 23],
  ['opencode', '0.1.3', 21],
  ['sourcegraph-amp', '3.0.0', 22],
];

describe.each(DROP_INS)('modules/%s against the registry module %s', async (slug, version, count) => {
  const fixture = JSON.parse(await readFile(resolve(ROOT, `test/fixtures/registry-${slug}-interface.json`), 'utf8')) as Fixture;
  const parsed = (await parse('main.tf', await readFile(resolve(ROOT, `modules/${slug}/main.tf`), 'utf8'))) as { variable: Record<string, VariableBlock[]> };
  const ours = new Map(Object.entries(parsed.variable).map(([name, blocks]) => [name, blocks[0]!]));
  const spec = await loadAgentSpec(resolve(ROOT, `examples/agents/${slug}.yaml`));

  it('the fixture describes that version, whole, with its date', () => {
    expect(fixture.source).toContain(`module version ${version}`);
    expect(fixture.source).toMatch(/snapshot of \d{4}-\d{2}-\d{2}/);
    expect(fixture.variables).toHaveLength(count);
    expect(spec.replaces).toMatchObject({ source: `registry.coder.com/${slug === 'goose' || slug === 'aider' ? 'coder' : 'coder-labs'}/${slug}/coder`, version });
  });

  it('declares every registry variable', () => {
    expect(fixture.variables.map((variable) => variable.name).filter((name) => !ours.has(name))).toEqual([]);
  });

  it("gives each the registry's type, and its default (or none when the registry requires it)", () => {
    expect(interfaceDifferences(fixture.variables, ours)).toEqual([]);
  });

  it("has extra variables only among agentapi's inputs, each listed in the README as an addition", async () => {
    const agentapi = (await parse('main.tf', await readFile(resolve(ROOT, 'modules/agentapi/main.tf'), 'utf8'))) as { variable: Record<string, VariableBlock[]> };
    const registryNames = new Set(fixture.variables.map((variable) => variable.name));
    const extra = [...ours.keys()].filter((name) => !registryNames.has(name));
    expect(extra.length).toBeGreaterThan(10);
    expect(extra.filter((name) => agentapi.variable[name] === undefined), 'extras that are not agentapi inputs').toEqual([]);
    const readme = await readFile(resolve(ROOT, `modules/${slug}/README.md`), 'utf8');
    const listed = /^Additions to the registry interface[^:]*: (.*)$/m.exec(readme)?.[1] ?? '';
    expect(extra.filter((name) => !listed.includes(`\`${name}\``)), 'additions missing from the README').toEqual([]);
    expect([...listed.matchAll(/`([a-z0-9_]+)`/g)].map((match) => match[1]).filter((name) => registryNames.has(name!)), 'registry inputs listed as additions').toEqual([]);
  });

  it('tells how to switch: the source and version lines to replace', async () => {
    const readme = await readFile(resolve(ROOT, `modules/${slug}/README.md`), 'utf8');
    expect(readme).toContain(`-  source   = "${spec.replaces!.source}"\n-  version  = "${version}"\n+  source   = "./modules/${slug}"`);
    expect(readme).toContain('task_log_snapshot');
  });
});
