import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
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
  const key = JSON.stringify(partials);
  let compiler = compilers.get(key);
  if (compiler === undefined) {
    compiler = newCompiler(partials);
    compilers.set(key, compiler);
  }
  return compiler;
}

function newCompiler(partials: Array<[string, string]>): TemplateCompiler {
  const hbs = newHandlebars(partials);
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
  for (const [name, source] of partials) hbs.registerPartial(name, source);
  return hbs;
}

const compileOptions = { noEscape: true, strict: true } as const;

async function readPartials(dir: string): Promise<Array<[string, string]>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.hbs')).sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async (name): Promise<[string, string]> => [
      basename(name, '.hbs'),
      await readFile(join(dir, name), 'utf8'),
    ]),
  );
}

/**
 * `{{logLine "sigterm" pid="$_pid"}}`: a line of src/contract/log-lines.ts for a double-quoted shell
 * word, placeholders filled with the shell expressions given as hash arguments.
 */
function logLineHelper(name: string, options: { hash?: Record<string, string> }): string {
  if (!(name in LOG_LINES)) throw new Error(`unknown log line "${name}" (see src/contract/log-lines.ts)`);
  return renderLogLine(name as LogLineName, options.hash ?? {});
}
