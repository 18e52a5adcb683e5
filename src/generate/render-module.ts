import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Config } from '../config/schema.ts';
import { templateContract } from '../contract/index.ts';
import { AGENTAPI_INTERFACE, moduleTemplateView, type ModuleInterface } from '../module/index.ts';
import { formatHcl } from './format-hcl.ts';
import { compileOptions, createHandlebars } from './handlebars-env.ts';
import { markGenerated } from './mark-generated.ts';
import { MODULE_NAME, packageRoot, templatesRoot } from './paths.ts';

export interface GeneratedFile {
  /** Path relative to the output directory, always with `/` separators. */
  path: string;
  content: string;
  /** Unix permission bits; scripts are executable so they can also be run directly. */
  mode: number;
}

const PARTIALS_DIR = 'partials';

/** Renders every template of the module; the same config always gives the same bytes. */
export async function renderModule(config: Config, root = join(templatesRoot, MODULE_NAME)): Promise<GeneratedFile[]> {
  const hbs = await createHandlebars(join(root, PARTIALS_DIR));
  const templates = await listTemplates(root);
  const context = templateContext(config);
  const files: GeneratedFile[] = [];
  for (const templateFile of templates) {
    const source = await readFile(join(root, templateFile), 'utf8');
    const outputPath = templateFile.slice(0, -'.hbs'.length);
    const rendered = renderOne(hbs, source, context, templateFile);
    const shown = relative(packageRoot, join(root, templateFile)).split('\\').join('/');
    files.push({
      path: outputPath,
      content: await finish(outputPath, shown, rendered),
      mode: outputPath.endsWith('.sh') ? 0o755 : 0o644,
    });
  }
  return files;
}

/**
 * What templates see: the config itself, a few facts derived from it, the contract and the module's
 * interface (`module`, src/module/; a test passes an extended one).
 */
export function templateContext(config: Config, model: ModuleInterface = AGENTAPI_INTERFACE) {
  const module = moduleTemplateView(model, {
    taskIdSource: config.taskIdSource,
    messageCount: config.snapshot.messageCount,
    configValue: (group, key) => (config as unknown as Record<string, Record<string, unknown> | undefined>)[group]?.[key],
  });
  return { ...config, taskIdFromDataSource: config.taskIdSource === 'data-source', contract: templateContract, module };
}

function renderOne(hbs: Awaited<ReturnType<typeof createHandlebars>>, source: string, context: object, name: string): string {
  try {
    return hbs.compile(source, compileOptions)(context);
  } catch (error) {
    throw new Error(`template ${name}: ${(error as Error).message}`);
  }
}

async function finish(outputPath: string, templatePath: string, rendered: string): Promise<string> {
  const body = outputPath.endsWith('.tf') ? await formatHcl(rendered, outputPath) : rendered;
  return ensureTrailingNewline(markGenerated(outputPath, templatePath, body));
}

function ensureTrailingNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** Every `*.hbs` under the module's template directory except partials, in a stable order. */
async function listTemplates(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .filter((path) => !path.startsWith(`${PARTIALS_DIR}/`))
    .sort();
}
