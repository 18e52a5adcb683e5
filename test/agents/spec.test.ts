import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentSpecError, loadAgentSpec, parseAgentSpec } from '../../src/agents/load-spec.ts';
import { starterSpec } from '../../src/agents/starter-spec.ts';

const examples = resolve(import.meta.dirname, '../../examples/agents');

const minimal = `
slug: demo
displayName: Demo
description: A demo agent.
icon: /icon/code.svg
agentType: custom
start: { command: [demo] }
`;

function errorOf(text: string): string {
  try {
    parseAgentSpec(text, 'spec.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(AgentSpecError);
    return (error as Error).message;
  }
  throw new Error('the spec was accepted');
}

describe('agent spec', () => {
  it.each(['aider.yaml', 'codex.yaml', 'goose.yaml', 'opencode.yaml', 'sourcegraph-amp.yaml'])('example %s is valid', async (name) => {
    const spec = await loadAgentSpec(join(examples, name));
    expect(spec.slug).toBe(name.replace('.yaml', ''));
  });

  it('every example file is one of the tested ones', async () => {
    expect((await readdir(examples)).filter((name) => name.endsWith('.yaml')).sort()).toEqual(['aider.yaml', 'codex.yaml', 'goose.yaml', 'opencode.yaml', 'sourcegraph-amp.yaml']);
  });

  it('fills defaults: the agentapi module beside it, no variables, no env', () => {
    const spec = parseAgentSpec(minimal, 'spec.yaml');
    expect(spec.agentapi).toEqual({ path: '../agentapi' });
    expect(spec.variables).toEqual([]);
    expect(spec.env).toEqual({});
    expect(spec.start.promptArgs).toEqual([]);
  });

  it('the starting spec new-agent writes is valid', () => {
    const spec = parseAgentSpec(starterSpec('my-agent'), 'starter.yaml');
    expect(spec.slug).toBe('my-agent');
    expect(spec.env).toEqual({ MY_AGENT_API_KEY: '${var.my_agent_api_key}' });
  });

  it('names the field and the problem', () => {
    expect(errorOf(minimal.replace('slug: demo', 'slug: Demo_1'))).toMatch(/^invalid agent spec spec\.yaml:\n {2}slug: must be lowercase/);
    expect(errorOf(minimal.replace('agentType: custom\n', ''))).toMatch(/agentType: /);
    expect(errorOf(`${minimal}colour: red\n`)).toMatch(/\(top level\): Unrecognized key: "colour"/);
  });

  it('rejects a default of the wrong type, naming the variable', () => {
    const text = `${minimal}variables:\n  - { name: retries, type: number, description: How often., default: "3" }\n`;
    expect(errorOf(text)).toMatch(/variables\.0\.default: is a string, but the variable's type is number/);
  });

  it('rejects a variable declared twice', () => {
    const variable = '  - { name: model, type: string, description: The model. }\n';
    expect(errorOf(`${minimal}variables:\n${variable}${variable}`)).toMatch(/variables\.1\.name: "model" is declared twice/);
  });

  it('rejects env values that reference undeclared variables or other expressions', () => {
    expect(errorOf(`${minimal}env:\n  KEY: \${var.missing}\n`)).toMatch(/env\.KEY: references var\.missing, which the spec's variables do not declare/);
    expect(errorOf(`${minimal}env:\n  KEY: \${data.coder_workspace.me.name}\n`)).toMatch(/env\.KEY: only \$\{var\.NAME\} references are allowed/);
    expect(errorOf(`${minimal}env:\n  lower: x\n`)).toMatch(/env\.lower: must be an environment variable name/);
  });

  it('needs {prompt} in promptArgs', () => {
    expect(errorOf(minimal.replace('start: { command: [demo] }', 'start: { command: [demo], promptArgs: [--message] }'))).toMatch(/start\.promptArgs: must contain the element "\{prompt\}"/);
  });

  it('needs an exact version for a registry source', () => {
    expect(errorOf(`${minimal}agentapi: { source: registry.coder.com/coder/agentapi/coder, version: "~> 2.4" }\n`)).toMatch(/agentapi/);
  });

  it('says when the file is not YAML or cannot be read', async () => {
    expect(errorOf('slug: [unclosed')).toMatch(/^agent spec spec\.yaml is not valid YAML: /);
    await expect(loadAgentSpec(join(examples, 'missing.yaml'))).rejects.toThrow(/cannot read agent spec .*missing\.yaml \(ENOENT\)/);
  });
});
