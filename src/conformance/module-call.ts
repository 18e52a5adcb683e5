/**
 * Who calls the agentapi module under test, and with what. Conformance of a module on its own
 * gives the scenario's variables straight to agentapi; but a template or an agent module calls it
 * with values of its own, and a run that ignored them would prove nothing about that caller:
 *
 * - a template's call (`fixed`): the stop script's inputs as Terraform rendered them for the
 *   template. Those values stay as the template passes them; a scenario that needs another value
 *   of one of them does not apply (skipped, naming both values), and each run expects what the
 *   values imply (no upload with `task_log_snapshot = false`, none without a task ID).
 * - an agent module (`wrapper`): its `module "agentapi"` block, evaluated from its own main.tf for
 *   every run, with the scenario's variables set on the agent module (whose pass-through variables
 *   carry them on); what the wrapper sets itself stays as it sets it.
 *
 * The harness always owns three inputs, whatever the caller passes: the AgentAPI port (the mock
 * listens on a port of its own), the PID file (the harness starts the AgentAPI stand-in) and, with
 * a task ID the caller takes from the task, the task ID (the mock coderd's task).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { SHUTDOWN_INPUTS } from '../module/script-inputs.ts';
import type { ArgAssignment } from '../agent-simulation/arg-assignments.ts';
import { type CoderScriptData, evaluateModuleCall, EXAMPLE_REQUIRED_VARIABLES, renderCoderScriptBody } from '../agent-simulation/coder-script.ts';
import { agentapiNotAsked, noSnapshotStored } from './checks.ts';
import { LOG, PROCESS_CHECKS, PROCESS_LINES } from './expectations.ts';
import type { ModuleCaller } from './module-caller.ts';
import type { ModuleFacts } from './module-facts.ts';
import type { ScenarioExpectations } from './scenario-types.ts';

export type { FixedCall, ModuleCaller, WrapperCall } from './module-caller.ts';

/** Inputs the harness sets on every run, whatever the caller passes (see the file comment). */
export const HARNESS_OWNED = Object.freeze(['agentapi_port', 'pid_file_path']);

/**
 * The fixed inputs of a template's call, from the ARG_* assignments of its rendered stop script.
 * `renderedTaskId` is the task ID the template was rendered in: a task ID equal to it comes from
 * the task (the harness's own then); any other value, the empty one included, is the template's.
 */
export function fixedInputsFromArgs(assignments: readonly ArgAssignment[], renderedTaskId: string, taskIdSource: ModuleFacts['taskIdSource']): Record<string, unknown> {
  const { variables, taskId } = shutdownVariables(assignments);
  const inputs = Object.fromEntries(Object.entries(variables).filter(([name]) => !HARNESS_OWNED.includes(name)));
  if (taskIdSource === 'variable' && taskId !== undefined && taskId !== renderedTaskId) inputs.task_id = taskId;
  return inputs;
}

/** Every variable the shutdown script's inputs come from, typed, and the task ID it was given (undefined without ARG_TASK_ID). */
export function shutdownVariables(assignments: readonly ArgAssignment[]): { variables: Record<string, unknown>; taskId: string | undefined } {
  const variables: Record<string, unknown> = {};
  let taskId: string | undefined;
  for (const { name, value } of assignments) {
    const input = SHUTDOWN_INPUTS.find((candidate) => candidate.arg === name);
    if (input === undefined) continue;
    if ('local' in input.from) {
      if (input.from.local === 'task_id') taskId = value;
      continue;
    }
    variables[input.from.variable] = input.quoting === 'raw' ? rawValue(value) : value;
  }
  return { variables, taskId };
}

/**
 * Whether the inputs read back from a rendered shutdown body are all that body depends on: the
 * evaluator renders the module with exactly them and must get Terraform's body, byte for byte.
 * Returns what went wrong, or undefined when the bodies are identical.
 */
export async function reproducesBody(
  rendered: { body: string; inputs: readonly ArgAssignment[]; moduleDir: string },
  taskIdSource: ModuleFacts['taskIdSource'],
  renderedTaskId: string,
): Promise<string | undefined> {
  const { variables, taskId } = shutdownVariables(rendered.inputs);
  const inTask = taskIdSource === 'variable' || taskId !== '';
  const data = { taskEnabled: inTask, taskId: taskIdSource === 'data-source' && taskId ? taskId : renderedTaskId };
  const task = taskIdSource === 'variable' ? { task_id: taskId ?? '' } : {};
  try {
    const ours = await renderCoderScriptBody({ moduleDir: rendered.moduleDir, resource: 'agentapi_shutdown', variables: { ...EXAMPLE_REQUIRED_VARIABLES, ...variables, ...task }, data });
    return ours === rendered.body ? undefined : 'the bodies differ';
  } catch (error) {
    return (error as Error).message;
  }
}

/** A bool or number Terraform printed as is. */
function rawValue(text: string): unknown {
  if (text === 'true' || text === 'false') return text === 'true';
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** The module's facts as this caller uses it: its snapshot switch and timeouts are the caller's values. */
export async function callerFacts(caller: ModuleCaller, facts: ModuleFacts, data: CoderScriptData = {}): Promise<ModuleFacts> {
  const given = caller.kind === 'fixed' ? caller.inputs : await evaluateModuleCall({ moduleDir: caller.wrapperDir, call: 'agentapi', variables: { ...caller.variables }, data });
  const number = (name: string, fallback: number) => (typeof given[name] === 'number' ? (given[name] as number) : fallback);
  const t = facts.timeouts;
  return {
    ...facts,
    snapshotDefault: typeof given.task_log_snapshot === 'boolean' ? given.task_log_snapshot : facts.snapshotDefault,
    timeouts: {
      fetch: number('shutdown_fetch_timeout', t.fetch),
      post: number('shutdown_post_timeout', t.post),
      snapshotDeadline: number('shutdown_snapshot_deadline', t.snapshotDeadline),
      stateSaveWait: number('shutdown_state_save_wait', t.stateSaveWait),
      terminateWait: number('shutdown_terminate_timeout', t.terminateWait),
    },
  };
}

export type CallOutcome = { variables: Record<string, unknown> } | { skip: string };

/**
 * agentapi's variables for one run. `harness`: what the harness sets so a scenario means the same
 * on any module (yields to a template's fixed values); `scenario`: what the scenario is about
 * (a template passing another value makes the scenario not apply).
 */
export async function callModule(
  caller: ModuleCaller | undefined,
  base: Readonly<Record<string, unknown>>,
  harness: Readonly<Record<string, unknown>>,
  scenario: Readonly<Record<string, unknown>>,
  data: CoderScriptData,
): Promise<CallOutcome> {
  if (caller === undefined) return { variables: { ...base, ...harness, ...scenario } };
  if (caller.kind === 'fixed') {
    for (const [name, value] of Object.entries(scenario)) {
      if (Object.hasOwn(caller.inputs, name) && String(caller.inputs[name]) !== String(value)) {
        return { skip: `needs ${name} = ${show(value)}; the ${caller.caller} passes ${show(caller.inputs[name])}` };
      }
    }
    const yielding = Object.fromEntries(Object.entries(harness).filter(([name]) => !Object.hasOwn(caller.inputs, name)));
    return { variables: { ...base, ...yielding, ...caller.inputs, ...scenario } };
  }
  const declared = await wrapperVariables(caller.wrapperDir);
  const setItself = Object.keys(scenario).filter((name) => !declared.has(name));
  if (setItself.length > 0) return { skip: `needs ${setItself.join(', ')} set by the template; the ${caller.caller} sets ${setItself.length > 1 ? 'them' : 'it'} itself` };
  const own = Object.fromEntries(Object.entries({ ...harness, ...scenario }).filter(([name]) => declared.has(name)));
  const inputs = await evaluateModuleCall({ moduleDir: caller.wrapperDir, call: 'agentapi', variables: { ...caller.variables, ...own }, data });
  return { variables: { ...inputs } };
}

/**
 * What a caller's own values imply for any scenario, on top of the scenario's expectations: the
 * snapshot off, or no task ID, means no request to AgentAPI or coderd at all, the skip line, and
 * AgentAPI still stopped (the process lines and checks of the scenario stay).
 */
export function impliedExpectations(expect: ScenarioExpectations, variables: Readonly<Record<string, unknown>>, facts: ModuleFacts, scenarioSets: Readonly<Record<string, unknown>>): ScenarioExpectations {
  const snapshotOff = variables.task_log_snapshot === false && !Object.hasOwn(scenarioSets, 'task_log_snapshot');
  const noTaskId = facts.taskIdSource === 'variable' && variables.task_id === '' && !Object.hasOwn(scenarioSets, 'task_id');
  if (!snapshotOff && !noTaskId) return expect;
  return {
    present: [...(expect.present ?? []).filter((line) => PROCESS_LINES.includes(line)), snapshotOff ? LOG.snapshotDisabled : LOG.noTaskId],
    absent: [LOG.posted, LOG.retrieved, LOG.captureFailed],
    coderdPosts: 0,
    checks: [noSnapshotStored, agentapiNotAsked, ...(expect.checks ?? []).filter((check) => PROCESS_CHECKS.has(check))],
  };
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const wrapperCache = new Map<string, Promise<Set<string>>>();

/** The variables an agent module declares. */
function wrapperVariables(wrapperDir: string): Promise<Set<string>> {
  let names = wrapperCache.get(wrapperDir);
  if (names === undefined) {
    const path = join(wrapperDir, 'main.tf');
    names = readFile(path, 'utf8')
      .then((text) => parse(path, text))
      .then((parsed) => new Set(Object.keys((parsed as { variable?: Record<string, unknown> }).variable ?? {})));
    wrapperCache.set(wrapperDir, names);
  }
  return names;
}
