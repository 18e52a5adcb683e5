/**
 * `conformance --module DIR`: the agentapi module itself, or an agent module (a wrapper whose
 * main.tf calls `module "agentapi"`): then the agentapi module it nests runs, with the inputs the
 * wrapper's call passes, evaluated from the wrapper for every run (module-call.ts).
 */
import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { EXAMPLE_REQUIRED_VARIABLES } from '../../agent-simulation/coder-script.ts';
import { callerFacts, type ModuleCaller } from '../../conformance/module-call.ts';
import { type ModuleFacts, readModuleFacts } from '../../conformance/module-facts.ts';
import { UsageError } from '../errors.ts';

export interface ModuleRun {
  /** The agentapi module that runs (the nested one for an agent module). */
  moduleDir: string;
  caller?: ModuleCaller;
  facts: ModuleFacts;
  /** One line saying what runs. */
  description: string;
}

export const MODULE_VARIABLE_HINT = 'give them with --var NAME=VALUE, --var-file FILE or TF_VAR_NAME in the environment';

export async function prepareModuleRun(moduleDir: string, given: { vars: Record<string, string>; varFiles: readonly string[] }): Promise<ModuleRun> {
  const nested = await nestedAgentapi(moduleDir);
  if (nested === undefined) {
    if (Object.keys(given.vars).length > 0 || given.varFiles.length > 0) throw new UsageError(`--var and --var-file give values to a --template or an agent --module; ${moduleDir} is an agentapi module, whose inputs each scenario sets`);
    const facts = await usage(() => readModuleFacts(moduleDir));
    return { moduleDir, facts, description: describeFacts(`module ${moduleDir}:`, facts) };
  }
  const variables = { agent_id: EXAMPLE_REQUIRED_VARIABLES.agent_id, ...(await variablesFromFiles(given.varFiles)), ...environmentVariables(await declaredVariables(moduleDir)), ...given.vars };
  const caller: ModuleCaller = { kind: 'wrapper', caller: `agent module ${moduleDir}`, wrapperDir: moduleDir, variables };
  const own = await usage(() => readModuleFacts(nested));
  const facts = await callerFacts(caller, own, { taskEnabled: true }).catch((error: Error) => {
    const message = error.message.startsWith('required variable') ? `${error.message}; ${MODULE_VARIABLE_HINT}` : error.message;
    throw new UsageError(`--module ${moduleDir}: ${message}`);
  });
  return { moduleDir: nested, caller, facts, description: describeFacts(`agent module ${moduleDir}, calling the agentapi module ${nested} with the inputs it passes:`, facts) };
}

/** The directory of the agentapi module an agent module calls; undefined when DIR is no agent module. */
async function nestedAgentapi(moduleDir: string): Promise<string | undefined> {
  const mainTf = join(moduleDir, 'main.tf');
  const text = await readFile(mainTf, 'utf8').catch(() => {
    throw new UsageError(`--module: ${mainTf} does not exist`);
  });
  if (await exists(join(moduleDir, 'scripts', 'agentapi-shutdown.sh'))) return undefined;
  const parsed = (await parse(mainTf, text)) as { module?: { agentapi?: Array<{ source?: unknown; version?: unknown }> } };
  const call = parsed.module?.agentapi?.[0];
  if (call === undefined) throw new UsageError(`--module: ${moduleDir} is neither an agentapi module (no scripts/agentapi-shutdown.sh) nor an agent module (no module "agentapi" in main.tf)`);
  const source = String(call.source ?? '');
  if (!/^\.\.?\//.test(source)) {
    throw new UsageError(`--module: ${moduleDir} calls agentapi from "${source}"${call.version === undefined ? '' : ` version ${String(call.version)}`}; conformance runs a local agentapi module: generate the agent with agentapi: {path: ../agentapi} to test it`);
  }
  const nested = resolve(moduleDir, source);
  if (!(await exists(join(nested, 'scripts', 'agentapi-shutdown.sh')))) throw new UsageError(`--module: the agentapi module ${moduleDir} calls (${nested}) has no scripts/agentapi-shutdown.sh; generate it first`);
  return nested;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function declaredVariables(moduleDir: string): Promise<string[]> {
  const mainTf = join(moduleDir, 'main.tf');
  const parsed = (await parse(mainTf, await readFile(mainTf, 'utf8'))) as { variable?: Record<string, unknown> };
  return Object.keys(parsed.variable ?? {});
}

/** TF_VAR_<name> for the module's variables, as terraform reads them. */
function environmentVariables(names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = process.env[`TF_VAR_${name}`];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The literal values of `.tfvars` files (terraform syntax), later files winning. */
async function variablesFromFiles(files: readonly string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => {
      throw new UsageError(`--var-file: ${file} cannot be read`);
    });
    const parsed = await (file.endsWith('.json') ? Promise.resolve(JSON.parse(text) as unknown) : parse(file, text)).catch((error: Error) => {
      throw new UsageError(`--var-file: ${file}: ${error.message}`);
    });
    Object.assign(out, parsed);
  }
  return out;
}

async function usage<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new UsageError(`--module: ${(error as Error).message}`);
  }
}

export function describeFacts(what: string, facts: ModuleFacts): string {
  const { timeouts: t } = facts;
  return [
    `${what} snapshot.messageCount ${facts.messageCount}, snapshot.payloadLimitBytes ${facts.payloadLimitBytes},`,
    ` taskIdSource ${facts.taskIdSource}, task_log_snapshot default ${facts.snapshotDefault},`,
    ` timeouts (s) fetch ${t.fetch} post ${t.post} deadline ${t.snapshotDeadline} state-save ${t.stateSaveWait} terminate ${t.terminateWait}`,
  ].join('');
}
