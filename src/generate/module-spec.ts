import { join, relative } from 'node:path';
import { packageRoot } from './paths.ts';

/** One file a module renders. */
export interface GeneratedFile {
  /** Path relative to the output directory, always with `/` separators. */
  path: string;
  content: string;
  /** Unix permission bits; scripts are executable so they can also be run directly. */
  mode: number;
}

/**
 * One module `generate` produces: every `*.hbs` under `templateDir` (except `partials/`) rendered
 * with `context` into `outDir`. The list of specs is data (`module-specs.ts`), so generating and
 * checking many modules is one loop, and each file's notice names the template it came from.
 */
export interface ModuleSpec {
  /** A short name for messages, e.g. `agentapi`. */
  name: string;
  /** Absolute path of the module's template directory. */
  templateDir: string;
  /** What the templates see; Handlebars runs in strict mode, so a missing field fails the build. */
  context: object;
  /** Output directory, absolute or relative to the working directory. */
  outDir: string;
  /** Throws when the rendered files break a rule of the module (e.g. a hand-written variable). */
  checkRendered?: (files: readonly GeneratedFile[], templateDir: string) => void;
}

/**
 * How a generated file names its template in the notice: the template's path relative to the
 * package root, with `/` separators (`templates/agentapi/main.tf.hbs`). The same for every
 * install, so the output bytes do not depend on where the package lives.
 */
export function templateLabel(templateDir: string, outputPath: string): string {
  return relative(packageRoot, join(templateDir, `${outputPath}.hbs`)).split('\\').join('/');
}
