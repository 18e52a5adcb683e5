// Renders the agentapi templates with any interface model: how a test shows that a variable added to
// the model reaches main.tf and the README with no template edit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { configSchema, type ConfigInput } from '../../src/config/schema.ts';
import { formatHcl } from '../../src/generate/format-hcl.ts';
import { templateCompiler } from '../../src/generate/handlebars-env.ts';
import { agentapiTemplateContext } from '../../src/generate/module-specs.ts';
import type { ModuleInterface } from '../../src/module/index.ts';
import type { ParsedModule } from './module.ts';

const TEMPLATES = join(import.meta.dirname, '../../templates/agentapi');

export async function renderWith(model: ModuleInterface, input: ConfigInput = {}): Promise<{ mainTf: ParsedModule; readme: string }> {
  const compiler = await templateCompiler(join(TEMPLATES, 'partials'));
  const context = agentapiTemplateContext(configSchema.parse(input), model);
  const render = async (name: string) => compiler.compile(await readFile(join(TEMPLATES, name), 'utf8'))(context);
  const mainTf = (await parse('main.tf', await formatHcl(await render('main.tf.hbs'), 'main.tf'))) as ParsedModule;
  return { mainTf, readme: await render('README.md.hbs') };
}
