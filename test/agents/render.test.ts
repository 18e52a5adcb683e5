import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentSpec } from '../../src/agents/load-spec.ts';
import { agentapiInterface } from '../../src/agents/pass-through.ts';
import { AGENT_TEMPLATE_DIR, renderAgentModule } from '../../src/agents/render-agent.ts';
import { loadConfig } from '../../src/config/load.ts';
import { WRAPPER_SET_INPUTS } from '../../src/agents/wrapper-inputs.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { renderModule } from '../../src/generate/render-module.ts';
import { agentapiModuleSpec, agentapiTemplateContext } from '../../src/generate/module-specs.ts';
import { AGENTAPI_INTERFACE, type ModuleInterface } from '../../src/module/index.ts';
import { agentModuleSpecs } from '../../src/agents/agent-module-specs.ts';
import { templatesRoot } from '../../src/generate/paths.ts';

const root = resolve(import.meta.dirname, '../..');
const AGENTS = ['aider', 'codex', 'goose', 'opencode', 'sourcegraph-amp'];

interface ParsedAgentModule {
  variable: Record<string, Array<{ type?: string; default?: unknown; sensitive?: boolean; validation?: unknown[] }>>;
  module: { agentapi: Array<Record<string, unknown>> };
  output: { task_app_id: Array<{ value: string }> };
  resource?: { coder_env?: Record<string, Array<{ name: string; value: string }>> };
}

async function parseTf(text: string): Promise<ParsedAgentModule> {
  return (await parse('main.tf', text)) as ParsedAgentModule;
}

function fileText(files: Array<{ path: string; content: string }>, path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`no ${path} among ${files.map((candidate) => candidate.path).join(', ')}`);
  return file.content;
}

describe('agent modules', async () => {
  const agentapiMainTf = await readFile(join(root, 'modules/agentapi/main.tf'), 'utf8');
  const agentapi = await parseTf(agentapiMainTf);
  const agentapiVariables = Object.keys(agentapi.variable);

  describe.each(AGENTS)('modules/%s', async (slug) => {
    const spec = await loadAgentSpec(join(root, 'examples/agents', `${slug}.yaml`));
    // As `generate` renders it with this repository's config (its `registry` is in the README).
    const files = await renderAgentModule(spec, agentapiModuleSpec(defaultConfig), AGENT_TEMPLATE_DIR, (await loadConfig(join(root, 'agentapi-kit.config.json'))).registry);
    const mainTf = fileText(files, 'main.tf');
    const parsed = await parseTf(mainTf);
    const call = parsed.module.agentapi[0]!;

    it('is what is committed under modules/', async () => {
      for (const file of files) expect(await readFile(join(root, 'modules', slug, file.path), 'utf8')).toBe(file.content);
    });

    it('declares and passes through every agentapi variable it does not set itself, as agentapi declares it', () => {
      const aliases = new Map(spec.variables.flatMap((variable) => (variable.agentapiInput === undefined ? [] : [[variable.agentapiInput, variable.name] as const])));
      for (const name of agentapiVariables) {
        const alias = aliases.get(name);
        if (alias !== undefined) {
          // Taken over by one of the agent's variables under the registry module's name.
          expect(call[name], name).toBe(`\${var.${alias}}`);
          if (alias !== name) expect(parsed.variable[name], name).toBeUndefined();
          continue;
        }
        if (WRAPPER_SET_INPUTS.has(name)) {
          expect(parsed.variable[name], name).toBeUndefined();
          expect(call[name], name).toBeDefined();
          continue;
        }
        expect(parsed.variable[name], name).toEqual(agentapi.variable[name]);
        expect(call[name], name).toBe(`\${var.${name}}`);
      }
    });

    it("declares the agent's own variables with their types, defaults and sensitivity", () => {
      for (const variable of spec.variables) {
        const declared = parsed.variable[variable.name]?.[0];
        expect(declared?.type).toBe(`\${${variable.type}}`);
        expect(declared?.default).toEqual(variable.default);
        if (variable.oneOf !== undefined) expect(declared?.validation).toHaveLength(1);
        expect(Boolean(declared?.sensitive)).toBe(variable.sensitive);
      }
    });

    it('calls the agentapi module beside it and outputs its task app', () => {
      expect(call.source).toBe('../agentapi');
      expect(call.web_app_slug).toBe(slug);
      expect(call.module_dir_name).toBe(`.${slug}-module`);
      expect(parsed.output.task_app_id[0]!.value).toBe('${module.agentapi.task_app_id}');
    });

    it('keeps sensitive variables out of the scripts and puts env on the agent', () => {
      for (const variable of spec.variables.filter((candidate) => candidate.sensitive)) {
        expect(mainTf).not.toContain(`ARG_${variable.name.toUpperCase()}=`);
      }
      const env = Object.values(parsed.resource?.coder_env ?? {}).map(([block]) => block!.name).sort();
      expect(env).toEqual(Object.keys(spec.env).sort());
    });

    it('starts the agent under agentapi server, through the boundary prefix when there is one', () => {
      const start = fileText(files, 'scripts/start.sh');
      const separator = spec.start.promptVia === 'agentapi' ? '' : ' --';
      expect(start).toContain(`exec agentapi server --type=${spec.agentType} --port="\${AGENTAPI_PORT:-3284}"${separator} "$@"`);
      expect(start).toContain('set -- "$AGENTAPI_BOUNDARY_PREFIX" "$@"');
    });

    it('has a README with the registry front matter and a usage block', () => {
      const readme = fileText(files, 'README.md');
      const icon = `../../../../.icons/${spec.icon.slice(spec.icon.lastIndexOf('/') + 1)}`;
      expect(readme).toMatch(new RegExp(`^---\\n# Code generated .*\\ndisplay_name: ${spec.displayName}\\ndescription: .+\\nicon: ${icon}\\nverified: false\\ntags: \\[agent, ai, tasks`));
      expect(readme).toContain(`module "${slug}" {`);
      // prettier pads each cell to its column's width.
      for (const variable of spec.variables) expect(readme).toMatch(new RegExp(`\\| \`${variable.name}\` +\\|`));
    });
  });

  it('passes a registry source and version through when the spec names one', async () => {
    const spec = await loadAgentSpec(join(root, 'examples/agents/codex.yaml'));
    const files = await renderAgentModule({ ...spec, agentapi: { source: 'registry.coder.com/coder/agentapi/coder', version: '2.4.0' } });
    const call = (await parseTf(fileText(files, 'main.tf'))).module.agentapi[0]!;
    expect(call.source).toBe('registry.coder.com/coder/agentapi/coder');
    expect(call.version).toBe('2.4.0');
  });

  it('copies the locals a passed-through validation uses', async () => {
    const face = await agentapiInterface(agentapiModuleSpec(defaultConfig));
    const subdomain = face.passThrough.find((variable) => variable.name === 'agentapi_subdomain');
    expect(subdomain?.block).toContain('local.agentapi_subdomain_false_min_version_expr');
    expect(face.locals.some((line) => line.startsWith('agentapi_subdomain_false_min_version_expr = '))).toBe(true);
  });
});

describe('the interface model is the one owner of what agent modules pass through', () => {
  const EXTENDED: ModuleInterface = {
    ...AGENTAPI_INTERFACE,
    variables: [
      ...AGENTAPI_INTERFACE.variables,
      {
        name: 'brand_new_input',
        type: 'number',
        description: 'An input added to agentapi after the agent modules were written.',
        default: 7,
        validations: [{ condition: 'var.brand_new_input > 0', errorMessage: 'brand_new_input must be positive.', accepts: (value: number) => value > 0 }],
      },
    ],
  };

  it.each(AGENTS)('a variable added to the model reaches modules/%s on regeneration, validation included', async (slug) => {
    // The same path `generate` takes: the agentapi spec (here with the extended model), then the agent specs beside it.
    const agentapi = { ...agentapiModuleSpec(defaultConfig), context: agentapiTemplateContext(defaultConfig, EXTENDED) };
    const [agentSpec] = await agentModuleSpecs([join(root, 'examples/agents', `${slug}.yaml`)], agentapi);
    const files = await renderModule(agentSpec!);
    const parsed = await parseTf(fileText(files, 'main.tf'));
    expect(parsed.variable.brand_new_input?.[0]).toMatchObject({ type: '${number}', default: 7 });
    expect(parsed.variable.brand_new_input?.[0]?.validation).toHaveLength(1);
    expect(parsed.module.agentapi[0]!.brand_new_input).toBe('${var.brand_new_input}');
  });

  describe('a variable written into the agentapi template by hand', () => {
    let fixture: string;
    beforeAll(async () => {
      fixture = await mkdtemp(join(tmpdir(), 'agentapi-kit-agents-'));
      await cp(join(templatesRoot, 'agentapi'), fixture, { recursive: true });
      const mainTf = join(fixture, 'main.tf.hbs');
      const added = ['', 'variable "hand_written" {', '  type        = number', '  description = "Written into the template, not the model."', '  default     = 7', '}', ''].join('\n');
      await writeFile(mainTf, `${await readFile(mainTf, 'utf8')}${added}`);
    });
    afterAll(() => rm(fixture, { recursive: true, force: true }));

    it('stops rendering with a sentence saying it belongs in the interface model', async () => {
      await expect(renderModule({ ...agentapiModuleSpec(defaultConfig), templateDir: fixture })).rejects.toThrow(
        /main\.tf\.hbs declares variable "hand_written" by hand: declare it in src\/module\/variables\.ts \(the interface model\), which writes main\.tf's variable blocks and passes them on to every agent module/,
      );
    });
  });
});
