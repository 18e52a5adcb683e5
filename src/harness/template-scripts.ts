/**
 * A Coder template's stop scripts as Terraform renders them: the template is copied (its local
 * module sources made absolute), applied with the stand-in providers, and every coder_script with
 * run_on_stop is read from the state. `conformance --template` runs the scenarios against them.
 */
import { mkdtemp, readdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { readHandOff } from '../contract/hand-off.ts';
import { initTerraform, runTerraform } from '../terraform/run-terraform.ts';
import { setUpTerraformEnv } from '../terraform/terraform-env.ts';

export interface TemplateStopScript {
  /** Terraform's address, e.g. module.agentapi.coder_script.agentapi_shutdown. */
  address: string;
  body: string;
  /** The script file the body carries, without the module's ARG_* inputs (what --script takes). */
  script: string;
}

/** A task workspace, so task-gated stop behaviour (the log snapshot) is in what gets rendered. */
const TEMPLATE_ENV = { CODER_TASK_ID: '7d8d4c2e-fb57-44f9-a183-22509819c2e7', CODER_TASK_PROMPT: 'conformance', CODER_WORKSPACE_NAME: 'dev', CODER_WORKSPACE_OWNER: 'coder' };

/** Local module sources (`./x`, `../x`) pointed at the original, so the copy still finds them. */
export function absolutizeModuleSources(text: string, templateDir: string): string {
  return text.replace(/(\bsource\s*=\s*")(\.{1,2}\/[^"]*)(")/g, (_match, head: string, path: string, tail: string) => `${head}${resolve(templateDir, path)}${tail}`);
}

export async function renderTemplateStopScripts(templateDir: string): Promise<TemplateStopScript[]> {
  const work = await mkdtemp(join(tmpdir(), 'agentapi-kit-template-'));
  try {
    const env = await setUpTerraformEnv(join(work, 'env'), { docker: true });
    const config = join(work, 'template');
    await cp(templateDir, config, { recursive: true, filter: (source) => !/\/\.terraform(\/|$)|\.tfstate/.test(source) });
    for (const name of (await readdir(config)).filter((file) => file.endsWith('.tf'))) {
      const path = join(config, name);
      await writeFile(path, absolutizeModuleSources(await readFile(path, 'utf8'), isAbsolute(templateDir) ? templateDir : resolve(templateDir)));
    }
    const runEnv = { ...env.env, ...TEMPLATE_ENV };
    await initTerraform(config, runEnv);
    // -target: only the coder resources; a template's infrastructure (containers, VMs) is not ours to create.
    const apply = await runTerraform(config, runEnv, ['apply', '-auto-approve', '-input=false', '-lock=false', ...(await coderScriptTargets(config, runEnv))]);
    if (apply.exitCode !== 0) throw new Error(`terraform apply of ${templateDir} failed:\n${apply.stderr.trim()}`);
    return stopScripts(JSON.parse(await readFile(join(config, 'terraform.tfstate'), 'utf8')) as State);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** `-target=` for every coder_script the plan would create (found with a JSON plan). */
async function coderScriptTargets(config: string, env: Record<string, string>): Promise<string[]> {
  const plan = await runTerraform(config, env, ['plan', '-input=false', '-lock=false', '-out=plan.bin']);
  if (plan.exitCode !== 0) throw new Error(`terraform plan failed:\n${plan.stderr.trim()}`);
  const shown = await runTerraform(config, env, ['show', '-json', 'plan.bin']);
  const changes = (JSON.parse(shown.stdout) as { resource_changes?: Array<{ address: string; type: string }> }).resource_changes ?? [];
  return changes.filter((change) => change.type === 'coder_script').map((change) => `-target=${change.address}`);
}

interface State {
  resources?: Array<{ module?: string; mode: string; type: string; name: string; instances: Array<{ index_key?: string | number; attributes: Record<string, unknown> }> }>;
}

function stopScripts(state: State): TemplateStopScript[] {
  const out: TemplateStopScript[] = [];
  for (const resource of state.resources ?? []) {
    if (resource.mode !== 'managed' || resource.type !== 'coder_script') continue;
    for (const instance of resource.instances) {
      if (instance.attributes.run_on_stop !== true || typeof instance.attributes.script !== 'string') continue;
      const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      const address = `${resource.module === undefined ? '' : `${resource.module}.`}coder_script.${resource.name}${key}`;
      out.push({ address, body: instance.attributes.script, script: scriptFile(instance.attributes.script) });
    }
  }
  return out;
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
