/**
 * Computes the `script` of the module's coder_script resources the way Terraform would, from the
 * generated main.tf: variables (with defaults and type conversion), locals, the coder data sources
 * and file(). See hcl-eval.ts for the expression subset.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { defaultConfig } from '../config/schema.ts';
import { packageRoot } from '../generate/paths.ts';
import { type EvalContext, evaluateJson, type HclValue, HclStaticError, toBool } from './hcl-eval.ts';

export type CoderScriptResource = 'agentapi' | 'agentapi_shutdown';


/**
 * The workspace and owner the simulated agent runs in: the names its provider data, the bodies
 * Terraform renders and the scripts' environment (CODER_WORKSPACE_NAME) all use, one for all.
 */
export const SIMULATED_WORKSPACE_NAME = 'dev';
export const SIMULATED_OWNER_NAME = 'coder';

/** Values of the coder data sources; what the Coder provider would report at plan time. */
export interface CoderScriptData {
  /** data.coder_task.me.enabled; false outside a task (the default). */
  taskEnabled?: boolean;
  /** data.coder_task.me.id; outside a task the provider still gives a random UUID, so does this default. */
  taskId?: string;
  /** data.coder_task.me.prompt; empty by default. */
  taskPrompt?: string;
  ownerName?: string;
  workspaceName?: string;
}

export interface RenderCoderScriptOptions {
  moduleDir: string;
  resource: CoderScriptResource;
  variables: Record<string, unknown>;
  data?: CoderScriptData;
  /**
   * Replaces what file() reads, keyed by path relative to moduleDir (e.g.
   * `scripts/agentapi-shutdown.sh`): runs a user-supplied script wrapped exactly like the module's.
   */
  files?: Record<string, string>;
}

/** The module generated in this repository. */
export const DEFAULT_MODULE_DIR = resolve(packageRoot, defaultConfig.outDir);

/** Relative paths of the scripts inside a module directory. */
export const SCRIPT_FILES: Record<CoderScriptResource, string> = {
  agentapi: 'scripts/agentapi-start.sh',
  agentapi_shutdown: 'scripts/agentapi-shutdown.sh',
};

/** Values for the module's required variables, for tests and the harness. */
export const EXAMPLE_REQUIRED_VARIABLES: Readonly<Record<string, string>> = Object.freeze({
  agent_id: '8f1e3c52-4b2a-4d1e-9c3a-2f6b7d8e9a01',
  web_app_icon: '/icon/claude.svg',
  web_app_display_name: 'Claude Code',
  web_app_slug: 'ccw',
  cli_app_display_name: 'Claude Code CLI',
  cli_app_slug: 'ccw-cli',
  start_script: 'echo start',
  module_dir_name: '.agentapi-module',
});

interface ParsedVariable {
  type?: string;
  default?: unknown;
  validation?: Array<{ condition: unknown; error_message?: unknown }>;
}

interface ParsedModule {
  module?: Record<string, Array<Record<string, unknown>>>;
  variable?: Record<string, ParsedVariable[]>;
  locals?: Array<Record<string, unknown>>;
  data?: Record<string, Record<string, unknown[]>>;
  resource?: Record<string, Record<string, Array<Record<string, unknown>>>>;
}

const parsedCache = new Map<string, Promise<ParsedModule>>();

/** Parses main.tf once per content (the WASM parser takes a noticeable moment on first use). */
async function loadModule(moduleDir: string): Promise<ParsedModule> {
  const path = join(moduleDir, 'main.tf');
  const text = await readFile(path, 'utf8');
  let parsed = parsedCache.get(text);
  if (parsed === undefined) {
    parsed = parse(path, text) as Promise<ParsedModule>;
    parsedCache.set(text, parsed);
    parsed.catch(() => parsedCache.delete(text));
  }
  return parsed;
}

/** Renders the `script` attribute of `coder_script.<resource>` as Terraform would. */
export async function renderCoderScriptBody(opts: RenderCoderScriptOptions): Promise<string> {
  const { parsed, ctx } = await moduleWithContext(opts);
  const body = evaluateJson(resourceAttribute(parsed, 'coder_script', opts.resource, 'script'), ctx);
  if (typeof body !== 'string') throw new Error(`coder_script.${opts.resource}.script is not a string`);
  checkPreconditions(parsed, 'coder_script', opts.resource, ctx);
  return body;
}

/**
 * Evaluates one template against the module, written as hcl2json gives strings (e.g.
 * `${local.task_id}`), so tests can check a single local on its own.
 */
export async function evaluateModuleExpression(opts: Omit<RenderCoderScriptOptions, 'resource'> & { expression: string }): Promise<HclValue> {
  const { ctx } = await moduleWithContext(opts);
  return evaluateJson(opts.expression, ctx);
}

/**
 * The input variables a module block hands to its child module (an agent module's `module "agentapi"`),
 * evaluated as Terraform would; `source` and `version` are not inputs.
 */
export async function evaluateModuleCall(opts: Omit<RenderCoderScriptOptions, 'resource'> & { call: string }): Promise<Record<string, HclValue>> {
  const { parsed, ctx } = await moduleWithContext(opts);
  const block = parsed.module?.[opts.call]?.[0];
  if (block === undefined) throw new Error(`main.tf has no module "${opts.call}"`);
  const inputs: Record<string, HclValue> = {};
  for (const [name, expression] of Object.entries(block)) {
    if (name !== 'source' && name !== 'version') inputs[name] = evaluateJson(expression, ctx);
  }
  return inputs;
}

async function moduleWithContext(opts: Omit<RenderCoderScriptOptions, 'resource'>): Promise<{ parsed: ParsedModule; ctx: EvalContext }> {
  const moduleDir = resolve(opts.moduleDir);
  const parsed = await loadModule(moduleDir);
  return { parsed, ctx: moduleContext(parsed, moduleDir, opts) };
}

function resourceAttribute(parsed: ParsedModule, type: string, name: string, attribute: string): unknown {
  const block = parsed.resource?.[type]?.[name]?.[0];
  if (block === undefined) throw new Error(`main.tf has no resource ${type}.${name}`);
  if (!(attribute in block)) throw new Error(`resource ${type}.${name} has no attribute "${attribute}"`);
  return block[attribute];
}

function moduleContext(parsed: ParsedModule, moduleDir: string, opts: Omit<RenderCoderScriptOptions, 'resource'>): EvalContext {
  const declared = parsed.variable ?? {};
  const unknown = Object.keys(opts.variables).filter((name) => !(name in declared));
  if (unknown.length > 0) {
    throw new Error(`unknown variable(s) ${unknown.map((name) => `"${name}"`).join(', ')}; main.tf declares: ${Object.keys(declared).sort().join(', ')}`);
  }
  const variables = resolveVariables(declared, opts.variables);
  const localSources: Record<string, unknown> = Object.assign({}, ...(parsed.locals ?? []));
  const localValues = new Map<string, HclValue>();
  const evaluating = new Set<string>();
  const data = dataSources(parsed, opts.data ?? {});

  const ctx: EvalContext = {
    pathModule: moduleDir,
    variable(name) {
      if (!Object.hasOwn(variables, name)) throw new HclStaticError(`Reference to undeclared input variable "${name}"`);
      return variables[name] as HclValue;
    },
    local(name) {
      if (localValues.has(name)) return localValues.get(name) as HclValue;
      if (!Object.hasOwn(localSources, name)) throw new HclStaticError(`Reference to undeclared local value "${name}"`);
      if (evaluating.has(name)) throw new HclStaticError(`Cycle in local values through "${name}"`);
      evaluating.add(name);
      try {
        const value = evaluateJson(localSources[name], ctx);
        localValues.set(name, value);
        return value;
      } finally {
        evaluating.delete(name);
      }
    },
    data(type, name) {
      const value = data[`${type}.${name}`];
      if (value === undefined) throw new HclStaticError(`Reference to undeclared data source "data.${type}.${name}"`);
      return value;
    },
    readFile(path) {
      const rel = relative(moduleDir, isAbsolute(path) ? path : resolve(path));
      const override = opts.files?.[rel.split('\\').join('/')];
      return override ?? readFileSync(path, 'utf8');
    },
  };
  checkValidations(declared, ctx);
  return ctx;
}

interface Lifecycle {
  precondition?: Array<{ condition: unknown; error_message?: unknown }>;
}

/** A resource's lifecycle preconditions, as `terraform plan` checks them before it plans the resource. */
function checkPreconditions(parsed: ParsedModule, type: string, name: string, ctx: EvalContext): void {
  const lifecycles = (parsed.resource?.[type]?.[name]?.[0]?.lifecycle ?? []) as Lifecycle[];
  for (const rule of lifecycles.flatMap((lifecycle) => lifecycle.precondition ?? [])) {
    if (!toBool(evaluateJson(rule.condition, ctx), `precondition of ${type}.${name}`)) {
      throw new Error(`Resource precondition failed for ${type}.${name}: ${String(evaluateJson(rule.error_message ?? 'precondition failed', ctx))}`);
    }
  }
}

/** Defaults and Terraform's conversions; a required variable without a value is an error. */
function resolveVariables(declared: Record<string, ParsedVariable[]>, given: Record<string, unknown>): Record<string, HclValue> {
  const noRefs: EvalContext = {
    pathModule: '',
    variable: (name) => {
      throw new HclStaticError(`variable defaults cannot reference var.${name}`);
    },
    local: (name) => {
      throw new HclStaticError(`variable defaults cannot reference local.${name}`);
    },
    data: (type, name) => {
      throw new HclStaticError(`variable defaults cannot reference data.${type}.${name}`);
    },
  };
  const missing: string[] = [];
  const values: Record<string, HclValue> = {};
  for (const [name, [block]] of Object.entries(declared)) {
    const type = typeName(block?.type);
    if (Object.hasOwn(given, name) && given[name] !== undefined) {
      values[name] = convertVariable(name, type, given[name]);
    } else if (block !== undefined && Object.hasOwn(block, 'default')) {
      values[name] = convertVariable(name, type, evaluateJson(block.default, noRefs));
    } else {
      missing.push(name);
    }
  }
  if (missing.length > 0) throw new Error(`required variable(s) without a value: ${missing.sort().map((name) => `"${name}"`).join(', ')}`);
  return values;
}

function typeName(type: unknown): string {
  if (type === undefined) return 'any';
  const match = typeof type === 'string' ? /^\$\{(\w+)\}$/.exec(type) : null;
  return match?.[1] ?? 'any';
}

/** Terraform's input conversions for primitive types: strings become NFC, "true" becomes true, 3 becomes "3". */
function convertVariable(name: string, type: string, value: unknown): HclValue {
  if (value === null) return null;
  const fail = (): never => {
    throw new Error(`Invalid value for variable "${name}": ${type} required, got ${JSON.stringify(value)}`);
  };
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value.normalize('NFC');
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return fail();
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return fail();
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
      return fail();
    case 'any':
      return value as HclValue;
    default:
      throw new Error(`variable "${name}" has type ${type}, which the harness does not convert`);
  }
}

/** Variable validation blocks, as `terraform plan` checks them. */
function checkValidations(declared: Record<string, ParsedVariable[]>, ctx: EvalContext): void {
  for (const [name, [block]] of Object.entries(declared)) {
    for (const rule of block?.validation ?? []) {
      if (!toBool(evaluateJson(rule.condition, ctx), `validation condition of variable "${name}"`)) {
        throw new Error(`Invalid value for variable "${name}": ${String(rule.error_message ?? 'validation failed')}`);
      }
    }
  }
}

/** Attribute values for the data sources main.tf declares; undeclared ones stay unresolvable. */
function dataSources(parsed: ParsedModule, data: CoderScriptData): Record<string, HclValue> {
  const known: Record<string, HclValue> = {
    'coder_task.me': { id: data.taskId ?? randomUUID(), enabled: data.taskEnabled ?? false, prompt: data.taskPrompt ?? '' },
    'coder_workspace.me': { name: data.workspaceName ?? SIMULATED_WORKSPACE_NAME },
    'coder_workspace_owner.me': { name: data.ownerName ?? SIMULATED_OWNER_NAME },
  };
  const out: Record<string, HclValue> = {};
  for (const [type, byName] of Object.entries(parsed.data ?? {})) {
    for (const name of Object.keys(byName)) {
      const value = known[`${type}.${name}`];
      if (value === undefined) throw new Error(`main.tf declares data.${type}.${name}, which the harness does not model`);
      out[`${type}.${name}`] = value;
    }
  }
  return out;
}
