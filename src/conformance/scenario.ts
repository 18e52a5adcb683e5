/**
 * A scenario is one situation the shutdown script can meet at workspace stop (what AgentAPI and
 * coderd do, which variables the module gets, whether AgentAPI is running) plus what must then be
 * true. runScenario() sets it up from scratch with fresh mocks, runs the real coder_script body of
 * the module under test, and describes every broken promise in words: first the universal ones
 * (universal-checks.ts), then the scenario's own, with counts and sizes from the module's config.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES } from '../agent-simulation/coder-script.ts';
import { type FakeProcess, startFakeProcess } from '../agent-simulation/fake-process.ts';
import { variableModeModuleDir } from '../agent-simulation/generated-module.ts';
import { callerFacts, callModule, impliedExpectations, type ModuleCaller } from './module-call.ts';
import { type ModuleFacts, readModuleFacts } from './module-facts.ts';
import { broke } from './promises.ts';
import { runCoderScript, type ShellChoice, type Toolbox } from '../agent-simulation/run-script.ts';
import { agentapiReleaseOrUndefined } from '../mocks/agentapi/index.ts';
import { startScenarioAgentapi, startScenarioCoderd } from './scenario-mocks.ts';
import type { Scenario, ScenarioExpectations, ScenarioObservation, ScenarioResult, ScenarioRunOptions } from './scenario-types.ts';
import { KILL_AFTER_BOUND_MS, timeBoundMs, universalChecks } from './universal-checks.ts';

export type {
  AgentapiRequest,
  AgentapiSetup,
  Check,
  CoderdRequest,
  CoderdSetup,
  ConversationMessage,
  Scenario,
  ScenarioExpectations,
  ScenarioObservation,
  ScenarioResult,
  ScenarioRunOptions,
  StoredSnapshot,
} from './scenario-types.ts';

/** What a result shows in place of a leaked agent token. */
export const TOKEN_REDACTED = 'REDACTED';

/** Where a scenario runs: the module directory, or why the scenario does not apply to the module under test. */
export type ScenarioPlacement = { moduleDir: string; facts: ModuleFacts } | { skip: string };

/**
 * The module a scenario runs against. A scenario about var.task_id needs a module generated with
 * taskIdSource = variable: the one under test when it is one, one generated for it when the
 * default module is under test, and otherwise it does not apply.
 */
export async function placeScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioPlacement> {
  const moduleDir = options.moduleDir ?? DEFAULT_MODULE_DIR;
  const own = await readModuleFacts(moduleDir);
  const facts = options.caller === undefined ? own : await callerFacts(options.caller, own);
  if (scenario.taskIdSource !== 'variable' || facts.taskIdSource === 'variable') return { moduleDir, facts };
  if (options.moduleDir !== undefined) return { skip: 'needs a module generated with taskIdSource = "variable"' };
  const variableDir = await variableModeModuleDir();
  return { moduleDir: variableDir, facts: await readModuleFacts(variableDir) };
}

export async function runScenario(scenario: Scenario, shell: ShellChoice, toolbox: Toolbox, options: ScenarioRunOptions = {}): Promise<ScenarioResult> {
  const shellName = typeof shell === 'string' ? shell : shell.name;
  const empty = { scenario: scenario.name, shell: shellName, toolbox, durationMs: 0, exitCode: null, output: '', requests: { coderd: [], agentapi: [] }, snapshot: null };
  const home = await mkdtemp(join(tmpdir(), 'agentapi-kit-scenario-'));
  const cleanups: Array<() => Promise<void>> = [() => rm(home, { recursive: true, force: true })];
  try {
    const placement = await placeScenario(scenario, options);
    if ('skip' in placement) return { ...empty, passed: true, skipped: placement.skip, failures: [] };
    const { moduleDir, facts } = placement;

    const agentapi = await startScenarioAgentapi(scenario.agentapi);
    cleanups.push(agentapi.close);
    const coderd = await startScenarioCoderd(scenario.coderd);
    cleanups.push(coderd.close);
    const { token, taskId } = coderd;

    const data = { taskEnabled: true, taskId, ...scenario.data };
    const extra = { ...(typeof scenario.variables === 'function' ? scenario.variables({ taskId }) : (scenario.variables ?? {})) };
    const customPid = join(home, 'custom place', "agent's.pid");
    if (scenario.pidFile === 'variable') extra.pid_file_path = customPid;
    const harness = { agentapi_port: agentapi.port, ...harnessVariables(scenario, facts, data, options.caller) };
    const called = await callModule(options.caller, EXAMPLE_REQUIRED_VARIABLES, harness, extra, data);
    if ('skip' in called) return { ...empty, passed: true, skipped: called.skip, failures: [] };
    const { variables } = called;
    const pidPath = scenario.pidFile === 'variable' ? customPid : join(home, String(variables.module_dir_name), 'agentapi.pid');

    let fake: FakeProcess | undefined;
    const processKind = scenario.agentapiProcess ?? 'normal';
    if (processKind !== 'none') {
      // The process is as old as the scenario's agentapi_version: before v0.12.0, SIGUSR1 kills it.
      const release = agentapiReleaseOrUndefined(String(variables.agentapi_version ?? facts.agentapiVersionDefault ?? ''));
      const started = await startFakeProcess({
        signalsFile: join(home, 'signals.log'),
        ignoreTerm: processKind === 'ignores-term',
        handlesSignals: release?.handlesSignals ?? true,
      });
      fake = started;
      cleanups.push(() => started.stop());
      await mkdir(dirname(pidPath), { recursive: true });
      await writeFile(pidPath, `${started.pid}\n`);
    }

    const env: Record<string, string> = { ...scenario.env };
    if (scenario.agentEnv?.url !== false) env.CODER_AGENT_URL = coderd.url;
    if (scenario.agentEnv?.token !== false) env.CODER_AGENT_TOKEN = token;

    const boundMs = timeBoundMs(variables, facts);
    const run = await runCoderScript({
      resource: 'agentapi_shutdown',
      variables,
      data,
      shell,
      toolbox,
      env,
      hideTools: scenario.withoutTools,
      home,
      moduleDir,
      scriptPath: options.scriptPath,
      timeoutMs: options.timeoutMs ?? boundMs + KILL_AFTER_BOUND_MS,
    });

    const observed: ScenarioObservation = {
      run,
      taskId,
      token,
      coderdPosts: coderd.snapshotPosts(),
      agentapiRequests: agentapi.requests(),
      snapshot: coderd.storedSnapshot(taskId),
      conversation: agentapi.conversation,
      servedBody: undefined,
      signals: fake === undefined ? [] : await fake.signals(),
      process: fake,
      toolbox,
      shellName,
      home,
      variables,
      env: scenario.env ?? {},
      facts,
    };
    // Only now (requests are recorded above): fetching adds a request of its own.
    observed.servedBody = await agentapi.servedBody().catch(() => undefined);
    // A template's own values imply what any run can show; an agent module must carry the scenario's values on.
    const own = expectationsFor(scenario, facts, toolbox);
    const expectations = options.caller?.kind === 'fixed' ? impliedExpectations(own, variables, facts, extra) : own;
    const failures = [...new Set([...universalChecks(observed, boundMs), ...(await checkExpectations(expectations, observed))])];
    // Checked above with the real token; from here on the result may be printed (table, --json).
    const redact = <T>(value: T): T => redactToken(value, token);
    return {
      scenario: scenario.name,
      shell: shellName,
      toolbox,
      passed: failures.length === 0,
      failures,
      durationMs: run.durationMs,
      exitCode: run.exitCode,
      output: redact(run.output),
      requests: redact({ coderd: coderd.requests(), agentapi: observed.agentapiRequests }),
      snapshot: redact(observed.snapshot ?? null),
    };
  } catch (error) {
    // A harness problem is a failure of this cell, reported in words, not a crash of the matrix.
    const message = error instanceof Error ? error.message : String(error);
    return { ...empty, passed: false, failures: [broke('harness', message)] };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

/**
 * Inputs the harness adds so a scenario means the same on any module: in the variable task-ID
 * mode, var.task_id carries what coder_task would (the task when it is enabled, else empty); with
 * a module whose task_log_snapshot defaults to false, the snapshot is turned on, as a template
 * author would, except for the scenario about that default.
 */
function harnessVariables(scenario: Scenario, facts: ModuleFacts, data: { taskEnabled?: boolean; taskId?: string }, caller: ModuleCaller | undefined): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  if (facts.taskIdSource === 'variable' && scenario.taskIdSource !== 'variable') variables.task_id = data.taskEnabled ? (data.taskId ?? '') : '';
  // A template's own task_log_snapshot is what its stop script runs with: never turned on for it.
  if (!facts.snapshotDefault && !scenario.usesSnapshotDefault && caller?.kind !== 'fixed') variables.task_log_snapshot = true;
  return variables;
}

/** The scenario's expectations for this module and toolbox. */
export function expectationsFor(scenario: Scenario, facts: ModuleFacts, toolbox: Toolbox): ScenarioExpectations {
  const expect = typeof scenario.expect === 'function' ? scenario.expect(facts) : scenario.expect;
  return scenario.adapt ? scenario.adapt(toolbox, expect) : expect;
}

/** `value` with every occurrence of the token in its strings replaced (a JSON round trip for objects). */
export function redactToken<T>(value: T, token: string): T {
  if (token === '' || value === null || value === undefined) return value;
  if (typeof value === 'string') return value.replaceAll(token, TOKEN_REDACTED) as T;
  const text = JSON.stringify(value);
  // The token is a UUID, so it reads the same inside JSON strings.
  return text.includes(token) ? (JSON.parse(text.replaceAll(token, TOKEN_REDACTED)) as T) : value;
}

/** Every broken expectation of the scenario, in words, each naming its promise. */
export async function checkExpectations(expect: ScenarioExpectations, observed: ScenarioObservation): Promise<string[]> {
  const failures: string[] = [];
  const { run } = observed;
  for (const wanted of expect.present ?? []) {
    if (!matches(run.output, wanted)) failures.push(broke('log-line', `missing ${show(wanted)}`));
  }
  for (const unwanted of expect.absent ?? []) {
    if (matches(run.output, unwanted)) failures.push(broke('log-line', `unexpected ${show(unwanted)}: ${firstMatchingLine(run.output, unwanted)}`));
  }
  for (const wanted of expect.stderr ?? []) {
    if (!matches(run.stderr, wanted)) failures.push(broke('error-line', `missing on stderr: ${show(wanted)}`));
  }
  if (expect.coderdPosts !== undefined) failures.push(...uploadCount(expect.coderdPosts, observed));
  for (const check of expect.checks ?? []) failures.push(...(await check(observed)));
  return failures;
}

/** Too few uploads where several were due is a missing retry; more than due, a needless one. */
function uploadCount(expected: number | { min: number; max: number }, observed: ScenarioObservation): string[] {
  const count = observed.coderdPosts.length;
  const { min, max } = typeof expected === 'number' ? { min: expected, max: expected } : expected;
  if (count >= min && count <= max) return [];
  const wanted = min === max ? `${min}` : `${min} to ${max}`;
  const statuses = observed.coderdPosts.map((post) => post.status ?? 'no answer').join(', ');
  const promise = count < min && min > 1 && count > 0 ? 'retries' : count > max && max >= 1 ? 'no-needless-retry' : 'upload-count';
  return [broke(promise, `coderd saw ${count} snapshot upload(s) (statuses: ${statuses || 'none'}), expected ${wanted}`)];
}

function matches(text: string, pattern: string | RegExp): boolean {
  return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
}

function show(pattern: string | RegExp): string {
  return typeof pattern === 'string' ? JSON.stringify(pattern) : String(pattern);
}

function firstMatchingLine(text: string, pattern: string | RegExp): string {
  return JSON.stringify(text.split('\n').find((line) => matches(line, pattern)) ?? '');
}

/** The output, indented and capped, for showing next to failures. */
export function indentOutput(text: string): string {
  const trimmed = text.length > 4000 ? `${text.slice(0, 4000)}\n… (${text.length - 4000} more characters)` : text;
  return trimmed
    .split('\n')
    .map((line) => `    | ${line}`)
    .join('\n');
}
