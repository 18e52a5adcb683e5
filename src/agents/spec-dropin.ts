/**
 * The spec fields that let an agent module be a drop-in for a registry agent module: a variable
 * wired to an agentapi input under the registry's name, allowed values, config files written at
 * install, conditional flags, a prompt variable and a prompt handed over through AgentAPI, and a
 * start step that reshapes the prompt. Kept apart from spec-schema.ts, which only spreads them in.
 */
import { z } from 'zod';

const TERRAFORM_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * agentapi inputs no variable may take over: the wrapper's identity (slugs, module directory,
 * scripts) and the icon, which the template's own `icon` variable feeds.
 */
export const FIXED_AGENTAPI_INPUTS: ReadonlySet<string> = new Set(['web_app_slug', 'cli_app_slug', 'module_dir_name', 'install_script', 'start_script', 'web_app_icon']);

/** Extra fields of `variables[]`. */
export const dropInVariableFields = {
  /** The agentapi input this variable sets, e.g. `order` -> `web_app_order`; that input is then not passed through. */
  agentapiInput: z.string().regex(TERRAFORM_NAME, 'must be the name of an agentapi input, e.g. web_app_order').optional(),
  /** The values the variable accepts, checked at plan by a validation block. */
  oneOf: z
    .strictObject({
      values: z.array(z.union([z.string(), z.number()])).min(1, 'must list at least one value'),
      errorMessage: z.string().min(1, 'must say what is allowed'),
    })
    .optional(),
};

/** `files[]`: a file written at install from a variable's value, skipped when the value is empty or null. */
export const configFile = z.strictObject({
  /** Relative to $HOME, e.g. `.config/aider/.aider.conf.yml`. */
  path: z
    .string()
    .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'must be a path relative to $HOME made of letters, digits, ".", "_", "-" and "/"')
    .refine((path) => !path.split('/').includes('..'), 'must not contain ".."'),
  /** The variable whose value is the file's content. */
  from: z.string().regex(TERRAFORM_NAME, 'must name one of the spec\'s variables'),
});

/** `start.options[]`: added to the agent's argv when the variable is set (a string not empty, a bool true). */
export const startOption = z.strictObject({
  variable: z.string().regex(TERRAFORM_NAME, 'must name one of the spec\'s variables'),
  flag: z.string().regex(/^-/, 'must be a flag starting with -'),
});

/** `replaces`: the registry module this one is a drop-in for, for the README's migration notes. */
export const replacedModule = z.strictObject({
  source: z.string().regex(/^registry\.coder\.com\/[a-z0-9-]+\/[a-z0-9-]+\/coder$/, 'must be a registry source such as registry.coder.com/coder/goose/coder'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be the exact registry version, e.g. 3.0.1'),
  /** The registry module's inputs that are agentapi inputs passed through here under the same name (agent_id, folder, ...). */
  passedThrough: z.array(z.string().regex(TERRAFORM_NAME)).default([]),
  /** The inputs of the registry README's usage block: the module's Terraform test plans with them. */
  usage: z.record(z.string().regex(TERRAFORM_NAME, 'must be an input name'), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** What behaves differently after the switch, one sentence each. */
  changes: z.array(z.string().min(1)).default([]),
});

/** Extra fields of `start`. */
export const dropInStartFields = {
  options: z.array(startOption).default([]),
  /** `args`: the prompt goes into the agent's argv (promptArgs); `agentapi`: AgentAPI sends it as the first message (-I). */
  promptVia: z.enum(['args', 'agentapi']).default('args'),
  /** A string variable that, when not empty, is the prompt instead of the task's. */
  promptVariable: z.string().regex(TERRAFORM_NAME, 'must name one of the spec\'s variables').optional(),
  /** POSIX sh run in the start script before the argv is built: may rewrite ARG_PROMPT or export env. */
  prepare: z.string().default(''),
};

interface DropInVariable {
  name: string;
  type: string;
  default?: string | number | boolean | null | undefined;
  sensitive: boolean;
  agentapiInput?: string | undefined;
  oneOf?: { values: Array<string | number> } | undefined;
}

interface DropInSpec {
  variables: DropInVariable[];
  files: Array<{ path: string; from: string }>;
  start: { promptArgs: string[]; options: Array<{ variable: string; flag: string }>; promptVia: string; promptVariable?: string | undefined; prepare: string };
}

/** The cross-field rules of the drop-in fields; each problem names its field. */
export function checkDropIn(spec: DropInSpec, context: z.RefinementCtx): void {
  const byName = new Map(spec.variables.map((variable) => [variable.name, variable]));
  const promptVariable = spec.start.promptVariable;
  /** Why the scripts get no ARG_ for this variable, or undefined when they do. */
  const scriptVisible = (variable: DropInVariable | undefined, type?: string): string | undefined =>
    variable !== undefined && variable.name === promptVariable ? 'is the prompt variable, which reaches the start script as ARG_PROMPT' : argProblem(variable, type);
  checkAliases(spec.variables, context);
  for (const [index, variable] of spec.variables.entries()) checkOneOf(variable, index, context);
  for (const [index, file] of spec.files.entries()) {
    const problem = scriptVisible(byName.get(file.from), 'string');
    if (problem !== undefined) context.addIssue({ code: 'custom', path: ['files', index, 'from'], message: `${file.from}: ${problem}` });
  }
  for (const [index, option] of spec.start.options.entries()) {
    const problem = scriptVisible(byName.get(option.variable));
    if (problem !== undefined) context.addIssue({ code: 'custom', path: ['start', 'options', index, 'variable'], message: `${option.variable}: ${problem}` });
  }
  if (promptVariable !== undefined) {
    const problem = argProblem(byName.get(promptVariable), 'string');
    if (problem !== undefined) context.addIssue({ code: 'custom', path: ['start', 'promptVariable'], message: `${spec.start.promptVariable}: ${problem}` });
  }
  checkPrepare(spec.start.prepare, (name) => scriptVisible(byName.get(name)), context);
  if (spec.start.promptVia === 'agentapi' && spec.start.promptArgs.length > 0) {
    context.addIssue({ code: 'custom', path: ['start', 'promptArgs'], message: 'must be empty when promptVia is agentapi (AgentAPI sends the prompt)' });
  }
}

/**
 * start.prepare is shell, not a Terraform template: `${var.x}` would be a shell error at start, and
 * an ARG_<NAME> the scripts do not get (sensitive, set on agentapi, the prompt variable) unset.
 */
function checkPrepare(prepare: string, problemOf: (name: string) => string | undefined, context: z.RefinementCtx): void {
  const path = ['start', 'prepare'];
  if (/\$\{\s*var\./.test(prepare)) context.addIssue({ code: 'custom', path, message: 'is shell, not a Terraform template: use $ARG_<NAME>, not ${var.NAME}' });
  for (const match of prepare.matchAll(/\$\{?ARG_([A-Z0-9_]+)/g)) {
    const name = match[1]!.toLowerCase();
    if (name === 'prompt') continue;
    const problem = problemOf(name);
    if (problem !== undefined) context.addIssue({ code: 'custom', path, message: `uses $ARG_${match[1]}, but ${name}: ${problem}` });
  }
}

/** Why a variable cannot feed a script (undefined when it can). */
function argProblem(variable: DropInVariable | undefined, type?: string): string | undefined {
  if (variable === undefined) return "the spec's variables do not declare it";
  if (variable.sensitive) return 'is sensitive, and sensitive values reach the agent only through env';
  if (variable.agentapiInput !== undefined) return `sets agentapi's ${variable.agentapiInput}, so the scripts do not get it`;
  if (type !== undefined && variable.type !== type) return `must be a ${type} variable, is a ${variable.type}`;
  return undefined;
}

function checkAliases(variables: DropInVariable[], context: z.RefinementCtx): void {
  const seen = new Map<string, string>();
  for (const [index, variable] of variables.entries()) {
    const input = variable.agentapiInput;
    if (input === undefined) continue;
    const path = ['variables', index, 'agentapiInput'];
    if (FIXED_AGENTAPI_INPUTS.has(input)) context.addIssue({ code: 'custom', path, message: `${input} is set by the module itself and cannot come from a variable` });
    const earlier = seen.get(input);
    if (earlier !== undefined) context.addIssue({ code: 'custom', path, message: `${input} is already set by variable ${earlier}` });
    seen.set(input, variable.name);
  }
}

function checkOneOf(variable: DropInVariable, index: number, context: z.RefinementCtx): void {
  if (variable.oneOf === undefined) return;
  const path = ['variables', index, 'oneOf', 'values'];
  if (variable.type !== 'string' && variable.type !== 'number') {
    context.addIssue({ code: 'custom', path, message: `applies to string and number variables, ${variable.name} is a ${variable.type}` });
    return;
  }
  if (variable.oneOf.values.some((value) => typeof value !== variable.type)) context.addIssue({ code: 'custom', path, message: `must all be of the variable's type, ${variable.type}` });
  const fallback = variable.default;
  if (fallback !== undefined && fallback !== null && !variable.oneOf.values.includes(fallback as string | number)) {
    context.addIssue({ code: 'custom', path: ['variables', index, 'default'], message: `${JSON.stringify(fallback)} is not one of oneOf.values` });
  }
}
