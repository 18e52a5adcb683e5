// The spec fields that make an agent module a drop-in for a registry module: what they accept, and
// the one Error (file, field, problem) a wrong use of them gives, at parse time or at generate time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINIMAL_SPEC, specErrorOf } from '../support/agent-spec.ts';
import { agentModuleSpecs } from '../../src/agents/agent-module-specs.ts';
import { AgentSpecError, parseAgentSpec } from '../../src/agents/load-spec.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { agentapiModuleSpec } from '../../src/generate/module-specs.ts';
import { starterSpec } from '../../src/agents/starter-spec.ts';

const minimal = MINIMAL_SPEC;
const errorOf = specErrorOf;

const withVariables = (lines: string) => `${minimal}variables:\n${lines}`;

describe('drop-in spec fields', () => {
  it('accept default null, an agentapi input under another name, allowed values and config files', () => {
    const spec = parseAgentSpec(
      `${withVariables(
        [
          '  - { name: order, type: number, description: Order., default: null, agentapiInput: web_app_order }',
          '  - { name: provider, type: string, description: Provider., default: a, oneOf: { values: [a, b], errorMessage: a or b. } }',
          '  - { name: config, type: string, description: Config., default: null }',
        ].join('\n'),
      )}\nfiles:\n  - { path: .config/demo/config.yml, from: config }\n`,
      'spec.yaml',
    );
    expect(spec.variables[0]).toMatchObject({ default: null, agentapiInput: 'web_app_order' });
    expect(spec.files).toEqual([{ path: '.config/demo/config.yml', from: 'config' }]);
    expect(spec.start).toMatchObject({ options: [], promptVia: 'args', prepare: '' });
  });

  it('refuse an agentapi input the module sets itself, or one two variables set', () => {
    expect(errorOf(withVariables('  - { name: slug2, type: string, description: S., agentapiInput: web_app_slug }\n'))).toMatch(
      /variables\.0\.agentapiInput(?: \(line \d+\))?: web_app_slug is set by the module itself and cannot come from a variable/,
    );
    const twice = '  - { name: a, type: string, description: A., agentapiInput: folder }\n  - { name: b, type: string, description: B., agentapiInput: folder }\n';
    expect(errorOf(withVariables(twice))).toMatch(/variables\.1\.agentapiInput(?: \(line \d+\))?: folder is already set by variable a/);
  });

  it('refuse a config file from a sensitive, undeclared or non-string variable, or outside HOME', () => {
    const key = '  - { name: key, type: string, description: K., default: "", sensitive: true }\n  - { name: flag, type: bool, description: F., default: true }\n';
    expect(errorOf(`${withVariables(key)}files:\n  - { path: key.txt, from: key }\n`)).toMatch(/files\.0\.from(?: \(line \d+\))?: key: is sensitive, and sensitive values reach the agent only through env/);
    expect(errorOf(`${withVariables(key)}files:\n  - { path: x.txt, from: nope }\n`)).toMatch(/files\.0\.from(?: \(line \d+\))?: nope: the spec's variables do not declare it/);
    expect(errorOf(`${withVariables(key)}files:\n  - { path: x.txt, from: flag }\n`)).toMatch(/files\.0\.from(?: \(line \d+\))?: flag: must be a string variable, is a bool/);
    expect(errorOf(`${withVariables(key)}files:\n  - { path: ../etc/x, from: flag }\n`)).toMatch(/files\.0\.path(?: \(line \d+\))?: must not contain "\.\."/);
  });

  it('refuse start options and prompt variables the scripts cannot see, and promptArgs when AgentAPI sends the prompt', () => {
    const text = (start: string) => `${withVariables('  - { name: model, type: string, description: M., default: "" }\n  - { name: n, type: number, description: N., default: 1 }\n')}`.replace('start: { command: [demo] }', start);
    expect(errorOf(text('start: { command: [demo], options: [{ variable: nope, flag: --model }] }'))).toMatch(/start\.options\.0\.variable(?: \(line \d+\))?: nope: the spec's variables do not declare it/);
    expect(errorOf(text('start: { command: [demo], options: [{ variable: model, flag: model }] }'))).toMatch(/start\.options\.0\.flag(?: \(line \d+\))?: must be a flag starting with -/);
    expect(errorOf(text('start: { command: [demo], promptVariable: n }'))).toMatch(/start\.promptVariable(?: \(line \d+\))?: n: must be a string variable, is a number/);
    expect(errorOf(text('start: { command: [demo], promptVia: agentapi, promptArgs: ["{prompt}"] }'))).toMatch(/start\.promptArgs(?: \(line \d+\))?: must be empty when promptVia is agentapi/);
  });

  it('refuse a default outside oneOf, and oneOf on a bool', () => {
    expect(errorOf(withVariables('  - { name: p, type: string, description: P., default: c, oneOf: { values: [a, b], errorMessage: x } }\n'))).toMatch(/variables\.0\.default(?: \(line \d+\))?: "c" is not one of oneOf\.values/);
    expect(errorOf(withVariables('  - { name: p, type: bool, description: P., default: true, oneOf: { values: [a], errorMessage: x } }\n'))).toMatch(/variables\.0\.oneOf\.values(?: \(line \d+\))?: applies to string and number variables/);
  });

  it('refuse a replaced module that is not a registry source with an exact version', () => {
    expect(errorOf(`${minimal}replaces: { source: github.com/x/y, version: 1.0.0 }\n`)).toMatch(/replaces\.source(?: \(line \d+\))?: must be a registry source/);
    expect(errorOf(`${minimal}replaces: { source: registry.coder.com/coder/goose/coder, version: "~> 3.0" }\n`)).toMatch(/replaces\.version(?: \(line \d+\))?: must be the exact registry version/);
  });
});

it('the starting spec new-agent writes uses the drop-in fields, and names the rest in comments', () => {
  const text = starterSpec('my-agent');
  const spec = parseAgentSpec(text, 'starter.yaml');
  expect(spec.variables.find((variable) => variable.name === 'order')).toMatchObject({ default: null, agentapiInput: 'web_app_order' });
  expect(spec.variables.find((variable) => variable.name === 'my_agent_mode')?.oneOf?.values).toEqual(['fast', 'careful']);
  expect(spec.files).toEqual([{ path: '.config/my-agent/config.yml', from: 'my_agent_config' }]);
  expect(spec.start.options).toEqual([{ variable: 'my_agent_model', flag: '--model' }]);
  for (const field of ['promptVia: agentapi', 'promptVariable:', 'prepare: |', 'replaces:', 'passedThrough:', 'usage:', 'changes:']) expect(text).toContain(field);
});

describe('drop-in fields checked against the agentapi module at generate time', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-dropin-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function generateError(name: string, text: string): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, text);
    const error = await agentModuleSpecs([path], agentapiModuleSpec(defaultConfig)).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AgentSpecError);
    return (error as Error).message;
  }

  it('names the file and the field when agentapiInput is not an agentapi input', async () => {
    const message = await generateError('unknown.yaml', withVariables('  - { name: order, type: number, description: O., default: null, agentapiInput: web_app_ordr }\n'));
    expect(message).toBe(`invalid agent spec ${join(dir, 'unknown.yaml')}:\n  variables.0.agentapiInput: the agentapi module has no input web_app_ordr a variable can set`);
  });

  it('names the file and the field when a variable would be declared twice beside the pass-through', async () => {
    const message = await generateError('clash.yaml', withVariables('  - { name: folder, type: string, description: F., default: /tmp }\n'));
    expect(message).toMatch(/clash\.yaml(?: \(line \d+\))?:\n {2}variables\.0\.name: "folder" is already an agentapi input this module passes through; give it agentapiInput to take it over/);
  });

  it('names the file and the field when replaces.passedThrough names no passed-through input', async () => {
    const message = await generateError('shared.yaml', `${minimal}replaces: { source: registry.coder.com/coder/demo/coder, version: 1.0.0, passedThrough: [agent_id, web_app_slug] }\n`);
    expect(message).toMatch(/shared\.yaml(?: \(line \d+\))?:\n {2}replaces\.passedThrough\.1: web_app_slug is not an agentapi input this module passes through/);
  });
});

describe('start.prepare', () => {
  const spec = (prepare: string) =>
    `${withVariables('  - { name: key, type: string, description: K., default: "", sensitive: true }\n  - { name: model, type: string, description: M., default: "" }\n  - { name: ai_prompt, type: string, description: P., default: "" }\n')}`.replace(
      'start: { command: [demo] }',
      `start:\n  command: [demo]\n  promptVariable: ai_prompt\n  prepare: |\n    ${prepare}\n`,
    );

  it('may use ARG_PROMPT and the ARG_ of a variable the scripts get', () => {
    expect(parseAgentSpec(spec('ARG_PROMPT="$ARG_MODEL: ${ARG_PROMPT}"'), 'spec.yaml').start.prepare).toContain('$ARG_MODEL');
  });

  it('refuses ${var.NAME} and the ARG_ of a sensitive variable or of the prompt variable', () => {
    expect(errorOf(spec('echo "${var.model}"'))).toMatch(/start\.prepare(?: \(line \d+\))?: is shell, not a Terraform template: use \$ARG_<NAME>, not \$\{var\.NAME\}/);
    expect(errorOf(spec('echo "$ARG_KEY"'))).toMatch(/start\.prepare(?: \(line \d+\))?: uses \$ARG_KEY, but key: is sensitive/);
    expect(errorOf(spec('echo "$ARG_AI_PROMPT"'))).toMatch(/start\.prepare(?: \(line \d+\))?: uses \$ARG_AI_PROMPT, but ai_prompt: is the prompt variable, which reaches the start script as ARG_PROMPT/);
    expect(errorOf(spec('echo "$ARG_NOPE"'))).toMatch(/start\.prepare(?: \(line \d+\))?: uses \$ARG_NOPE, but nope: the spec's variables do not declare it/);
  });
});
