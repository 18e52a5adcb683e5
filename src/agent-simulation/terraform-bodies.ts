/**
 * coder_script bodies as Terraform itself renders them: `terraform apply` with the stand-in Coder
 * provider on a root module that calls the module under test, then the `script` attributes read
 * from the state. Results are cached by everything that can change them (module files, overrides,
 * variables, data), in memory and on disk, so a scenario matrix pays for each distinct set once.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { initTerraform, runTerraform } from '../terraform/run-terraform.ts';
import { setUpTerraformEnv, type TerraformEnv } from '../terraform/terraform-env.ts';
import { type CoderScriptData, type CoderScriptResource, SIMULATED_OWNER_NAME, SIMULATED_WORKSPACE_NAME } from './coder-script.ts';

export interface TerraformBodiesOptions {
  moduleDir: string;
  variables: Record<string, unknown>;
  data?: CoderScriptData;
  /** Replaces module files, keyed by path relative to moduleDir (as renderCoderScriptBody takes them). */
  files?: Record<string, string>;
  /** Always run terraform (tests that compare it with the evaluator must not read a cached answer). */
  noCache?: boolean;
  /**
   * The bodies of a module this one calls (an agent module's `module "agentapi"`): its directory's
   * siblings are copied too, so a `../agentapi` source resolves as it does in the repository.
   */
  nested?: string;
}

export type CoderScriptBodies = Record<CoderScriptResource, string>;

const CACHE_DIR = join(tmpdir(), 'agentapi-kit-script-bodies');
const memory = new Map<string, Promise<CoderScriptBodies>>();
let terraformEnv: Promise<TerraformEnv> | undefined;

/** One stand-in environment per process (workers must not rewrite each other's mirror). */
function processTerraformEnv(): Promise<TerraformEnv> {
  if (terraformEnv === undefined) {
    const dir = join(tmpdir(), `agentapi-kit-tfenv-${process.pid}`);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    terraformEnv = setUpTerraformEnv(dir);
  }
  return terraformEnv;
}

/** Both coder_script bodies of the module for these inputs, rendered by Terraform. */
export async function renderBodiesWithTerraform(opts: TerraformBodiesOptions): Promise<CoderScriptBodies> {
  if (opts.noCache) return applyAndRead(opts);
  const key = await cacheKey(opts);
  let bodies = memory.get(key);
  if (bodies === undefined) {
    bodies = fromDiskOrTerraform(key, opts);
    memory.set(key, bodies);
    bodies.catch(() => memory.delete(key));
  }
  return bodies;
}

async function moduleFiles(moduleDir: string): Promise<Array<[string, string]>> {
  const entries = await readdir(moduleDir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile() && !entry.parentPath.includes('.terraform')).map((entry) => join(entry.parentPath, entry.name));
  return Promise.all(files.sort().map(async (file): Promise<[string, string]> => [relative(moduleDir, file), await readFile(file, 'utf8')]));
}

async function cacheKey(opts: TerraformBodiesOptions): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([await moduleFiles(opts.nested === undefined ? resolve(opts.moduleDir) : dirname(resolve(opts.moduleDir))), opts.nested ?? null, opts.files ?? {}, opts.variables, terraformData(opts.data)]));
  return hash.digest('hex');
}

async function fromDiskOrTerraform(key: string, opts: TerraformBodiesOptions): Promise<CoderScriptBodies> {
  const cached = join(CACHE_DIR, `${key}.json`);
  try {
    return JSON.parse(await readFile(cached, 'utf8')) as CoderScriptBodies;
  } catch {
    const bodies = await applyAndRead(opts);
    await mkdir(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    await writeFile(partial, JSON.stringify(bodies));
    await rename(partial, cached);
    return bodies;
  }
}

/** The provisioner environment the stand-in reads; the same defaults as the evaluator's data. */
function terraformData(data: CoderScriptData = {}): Record<string, string> {
  return {
    CODER_TASK_ID: data.taskEnabled ? (data.taskId ?? '') : '',
    CODER_TASK_PROMPT: data.taskEnabled ? (data.taskPrompt ?? '') : '',
    CODER_WORKSPACE_OWNER: data.ownerName ?? SIMULATED_OWNER_NAME,
    CODER_WORKSPACE_NAME: data.workspaceName ?? SIMULATED_WORKSPACE_NAME,
  };
}

/** Root variables pass values through untouched: tfvars.json values are literals, never templates. */
function rootModule(names: string[], source: string): string {
  const variables = names.map((name) => `variable "${name}" {\n  default  = null\n  nullable = true\n}\n`);
  const args = names.map((name) => `  ${name} = var.${name}\n`);
  return `${variables.join('\n')}\nmodule "under_test" {\n  source = "${source}"\n${args.join('')}}\n`;
}

async function applyAndRead(opts: TerraformBodiesOptions): Promise<CoderScriptBodies> {
  const env = await processTerraformEnv();
  const work = await mkdtemp(join(tmpdir(), 'agentapi-kit-tfbodies-'));
  try {
    const noTerraformDirs = { recursive: true, filter: (source: string) => !source.includes(`${'/'}.terraform`) };
    // A nested call needs the module's siblings (`source = "../agentapi"`): copy its parent directory.
    const copied = opts.nested === undefined ? 'module' : join('modules', basename(resolve(opts.moduleDir)));
    await cp(opts.nested === undefined ? resolve(opts.moduleDir) : dirname(resolve(opts.moduleDir)), join(work, opts.nested === undefined ? 'module' : 'modules'), noTerraformDirs);
    for (const [path, text] of Object.entries(opts.files ?? {})) {
      await mkdir(dirname(join(work, copied, path)), { recursive: true });
      await writeFile(join(work, copied, path), text);
    }
    const given = Object.fromEntries(Object.entries(opts.variables).filter(([, value]) => value !== undefined && value !== null));
    await writeFile(join(work, 'main.tf'), rootModule(Object.keys(opts.variables), `./${copied}`));
    await writeFile(join(work, 'terraform.tfvars.json'), JSON.stringify(given));
    const runEnv = { ...env.env, ...terraformData(opts.data) };
    await initTerraform(work, runEnv);
    const apply = await runTerraform(work, runEnv, ['apply', '-auto-approve', '-input=false', '-lock=false']);
    if (apply.exitCode !== 0) throw new Error(`terraform apply failed: ${firstError(apply.stderr)}`);
    const owner = opts.nested === undefined ? 'module.under_test' : `module.under_test.module.${opts.nested}`;
    return readBodies(JSON.parse(await readFile(join(work, 'terraform.tfstate'), 'utf8')) as TerraformState, owner);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Terraform's first diagnostic (up to its closing `╵`) on one line: summary, where, and the detail sentence. */
function firstError(stderr: string): string {
  const block = stderr.split('\n╵')[0] ?? stderr;
  const lines = block.split('\n').map((line) => line.trim().replace(/^[│╷╵├─]+\s*/, '')).filter((line) => line !== '');
  return lines.join(' ');
}

interface TerraformState {
  resources?: Array<{ module?: string; type: string; name: string; instances: Array<{ attributes: Record<string, unknown> }> }>;
}

function readBodies(state: TerraformState, owner: string): CoderScriptBodies {
  const script = (name: CoderScriptResource): string => {
    const found = state.resources?.find((item) => item.module === owner && item.type === 'coder_script' && item.name === name);
    const body = found?.instances[0]?.attributes.script;
    if (typeof body !== 'string') throw new Error(`terraform state has no coder_script.${name}.script`);
    return body;
  };
  return { agentapi: script('agentapi'), agentapi_shutdown: script('agentapi_shutdown') };
}
