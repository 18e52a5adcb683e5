import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { formatHcl } from './format-hcl.ts';
import { type TemplateCompiler, templateCompiler } from './handlebars-env.ts';
import { formatWithPrettier, prettierFormats } from './format-prettier.ts';
import { carriesNotice, markGenerated } from './mark-generated.ts';
import { templateLabel, type GeneratedFile, type ModuleSpec } from './module-spec.ts';

export type { GeneratedFile } from './module-spec.ts';

const PARTIALS_DIR = 'partials';

/** Renders every template of one module; the same spec always gives the same bytes. */
export async function renderModule(spec: Pick<ModuleSpec, 'templateDir' | 'context' | 'checkRendered'> & { name?: string }): Promise<GeneratedFile[]> {
  const root = spec.templateDir;
  const compiler = await templateCompiler(join(root, PARTIALS_DIR));
  const files: GeneratedFile[] = [];
  for (const templateFile of await listTemplates(root)) {
    const source = await readFile(join(root, templateFile), 'utf8');
    const outputPath = templateFile.slice(0, -'.hbs'.length);
    const rendered = renderOne(compiler, source, spec.context, templateFile);
    files.push({
      path: outputPath,
      // Named by module: the format cache keeps one entry per name, and four main.tf must not evict each other.
      content: await finish(outputPath, templateLabel(root, outputPath), rendered, `${spec.name ?? ''}/${outputPath}`),
      mode: outputPath.endsWith('.sh') ? 0o755 : 0o644,
    });
  }
  spec.checkRendered?.(files, root);
  return files;
}

function renderOne(compiler: TemplateCompiler, source: string, context: object, name: string): string {
  try {
    return compiler.compile(source)(context);
  } catch (error) {
    throw new Error(`template ${name}: ${(error as Error).message}`);
  }
}

/**
 * HCL is formatted before the notice goes on top (`terraform fmt` layout either way); `.sh` and
 * `.md` after, so the whole file, notice included, is what the registry's prettier check wants.
 */
async function finish(outputPath: string, label: string, rendered: string, cacheName: string): Promise<string> {
  const body = /\.(tf|hcl)$/.test(outputPath) ? await formatHcl(rendered, cacheName) : rendered;
  const marked = ensureTrailingNewline(markGenerated(outputPath, label, body));
  if (!prettierFormats(outputPath)) return marked;
  const formatted = await formatWithPrettier(marked, outputPath, cacheName);
  if (!carriesNotice(outputPath, label, formatted)) throw new Error(`rendered ${cacheName}: prettier moved the generated notice away from where generate looks for it`);
  return formatted;
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
