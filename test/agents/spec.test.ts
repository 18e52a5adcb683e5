import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MINIMAL_SPEC, specErrorOf } from '../support/agent-spec.ts';
import { loadAgentSpec, parseAgentSpec } from '../../src/agents/load-spec.ts';
import { starterSpec } from '../../src/agents/starter-spec.ts';

const examples = resolve(import.meta.dirname, '../../examples/agents');

const minimal = MINIMAL_SPEC;
const errorOf = specErrorOf;

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

  it('names the field, its line and the problem', () => {
    expect(errorOf(minimal.replace('slug: demo', 'slug: Demo_1'))).toBe('invalid agent spec spec.yaml:\n  slug (line 2): must be lowercase letters, digits and -, e.g. "goose"');
  });

  it('says "required" for a missing field, and lists the valid values of agentType', () => {
    expect(errorOf(minimal.replace('description: A demo agent.\n', ''))).toBe('invalid agent spec spec.yaml:\n  description: required');
    expect(errorOf(minimal.replace('agentType: custom\n', ''))).toBe(
      'invalid agent spec spec.yaml:\n  agentType: required; one of: aider, amazonq, amp, auggie, claude, codex, copilot, cursor, cursor-agent, custom, gemini, goose, opencode, q',
    );
    expect(errorOf(minimal.replace('start: { command: [demo] }', 'start: { promptArgs: ["{prompt}"] }'))).toBe('invalid agent spec spec.yaml:\n  start.command (line 7): required');
  });

  it('rejects an agent type AgentAPI does not know, with the nearest one', () => {
    expect(errorOf(minimal.replace('agentType: custom', 'agentType: claud'))).toMatch(/^invalid agent spec spec\.yaml:\n {2}agentType \(line 6\): "claud" is not one of aider, .*, q; did you mean "claude"\?$/);
  });

  it('suggests the field meant by an unknown key when one is close, and lists the fields when none is', () => {
    expect(errorOf(minimal.replace('start: { command: [demo] }', 'start: { comand: [demo] }'))).toBe(
      'invalid agent spec spec.yaml:\n  start.command (line 7): required\n  start.comand (line 7): unknown field; did you mean "command"?',
    );
    expect(errorOf(`${minimal}variables:\n  - { name: model, type: string, descripton: The model. }\n`)).toBe(
      'invalid agent spec spec.yaml:\n  variables.0.description (line 9): required\n  variables.0.descripton (line 9): unknown field; did you mean "description"?',
    );
    expect(errorOf(`${minimal}agentapi: { pth: ../agentapi }\n`)).toBe('invalid agent spec spec.yaml:\n  agentapi.path (line 8): required\n  agentapi.pth (line 8): unknown field; did you mean "path"?');
    expect(errorOf(`${minimal}colour: red\n`)).toBe(
      'invalid agent spec spec.yaml:\n  colour (line 8): unknown field; the fields here are slug, displayName, description, icon, agentType, agentapi, variables, install, start, env, tags, files, replaces',
    );
  });

  it('says what an empty file or a list is not', () => {
    expect(errorOf('')).toMatch(/^invalid agent spec spec\.yaml:\n {2}\(top level\): the spec is empty; it needs the fields slug, displayName, /);
    expect(errorOf('- slug\n')).toMatch(/^invalid agent spec spec\.yaml:\n {2}\(top level\): must be a YAML mapping of the spec's fields \(slug, .*\), got a list$/);
  });

  it('rejects a default of the wrong type, naming the variable', () => {
    const text = `${minimal}variables:\n  - { name: retries, type: number, description: How often., default: "3" }\n`;
    expect(errorOf(text)).toMatch(/variables\.0\.default \(line 9\): is a string, but the variable's type is number/);
  });

  it('rejects a variable declared twice', () => {
    const variable = '  - { name: model, type: string, description: The model. }\n';
    expect(errorOf(`${minimal}variables:\n${variable}${variable}`)).toMatch(/variables\.1\.name \(line 10\): "model" is declared twice/);
  });

  it('rejects env values that reference undeclared variables or other expressions', () => {
    expect(errorOf(`${minimal}env:\n  KEY: \${var.missing}\n`)).toMatch(/env\.KEY \(line 9\): references var\.missing, which the spec's variables do not declare$/);
    expect(errorOf(`${minimal}env:\n  KEY: \${data.coder_workspace.me.name}\n`)).toMatch(/env\.KEY \(line 9\): only \$\{var\.NAME\} references are allowed/);
    expect(errorOf(`${minimal}env:\n  lower: x\n`)).toMatch(/env\.lower \(line 9\): must be an environment variable name/);
  });

  it('needs {prompt} in promptArgs', () => {
    expect(errorOf(minimal.replace('start: { command: [demo] }', 'start: { command: [demo], promptArgs: [--message] }'))).toMatch(/start\.promptArgs \(line 7\): must contain the element "\{prompt\}"/);
  });

  it('needs an exact version for a registry source', () => {
    expect(errorOf(`${minimal}agentapi: { source: registry.coder.com/coder/agentapi/coder, version: "~> 2.4" }\n`)).toBe(
      'invalid agent spec spec.yaml:\n  agentapi.version (line 8): must be an exact module version such as 2.4.0',
    );
  });

  it('shows a YAML syntax error as the line with a caret under the spot', () => {
    expect(errorOf('slug: demo\nstart: { command: [demo }\n')).toBe(
      [
        'agent spec spec.yaml is not valid YAML: line 2, column 25: Flow sequence in block collection must be sufficiently indented and end with a ]',
        '  2 | start: { command: [demo }',
        '    |                         ^',
      ].join('\n'),
    );
    expect(errorOf('slug: a\nslug: b\n')).toBe(['agent spec spec.yaml is not valid YAML: line 2, column 1: Map keys must be unique', '  2 | slug: b', '    | ^'].join('\n'));
  });

  it('says when the file cannot be read', async () => {
    await expect(loadAgentSpec(join(examples, 'missing.yaml'))).rejects.toThrow(/cannot read agent spec .*missing\.yaml \(ENOENT\)/);
  });
});

describe('agent spec: how fields refer to variables', () => {
  const withVariables = `${minimal}variables:\n  - { name: model, type: string, description: The model. }\n  - { name: api_key, type: string, description: The key., sensitive: true }\n`;

  it('accepts ${var.NAME} of a non-sensitive variable in start.command and promptArgs', () => {
    const text = withVariables.replace('start: { command: [demo] }', 'start: { command: [demo, --model, "${var.model}"], promptArgs: ["--as=${var.model}", "{prompt}"] }');
    expect(parseAgentSpec(text, 'spec.yaml').start.command).toEqual(['demo', '--model', '${var.model}']);
  });

  it('rejects a sensitive variable on the command line, pointing at env', () => {
    const text = `${withVariables.replace('[demo]', '[demo, "--key=${var.api_key}"]')}env:\n  API_KEY: \${var.api_key}\n`;
    expect(errorOf(text)).toBe(
      'invalid agent spec spec.yaml:\n  start.command.1 (line 7): var.api_key is sensitive and must not be on a command line (every process can read it); read "$API_KEY" instead, which env sets from ${var.api_key}',
    );
  });

  it('rejects undeclared variables and other interpolations on the command line, and $ARG_ text that would stay literal', () => {
    expect(errorOf(withVariables.replace('[demo]', '[demo, "${var.modl}"]'))).toBe(
      "invalid agent spec spec.yaml:\n  start.command.1 (line 7): references var.modl, which the spec's variables do not declare; did you mean var.model?",
    );
    expect(errorOf(withVariables.replace('[demo]', '[demo, "${HOME}/x"]'))).toBe(
      "invalid agent spec spec.yaml:\n  start.command.1 (line 7): only ${var.NAME} is replaced in the agent's command line, got ${HOME}; anything else is passed as written, so this is rejected",
    );
    expect(errorOf(withVariables.replace('[demo]', '[demo, --model, $ARG_MODEL]'))).toBe(
      'invalid agent spec spec.yaml:\n  start.command.2 (line 7): the command line is not shell: $ARG_MODEL would reach the agent as written; write ${var.model}',
    );
  });

  it.each([
    ['$ARG_API_KEY', 'curl -H "Authorization: $ARG_API_KEY" https://example.com'],
    ['${ARG_API_KEY}', 'echo "${ARG_API_KEY}" >key'],
    ['${ARG_API_KEY:-}', '[ -n "${ARG_API_KEY:-}" ] || exit 1'],
  ])('rejects a sensitive variable read in install as %s, with the way to do it', (_form, line) => {
    const text = `${withVariables}install: |\n  echo start\n  ${line}\n`;
    expect(errorOf(text)).toBe(
      'invalid agent spec spec.yaml:\n  install (line 11): script line 2 uses ARG_API_KEY, but var.api_key is sensitive and never reaches ARG_* (unset there: "$ARG_API_KEY" stops the install with "ARG_API_KEY: parameter not set"); pass it in env (e.g. env: { API_KEY: ${var.api_key} }) and read "$API_KEY"',
    );
  });

  it('rejects ${var.NAME} in install (a bad substitution in sh) and keeps the shell\'s own ${...}', () => {
    expect(errorOf(`${withVariables}install: |\n  npm install "x@\${var.model}"\n`)).toBe(
      'invalid agent spec spec.yaml:\n  install (line 11): script line 1: install is shell, not Terraform, so ${var.model} is a "bad substitution" there; write "$ARG_MODEL"',
    );
    expect(parseAgentSpec(`${withVariables}install: |\n  echo "\${HOME}/x \${ARG_MODEL:-none} $ARG_MODEL"\n`, 'spec.yaml').install).toContain('${HOME}');
  });

  it('leaves a non-sensitive variable whose name extends a sensitive one alone', () => {
    const text = `${withVariables}  - { name: api_key_file, type: string, description: A path. }\ninstall: |\n  cat "$ARG_API_KEY_FILE"\n`;
    expect(parseAgentSpec(text, 'spec.yaml').install).toBe('cat "$ARG_API_KEY_FILE"\n');
  });
});

describe('agent spec: wrong shapes in the author\'s words', () => {
  it.each([
    ['agentapi: ../agentapi\n', '  agentapi (line 8): must be a mapping, got a string ("../agentapi")'],
    ['variables: {}\n', '  variables (line 8): must be a list, got a mapping'],
    ['tags: [Bad]\n', '  tags.0 (line 8): must be lowercase letters, digits and -'],
    ['variables:\n  - { name: x, type: str, description: d }\n', '  variables.0.type (line 9): "str" is not one of string, bool, number'],
  ])('%j', (extra, problem) => {
    expect(errorOf(`${minimal}${extra}`)).toBe(`invalid agent spec spec.yaml:\n${problem}`);
  });
});
