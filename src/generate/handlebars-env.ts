import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import Handlebars from 'handlebars';
import { type LogLineName, LOG_LINES, renderLogLine } from '../contract/log-lines.ts';
import { hclString, shQuote } from './quote.ts';

type HelperValue = string | number | boolean;

export interface TemplateCompiler {
  /** The compiled template for `source`; the same source is compiled once per process. */
  compile(source: string): HandlebarsTemplateDelegate;
}

/**
 * One compiler per set of partials, kept for the process: `generate` renders the agentapi
 * templates twice (for the agent modules' pass-through, then to write them) and the agent
 * templates once per agent, and compiling is most of a render. Keyed by the partials' text, not
 * their directory, so an edited partial is never served stale.
 */
const compilers = new Map<string, TemplateCompiler>();

export async function templateCompiler(partialsDir: string): Promise<TemplateCompiler> {
  const partials = await readPartials(partialsDir);
  const programs = await readPrograms(join(dirname(partialsDir), PROGRAMS_DIR));
  const key = JSON.stringify([partials, programs]);
  let compiler = compilers.get(key);
  if (compiler === undefined) {
    compiler = newCompiler(partials, new Map(programs));
    compilers.set(key, compiler);
  }
  return compiler;
}

/**
 * Programs in other languages (the jq and awk engines) live as files of their own beside the
 * partials, so their own tools and editors can read them; `{{program "snapshot.awk"}}` inlines one.
 */
const PROGRAMS_DIR = 'programs';

function newCompiler(partials: Array<[string, string]>, programs: ReadonlyMap<string, string>): TemplateCompiler {
  const hbs = newHandlebars(partials);
  hbs.registerHelper('program', (name: string) => inlineProgram(name, programs));
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  return {
    compile(source) {
      let template = compiled.get(source);
      if (template === undefined) {
        template = hbs.compile(source, compileOptions);
        compiled.set(source, template);
      }
      return template;
    },
  };
}

/**
 * A private Handlebars instance: `noEscape` because nothing rendered here is HTML, `strict` so a
 * misspelt field in a template fails the build instead of rendering as an empty string.
 */
function newHandlebars(partials: Array<[string, string]>): typeof Handlebars {
  const hbs = Handlebars.create();
  hbs.registerHelper('hcl', (value: HelperValue) => hclString(String(value)));
  hbs.registerHelper('sh', (value: HelperValue) => shQuote(String(value)));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('logLine', logLineHelper);
  hbs.registerHelper('jsonText', jsonTextHelper);
  hbs.registerHelper('awkString', awkStringHelper);
  hbs.registerHelper('jqText', jqTextHelper);
  hbs.registerHelper('shDouble', shDoubleHelper);
  for (const [name, source] of partials) hbs.registerPartial(name, source);
  return hbs;
}

const compileOptions = { noEscape: true, strict: true } as const;

async function readPrograms(dir: string): Promise<Array<[string, string]>> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map(async (name): Promise<[string, string]> => [name, await readFile(join(dir, name), 'utf8')]));
}

/**
 * A program's text without its leading comment block (the file's documentation for its readers),
 * for a single-quoted shell string: so it must hold no `'`.
 */
function inlineProgram(name: string, programs: ReadonlyMap<string, string>): string {
  const text = programs.get(name);
  if (text === undefined) throw new Error(`{{program "${name}"}}: no such file in ${PROGRAMS_DIR}/ (have: ${[...programs.keys()].join(', ') || 'none'})`);
  const lines = text.split('\n');
  const start = lines.findIndex((line) => !line.startsWith('#'));
  const body = lines.slice(start).join('\n').replace(/\n+$/, '');
  if (body.includes("'")) throw new Error(`{{program "${name}"}}: the program holds a ' and is inlined into a single-quoted shell string`);
  return body;
}

/**
 * Every `*.hbs` under `dir`, grouped in folders by language (`sh/`, `hcl/`), registered by file name
 * alone: `{{> http.sh}}` wherever it lives. Two partials of one name are a mistake, not a shadow.
 */
async function readPartials(dir: string): Promise<Array<[string, string]>> {
  let paths: string[];
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    paths = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.hbs')).map((entry) => join(entry.parentPath, entry.name)).sort();
  } catch {
    return [];
  }
  const seen = new Map<string, string>();
  for (const path of paths) {
    const name = basename(path, '.hbs');
    const earlier = seen.get(name);
    if (earlier !== undefined) throw new Error(`two partials are named ${name}: ${earlier} and ${path}`);
    seen.set(name, path);
  }
  return Promise.all(paths.map(async (path): Promise<[string, string]> => [basename(path, '.hbs'), await readFile(path, 'utf8')]));
}

/**
 * `{{logLine "sigterm" pid="$_pid"}}`: a line of src/contract/log-lines.ts for a double-quoted shell
 * word, placeholders filled with the shell expressions given as hash arguments.
 */
function logLineHelper(name: string, options: { hash?: Record<string, string> }): string {
  if (!(name in LOG_LINES)) throw new Error(`unknown log line "${name}" (see src/contract/log-lines.ts)`);
  return renderLogLine(name as LogLineName, options.hash ?? {});
}

/**
 * Contract facts reach the scripts' programs as literals of each language. Every program sits in a
 * single-quoted shell string, so a `'` would end it; the helpers refuse what they cannot write.
 */
function refuse(helper: string, value: string, why: string): never {
  throw new Error(`{{${helper}}} cannot write ${JSON.stringify(value)}: ${why}`);
}

/** `{{jsonText s}}`: the JSON text of the string s, without its quotes (what a JSON body holds). */
function jsonTextHelper(value: HelperValue): string {
  return JSON.stringify(String(value)).slice(1, -1);
}

/** `{{awkString s}}`: an awk string literal; printable ASCII only, so every awk reads it alike. */
function awkStringHelper(value: HelperValue): string {
  const text = String(value);
  if (!/^[\x20-\x7e]*$/.test(text)) refuse('awkString', text, 'only printable ASCII is portable across mawk, gawk and BusyBox awk');
  if (text.includes("'")) refuse('awkString', text, "the awk program is single-quoted in the script");
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * `{{jqText s}}`: s for inside a jq string literal (JSON's escapes are jq's, and JSON never writes
 * the `\\(` that starts a jq interpolation).
 */
function jqTextHelper(value: HelperValue): string {
  const text = String(value);
  if (text.includes("'")) refuse('jqText', text, 'the jq program is single-quoted in the script');
  return JSON.stringify(text).slice(1, -1);
}

/** `{{shDouble s}}`: text for inside a double-quoted shell word, where $ ` \ and " are special. */
function shDoubleHelper(value: HelperValue): string {
  const text = String(value);
  if (/["$`\\\n]/.test(text)) refuse('shDouble', text, 'it would expand or end a double-quoted shell word');
  return text;
}
