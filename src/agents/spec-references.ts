/**
 * How a spec's fields refer to its variables, checked at generate because each mistake here would
 * otherwise surface only in a running workspace:
 *
 * - `env` values and the agent's argv (`start.command`, `start.promptArgs`) may use `${var.NAME}`;
 *   any other `${...}` and undeclared names are errors. In the argv a sensitive variable is an error
 *   too: a command line is readable by every process on the machine.
 * - `install` is shell: variables arrive as `$ARG_<NAME>`, except sensitive ones, which never reach
 *   `ARG_*` (set -u would stop the install with "parameter not set"); `${var.NAME}` there would be
 *   a "bad substitution".
 *
 * Each check adds issues at the field's path; a new field that may refer to variables gets its own
 * check function here and one line in checkReferences.
 */
import type { z } from 'zod';
import { argName } from './arg-name.ts';
import { closest } from './did-you-mean.ts';
import { interpolations } from './var-references.ts';

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
/** `$ARG_X`, `${ARG_X}`, `${ARG_X:-...}`, `${#ARG_X}`: every shell expansion of a parameter. */
const ARG_EXPANSION = /\$\{?#?(ARG_[A-Za-z0-9_]+)/g;

interface SpecVariable {
  name: string;
  sensitive: boolean;
}

interface ReferencingSpec {
  variables: readonly SpecVariable[];
  install: string;
  start: { command: readonly string[]; promptArgs: readonly string[] };
  env: Readonly<Record<string, string>>;
}

type Path = Array<string | number>;
type Report = (path: Path, message: string) => void;

export function checkReferences(spec: ReferencingSpec, context: z.RefinementCtx): void {
  const report: Report = (path, message) => context.addIssue({ code: 'custom', path, message });
  const variables = new Map(spec.variables.map((variable) => [variable.name, variable]));
  for (const [name, value] of Object.entries(spec.env)) checkEnvEntry(name, value, variables, report);
  for (const [index, arg] of spec.start.command.entries()) checkArgvElement(arg, ['start', 'command', index], spec, variables, report);
  for (const [index, arg] of spec.start.promptArgs.entries()) checkArgvElement(arg, ['start', 'promptArgs', index], spec, variables, report);
  checkInstall(spec, variables, report);
}

function checkEnvEntry(name: string, value: string, variables: ReadonlyMap<string, SpecVariable>, report: Report): void {
  const path = ['env', name];
  if (!ENV_NAME.test(name)) report(path, 'must be an environment variable name such as API_KEY');
  for (const { text, variable } of interpolations(value)) {
    if (variable === undefined) report(path, `only \${var.NAME} references are allowed, got ${text}`);
    else if (!variables.has(variable)) report(path, undeclared(variable, variables));
  }
}

/** An element of the agent's argv: literal text, with `${var.NAME}` replaced by the value at start. */
function checkArgvElement(arg: string, path: Path, spec: ReferencingSpec, variables: ReadonlyMap<string, SpecVariable>, report: Report): void {
  for (const { text, variable } of interpolations(arg)) {
    if (variable === undefined) {
      report(path, `only \${var.NAME} is replaced in the agent's command line, got ${text}; anything else is passed as written, so this is rejected`);
    } else if (!variables.has(variable)) {
      report(path, undeclared(variable, variables));
    } else if (variables.get(variable)!.sensitive) {
      report(path, `var.${variable} is sensitive and must not be on a command line (every process can read it); ${viaEnv(variable, spec)}`);
    }
  }
  for (const match of arg.matchAll(ARG_EXPANSION)) {
    const named = spec.variables.find((candidate) => argName(candidate.name) === match[1]);
    const instead = match[1] === 'ARG_PROMPT' ? 'the element "{prompt}"' : named !== undefined ? `\${var.${named.name}}` : '${var.NAME}';
    report(path, `the command line is not shell: ${match[0]} would reach the agent as written; write ${instead}`);
  }
}

function checkInstall(spec: ReferencingSpec, variables: ReadonlyMap<string, SpecVariable>, report: Report): void {
  const sensitive = new Map(spec.variables.filter((variable) => variable.sensitive).map((variable) => [argName(variable.name), variable.name]));
  const reported = new Set<string>();
  for (const match of spec.install.matchAll(ARG_EXPANSION)) {
    const arg = match[1]!;
    const name = sensitive.get(arg);
    if (name === undefined || reported.has(name)) continue;
    reported.add(name);
    const where = scriptLine(spec.install, match.index);
    report(['install'], `script line ${where} uses ${arg}, but var.${name} is sensitive and never reaches ARG_* (unset there: "$${arg}" stops the install with "${arg}: parameter not set"); ${viaEnv(name, spec)}`);
  }
  // Other `${...}` are the shell's own (`${HOME}`, `${ARG_X:-}`) and fine.
  for (const { text, variable } of interpolations(spec.install).filter((found) => /^\$\{\s*var\./.test(found.text))) {
    const declared = variable === undefined ? undefined : variables.get(variable);
    const instead = declared === undefined ? 'a variable arrives as "$ARG_<NAME>"' : declared.sensitive ? viaEnv(declared.name, spec) : `write "$${argName(declared.name)}"`;
    report(['install'], `script line ${scriptLine(spec.install, spec.install.indexOf(text))}: install is shell, not Terraform, so ${text} is a "bad substitution" there; ${instead}`);
  }
}

/** 1-based line of an offset in a script. */
function scriptLine(script: string, offset: number): number {
  return script.slice(0, offset).split('\n').length;
}

/** How a sensitive variable reaches the agent: through env, naming the entry when there is one. */
function viaEnv(variable: string, spec: ReferencingSpec): string {
  const entry = Object.entries(spec.env).find(([, value]) => interpolations(value).some((reference) => reference.variable === variable));
  if (entry !== undefined) return `read "$${entry[0]}" instead, which env sets from \${var.${variable}}`;
  return `pass it in env (e.g. env: { ${variable.toUpperCase()}: \${var.${variable}} }) and read "$${variable.toUpperCase()}"`;
}

function undeclared(variable: string, variables: ReadonlyMap<string, SpecVariable>): string {
  const near = closest(variable, [...variables.keys()]);
  return `references var.${variable}, which the spec's variables do not declare${near === undefined ? '' : `; did you mean var.${near}?`}`;
}
