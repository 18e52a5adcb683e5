// The construct's prop table must match the generated module's variables, in both task-ID modes: a new
// module variable without a prop (or a prop for a variable that is gone) fails here.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENTAPI_MODULE_VARIABLES } from '../../src/cdktf/index.ts';
import { parseMainTf, type ParsedModule } from '../support/module.ts';

const COMMITTED_MAIN_TF = resolve(import.meta.dirname, '../../modules/agentapi/main.tf');

interface DeclaredVariable {
  type: string;
  required: boolean;
}

function declaredVariables(parsed: ParsedModule): Map<string, DeclaredVariable> {
  const declared = new Map<string, DeclaredVariable>();
  for (const [name, blocks] of Object.entries(parsed.variable)) {
    const block = blocks[0];
    if (block === undefined) continue;
    // hcl2json gives types as '${string}'; a variable is required exactly when it has no default.
    declared.set(name, { type: String(block.type).replace(/^\$\{(.*)\}$/, '$1'), required: !('default' in block) });
  }
  return declared;
}

const table = Object.entries(AGENTAPI_MODULE_VARIABLES).map(([prop, spec]) => ({ prop, ...spec }));
const byVariable = new Map(table.map((entry) => [entry.variable as string, entry]));

describe('AGENTAPI_MODULE_VARIABLES against the generated module', () => {
  let committed: Map<string, DeclaredVariable>;
  let dataSourceMode: Map<string, DeclaredVariable>;
  let variableMode: Map<string, DeclaredVariable>;

  beforeAll(async () => {
    committed = declaredVariables((await parse('main.tf', await readFile(COMMITTED_MAIN_TF, 'utf8'))) as ParsedModule);
    dataSourceMode = declaredVariables(await parseMainTf({ taskIdSource: 'data-source' }));
    variableMode = declaredVariables(await parseMainTf({ taskIdSource: 'variable' }));
  });

  it('has a prop for every variable of the committed modules/agentapi/main.tf', () => {
    const missing = [...committed.keys()].filter((name) => !byVariable.has(name));
    expect(missing, 'module variables without an AgentapiModule prop').toEqual([]);
  });

  it('has a prop for every variable of both task-ID modes', () => {
    const missing = [...new Set([...dataSourceMode.keys(), ...variableMode.keys()])].filter((name) => !byVariable.has(name));
    expect(missing).toEqual([]);
  });

  it('maps every prop to a variable that one of the modes declares', () => {
    const stale = table.filter((entry) => !dataSourceMode.has(entry.variable) && !variableMode.has(entry.variable));
    expect(stale.map((entry) => entry.prop)).toEqual([]);
  });

  it('only task_id is specific to the variable mode', () => {
    const onlyVariableMode = [...variableMode.keys()].filter((name) => !dataSourceMode.has(name));
    expect(onlyVariableMode).toEqual(['task_id']);
    expect(committed.has('task_id')).toBe(false);
  });

  it('agrees with the module on which inputs are required', () => {
    const disagreements = table
      .filter((entry) => variableMode.has(entry.variable))
      .filter((entry) => variableMode.get(entry.variable)?.required !== entry.required)
      .map((entry) => `${entry.prop}: table says required=${entry.required}`);
    expect(disagreements).toEqual([]);
    expect(table.filter((entry) => entry.required).map((entry) => entry.prop).sort()).toEqual(
      ['agentId', 'cliAppDisplayName', 'cliAppSlug', 'moduleDirName', 'startScript', 'webAppDisplayName', 'webAppIcon', 'webAppSlug'].sort(),
    );
  });

  it('agrees with the module on each input type', () => {
    const disagreements = table
      .filter((entry) => variableMode.get(entry.variable)?.type !== entry.type)
      .map((entry) => `${entry.prop}: table ${entry.type}, module ${variableMode.get(entry.variable)?.type}`);
    expect(disagreements).toEqual([]);
  });

  it('maps each prop to the snake_case of its own name, one variable per prop', () => {
    const snake = (camel: string) => camel.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
    expect(table.filter((entry) => snake(entry.prop) !== entry.variable)).toEqual([]);
    expect(byVariable.size).toBe(table.length);
  });
});
