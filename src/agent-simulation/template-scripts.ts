/**
 * A Coder template's coder_script resources as Terraform renders them: the template is laid out in
 * a temp dir as Terraform resolves its local modules (template-layout.ts), applied with the
 * stand-in providers (coder_script resources only), and every coder_script is read from the state
 * with the ARG_* inputs its body carries. `conformance --template` runs the scenarios against the
 * stop script with those inputs; `--explain` prints them. The copy stays until `cleanup()`, since
 * the scenarios render bodies from the module files in it.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readHandOff } from '../contract/hand-off.ts';
import { initTerraform, runTerraform } from '../terraform/run-terraform.ts';
import { setUpTerraformEnv } from '../terraform/terraform-env.ts';
import { type ArgAssignment, parseArgAssignments } from './arg-assignments.ts';
import { SIMULATED_OWNER_NAME, SIMULATED_WORKSPACE_NAME } from './coder-script.ts';
import { layOutTemplate, moduleKey, type TemplateLayout } from './template-layout.ts';

export interface TemplateScript {
  /** Terraform's address, e.g. module.agentapi.coder_script.agentapi_shutdown. */
  address: string;
  runOnStop: boolean;
  body: string;
  /** The file name the body gives the script (`$0`), e.g. agentapi-shutdown.sh; empty for a body in another shape. */
  name: string;
  /** The ARG_* assignments in front of the script. */
  inputs: ArgAssignment[];
  /** The script file the body carries, without the inputs (what --script takes). */
  script: string;
  /** Terraform marks the whole `script` sensitive: some input carries a secret. */
  sensitive: boolean;
  /** The directory of the module holding the resource, inside the laid-out copy ('' for the template itself). */
  moduleDir: string;
  /** That module's source and version as the template calls it (modules.json). */
  moduleSource: string;
  moduleVersion: string;
}

export interface RenderedTemplate {
  layout: TemplateLayout;
  scripts: TemplateScript[];
  /** Values of the template's sensitive variables (to mask them wherever they show up). */
  secrets: string[];
  cleanup: () => Promise<void>;
}

export interface TemplateInputs {
  /** `-var NAME=VALUE`, as terraform takes them. */
  vars?: readonly string[];
  /** `-var-file` paths. */
  varFiles?: readonly string[];
}

/** A task workspace, so task-gated stop behaviour (the log snapshot) is in what gets rendered. */
export const TEMPLATE_TASK_ID = '7d8d4c2e-fb57-44f9-a183-22509819c2e7';
const TEMPLATE_ENV = { CODER_TASK_ID: TEMPLATE_TASK_ID, CODER_TASK_PROMPT: 'conformance', CODER_WORKSPACE_NAME: SIMULATED_WORKSPACE_NAME, CODER_WORKSPACE_OWNER: SIMULATED_OWNER_NAME };

/** Terraform's words for a required variable without a value, and what to do about it here. */
const MISSING_VARIABLE = /No value for required variable/;
export const VARIABLE_HINT = 'give the template its variables with --var NAME=VALUE, --var-file FILE (terraform syntax) or TF_VAR_NAME in the environment';

export async function renderTemplate(templateDir: string, given: TemplateInputs = {}): Promise<RenderedTemplate> {
  const work = await mkdtemp(join(tmpdir(), 'agentapi-kit-template-'));
  const cleanup = () => rm(work, { recursive: true, force: true });
  try {
    const env = await setUpTerraformEnv(join(work, 'env'), { docker: true });
    const layout = await layOutTemplate(templateDir, work);
    const config = layout.templateDir;
    const runEnv = { ...env.env, ...TEMPLATE_ENV };
    const varArgs = [...(given.varFiles ?? []).map((file) => `-var-file=${resolve(file)}`), ...(given.vars ?? []).flatMap((assignment) => ['-var', assignment])];
    await initTerraform(config, runEnv);
    const plan = await planCoderScripts(config, runEnv, varArgs);
    // -target: only the coder resources; a template's infrastructure (containers, VMs) is not ours to create.
    const apply = await runTerraform(config, runEnv, ['apply', '-auto-approve', '-input=false', '-lock=false', ...varArgs, ...plan.targets]);
    if (apply.exitCode !== 0) throw withHint(`terraform apply of ${templateDir} failed:\n${apply.stderr.trim()}`);
    const state = JSON.parse(await readFile(join(config, 'terraform.tfstate'), 'utf8')) as State;
    const modules = await installedModules(config);
    return { layout, scripts: coderScripts(state, config, modules), secrets: plan.secrets, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** A template's required variables without a value, from Terraform's message (empty when that is not the failure). */
export function missingVariables(stderr: string): string[] {
  if (!MISSING_VARIABLE.test(stderr)) return [];
  return [...new Set([...stderr.matchAll(/input variable "([^"]+)" is not set/g)].map((match) => match[1] as string))];
}

/** A required variable without a value: the user's to give, so its own error class (a usage error at the CLI). */
export class MissingTemplateVariableError extends Error {}

function withHint(message: string): Error {
  const missing = missingVariables(message);
  if (missing.length === 0 && !MISSING_VARIABLE.test(message)) return new Error(message);
  const names = missing.length === 0 ? 'a required variable' : missing.map((name) => `"${name}"`).join(', ');
  return new MissingTemplateVariableError(`the template has no value for ${names}; ${VARIABLE_HINT}`);
}

/** `-target=` for every coder_script the plan would create, and the values of sensitive root variables (from the JSON plan). */
async function planCoderScripts(config: string, env: Record<string, string>, varArgs: string[]): Promise<{ targets: string[]; secrets: string[] }> {
  const plan = await runTerraform(config, env, ['plan', '-input=false', '-lock=false', '-out=plan.bin', ...varArgs]);
  if (plan.exitCode !== 0) throw withHint(`terraform plan failed:\n${plan.stderr.trim()}`);
  const shown = await runTerraform(config, env, ['show', '-json', 'plan.bin']);
  const json = JSON.parse(shown.stdout) as PlanJson;
  const changes = json.resource_changes ?? [];
  const declared = json.configuration?.root_module?.variables ?? {};
  const secrets = Object.entries(json.variables ?? {})
    .filter(([name]) => declared[name]?.sensitive === true)
    .map(([, { value }]) => (typeof value === 'string' ? value : JSON.stringify(value)))
    .filter((value) => value !== '' && value !== undefined);
  return { targets: changes.filter((change) => change.type === 'coder_script').map((change) => `-target=${change.address}`), secrets };
}

interface PlanJson {
  resource_changes?: Array<{ address: string; type: string }>;
  variables?: Record<string, { value: unknown }>;
  configuration?: { root_module?: { variables?: Record<string, { sensitive?: boolean }> } };
}

interface InstalledModule {
  dir: string;
  source: string;
  version: string;
}

/** Where `terraform init` put each module (`.terraform/modules/modules.json`, keys like `codex.agentapi`), with its source and version. */
async function installedModules(config: string): Promise<Map<string, InstalledModule>> {
  const manifest = await readFile(join(config, '.terraform', 'modules', 'modules.json'), 'utf8').catch(() => '{}');
  const entries = (JSON.parse(manifest) as { Modules?: Array<{ Key: string; Dir: string; Source?: string; Version?: string }> }).Modules ?? [];
  return new Map(entries.map((entry) => [entry.Key, { dir: resolve(config, entry.Dir), source: entry.Source ?? '', version: entry.Version ?? '' }]));
}

interface State {
  resources?: Array<{
    module?: string;
    mode: string;
    type: string;
    name: string;
    instances: Array<{ index_key?: string | number; attributes: Record<string, unknown>; sensitive_attributes?: unknown[] }>;
  }>;
}

function coderScripts(state: State, config: string, modules: Map<string, InstalledModule>): TemplateScript[] {
  const out: TemplateScript[] = [];
  for (const resource of state.resources ?? []) {
    if (resource.mode !== 'managed' || resource.type !== 'coder_script') continue;
    const module = resource.module === undefined ? undefined : modules.get(moduleKey(resource.module));
    for (const instance of resource.instances) {
      const body = instance.attributes.script;
      if (typeof body !== 'string') continue;
      const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      const address = `${resource.module === undefined ? '' : `${resource.module}.`}coder_script.${resource.name}${key}`;
      const { name, decoded } = decodeBody(body);
      const { assignments, rest } = safeAssignments(decoded);
      out.push({
        address,
        runOnStop: instance.attributes.run_on_stop === true,
        body,
        name,
        inputs: assignments,
        script: assignments.length > 0 ? rest : scriptFile(body),
        sensitive: JSON.stringify(instance.sensitive_attributes ?? []).includes('"script"'),
        moduleDir: module?.dir ?? config,
        moduleSource: module?.source ?? '',
        moduleVersion: module?.version ?? '',
      });
    }
  }
  return out;
}

/** The inputs in front of the script and the script after them; no inputs for a text not in that shape. */
function safeAssignments(decoded: string): { assignments: ArgAssignment[]; rest: string } {
  try {
    return parseArgAssignments(decoded);
  } catch {
    return { assignments: [], rest: decoded };
  }
}

/** The body's script name (`$0`) and the text its base64 last word carries (the body itself when it has none). */
function decodeBody(body: string): { name: string; decoded: string } {
  const words = body.split(' ');
  const lastWord = words.at(-1) ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(lastWord) || words.length < 2) return { name: '', decoded: body };
  const name = words.at(-2) ?? '';
  return { name: /^[A-Za-z0-9._-]+$/.test(name) ? name : '', decoded: Buffer.from(lastWord, 'base64').toString('utf8') };
}

/**
 * The script file a body carries: the payload of our hand-off (readHandOff, the one decoder) from
 * its first `#!` line on, without the module's ARG_* inputs. A body in any other shape is another
 * module's script and is run as it is.
 */
export function scriptFile(body: string): string {
  let payload: string;
  try {
    payload = readHandOff(body).payload;
  } catch {
    return body;
  }
  if (payload.startsWith('#!')) return payload;
  const start = payload.indexOf('\n#!') + 1;
  return start > 0 ? payload.slice(start) : payload;
}

/** A short, stable identity of a script's text (what `--explain` calls its version). */
export function scriptDigest(script: string): string {
  return `sha256:${createHash('sha256').update(script).digest('hex').slice(0, 12)}`;
}
