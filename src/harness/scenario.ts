/**
 * A scenario is one situation the shutdown script can meet at workspace stop (what AgentAPI and
 * coderd do, which variables the module gets, whether AgentAPI is running) plus what must then be
 * true. runScenario() sets it up from scratch with fresh mocks, runs the real coder_script body and
 * describes every broken expectation in words.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CoderScriptData } from './coder-script.ts';
import { EXAMPLE_REQUIRED_VARIABLES } from './coder-script.ts';
import { type FakeProcess, type RecordedSignal, startFakeProcess } from './fake-process.ts';
import {
  type AgentapiRequest,
  type AgentapiSetup,
  type CoderdRequest,
  type CoderdSetup,
  type StoredSnapshot,
  startScenarioAgentapi,
  startScenarioCoderd,
} from './scenario-mocks.ts';
import { runCoderScript, type RunResult, type ShellChoice, type Toolbox } from './run-script.ts';

export type { AgentapiRequest, AgentapiSetup, CoderdRequest, CoderdSetup, StoredSnapshot } from './scenario-mocks.ts';

/** What the harness saw, handed to predicates. */
export interface ScenarioObservation {
  run: RunResult;
  taskId: string;
  token: string;
  /** Requests coderd received on the log-snapshot route, in order. */
  coderdPosts: CoderdRequest[];
  /** Requests AgentAPI received (method and path), in order. */
  agentapiRequests: AgentapiRequest[];
  snapshot: StoredSnapshot | undefined;
  /** The conversation the mock AgentAPI served (empty when it served none). */
  conversation: ConversationMessage[];
  /** The exact body of `GET /messages` without the fault (undefined when AgentAPI was down). */
  servedBody: string | undefined;
  signals: RecordedSignal[];
  process: FakeProcess | undefined;
  toolbox: Toolbox;
  shellName: string;
  /** The script's HOME (also its working directory). */
  home: string;
}

export interface ConversationMessage {
  id: number;
  content: string;
  role: 'user' | 'agent';
  time: string;
}

/** A check in words: returns failure descriptions (empty when it holds). */
export type Check = (observed: ScenarioObservation) => string[] | Promise<string[]>;

export interface ScenarioExpectations {
  exitCode?: number;
  /** Text (or patterns) that must appear in the combined output. */
  present?: Array<string | RegExp>;
  /** Text (or patterns) that must not appear. */
  absent?: Array<string | RegExp>;
  /** Patterns that must appear on stderr (e.g. `Error: ...`). */
  stderr?: Array<string | RegExp>;
  /** Number of POSTs coderd must see on the snapshot route: exact, or an inclusive range. */
  coderdPosts?: number | { min: number; max: number };
  /** Extra checks (stored snapshot, signals, process end). */
  checks?: Check[];
}

export interface Scenario {
  name: string;
  /** Column header in the conformance table (a few characters). */
  short: string;
  description: string;
  agentapi: AgentapiSetup;
  coderd: CoderdSetup;
  /**
   * Module variables on top of the required ones and the AgentAPI port; a function gets the task
   * coderd knows (for var.task_id in the variable task-ID mode).
   */
  variables?: Record<string, unknown> | ((task: { taskId: string }) => Record<string, unknown>);
  /** Data sources; by default the workspace runs the enabled task coderd knows. */
  data?: CoderScriptData;
  /** Agent environment: by default CODER_AGENT_URL and CODER_AGENT_TOKEN are set. */
  agentEnv?: { url?: boolean; token?: boolean };
  /** More environment for the script (e.g. ARG_ALLOW_TOKEN_IN_ARGV, the script's test hooks). */
  env?: Record<string, string>;
  /** Tools taken off the toolbox's PATH for this scenario (e.g. curl and wget), whatever the toolbox. */
  withoutTools?: readonly string[];
  /** The AgentAPI process: none, one that exits on SIGTERM, or one that ignores it. */
  agentapiProcess?: 'none' | 'normal' | 'ignores-term';
  /** Where the PID file goes: the default `$HOME/<module_dir_name>/agentapi.pid`, or var.pid_file_path. */
  pidFile?: 'default' | 'variable';
  /** A module directory other than the default (e.g. one generated with taskIdSource=variable). */
  moduleDir?: string | (() => Promise<string>);
  expect: ScenarioExpectations;
  /** Adjusts the expectations for a toolbox (busybox has wget instead of curl). */
  adapt?: (toolbox: Toolbox, expect: ScenarioExpectations) => ScenarioExpectations;
}

export interface ScenarioRunOptions {
  /** A shutdown script to run instead of the module's (wrapped the same way). */
  scriptPath?: string;
  moduleDir?: string;
  timeoutMs?: number;
}

export interface ScenarioResult {
  scenario: string;
  shell: string;
  toolbox: Toolbox;
  passed: boolean;
  failures: string[];
  durationMs: number;
  exitCode: number | null;
  /** The script's stdout and stderr as they arrived; the agent token, if leaked, as REDACTED. */
  output: string;
  /** What the mocks saw, in order (coderd: every request; tokens never included, REDACTED where leaked). */
  requests: { coderd: CoderdRequest[]; agentapi: AgentapiRequest[] };
  /** What coderd stored for the task, or null (token REDACTED where leaked). */
  snapshot: StoredSnapshot | null;
}

/** What a result shows in place of a leaked agent token. */
export const TOKEN_REDACTED = 'REDACTED';

/** Upper bound for one run: the script's own worst case is 8 s with defaults; this only catches hangs. */
export const SCENARIO_TIMEOUT_MS = 30_000;

export async function runScenario(scenario: Scenario, shell: ShellChoice, toolbox: Toolbox, options: ScenarioRunOptions = {}): Promise<ScenarioResult> {
  const shellName = typeof shell === 'string' ? shell : shell.name;
  const home = await mkdtemp(join(tmpdir(), 'agentapi-kit-scenario-'));
  const cleanups: Array<() => Promise<void>> = [() => rm(home, { recursive: true, force: true })];
  try {
    const agentapi = await startScenarioAgentapi(scenario.agentapi);
    cleanups.push(agentapi.close);
    const coderd = await startScenarioCoderd(scenario.coderd);
    cleanups.push(coderd.close);
    const { token, taskId } = coderd;

    const extra = typeof scenario.variables === 'function' ? scenario.variables({ taskId }) : (scenario.variables ?? {});
    const variables: Record<string, unknown> = { ...EXAMPLE_REQUIRED_VARIABLES, agentapi_port: agentapi.port, ...extra };
    const moduleDirName = String(variables.module_dir_name);
    const pidPath =
      scenario.pidFile === 'variable' ? join(home, 'custom place', "agent's.pid") : join(home, moduleDirName, 'agentapi.pid');
    if (scenario.pidFile === 'variable') variables.pid_file_path = pidPath;

    let fake: FakeProcess | undefined;
    const processKind = scenario.agentapiProcess ?? 'normal';
    if (processKind !== 'none') {
      const started = await startFakeProcess({ signalsFile: join(home, 'signals.log'), ignoreTerm: processKind === 'ignores-term' });
      fake = started;
      cleanups.push(() => started.stop());
      await mkdir(dirname(pidPath), { recursive: true });
      await writeFile(pidPath, `${started.pid}\n`);
    }

    const env: Record<string, string> = { ...scenario.env };
    if (scenario.agentEnv?.url !== false) env.CODER_AGENT_URL = coderd.url;
    if (scenario.agentEnv?.token !== false) env.CODER_AGENT_TOKEN = token;

    const moduleDir = await resolveModuleDir(scenario, options);
    const run = await runCoderScript({
      resource: 'agentapi_shutdown',
      variables,
      data: { taskEnabled: true, taskId, ...scenario.data },
      shell,
      toolbox,
      env,
      hideTools: scenario.withoutTools,
      home,
      moduleDir,
      scriptPath: options.scriptPath,
      timeoutMs: options.timeoutMs ?? SCENARIO_TIMEOUT_MS,
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
    };
    // Only now (requests are recorded above): fetching adds a request of its own.
    observed.servedBody = await agentapi.servedBody().catch(() => undefined);
    const expectations = scenario.adapt ? scenario.adapt(toolbox, scenario.expect) : scenario.expect;
    const failures = await checkExpectations(expectations, observed);
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
    return {
      scenario: scenario.name,
      shell: shellName,
      toolbox,
      passed: false,
      failures: [`harness error: ${message}`],
      durationMs: 0,
      exitCode: null,
      output: '',
      requests: { coderd: [], agentapi: [] },
      snapshot: null,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

/** `value` with every occurrence of the token in its strings replaced (a JSON round trip for objects). */
export function redactToken<T>(value: T, token: string): T {
  if (token === '' || value === null || value === undefined) return value;
  if (typeof value === 'string') return value.replaceAll(token, TOKEN_REDACTED) as T;
  const text = JSON.stringify(value);
  // The token is a UUID, so it reads the same inside JSON strings.
  return text.includes(token) ? (JSON.parse(text.replaceAll(token, TOKEN_REDACTED)) as T) : value;
}

async function resolveModuleDir(scenario: Scenario, options: ScenarioRunOptions): Promise<string | undefined> {
  if (scenario.moduleDir === undefined) return options.moduleDir;
  return typeof scenario.moduleDir === 'string' ? scenario.moduleDir : scenario.moduleDir();
}

/** Every broken expectation, in words; checks that hold for every scenario come first. */
export async function checkExpectations(expect: ScenarioExpectations, observed: ScenarioObservation): Promise<string[]> {
  const failures: string[] = [];
  const { run } = observed;
  if (run.timedOut) failures.push(`the script did not finish within ${SCENARIO_TIMEOUT_MS / 1000} s and was killed (a stop script must never hang)`);
  if (observed.token !== '' && run.output.includes(observed.token)) failures.push('the agent token appears in the output');
  const misplaced = run.stdout.split('\n').find((line) => line.startsWith('Error: '));
  if (misplaced !== undefined) failures.push(`an error went to stdout, not stderr: ${JSON.stringify(misplaced)}`);
  if (expect.exitCode !== undefined && run.exitCode !== expect.exitCode) {
    failures.push(`exit code ${run.exitCode ?? `none (signal ${run.signal})`}, expected ${expect.exitCode}`);
  }
  for (const wanted of expect.present ?? []) {
    if (!matches(run.output, wanted)) failures.push(`missing log line ${show(wanted)}`);
  }
  for (const unwanted of expect.absent ?? []) {
    if (matches(run.output, unwanted)) failures.push(`unexpected log line ${show(unwanted)}: ${firstMatchingLine(run.output, unwanted)}`);
  }
  for (const wanted of expect.stderr ?? []) {
    if (!matches(run.stderr, wanted)) failures.push(`missing on stderr: ${show(wanted)}`);
  }
  if (expect.coderdPosts !== undefined) {
    const count = observed.coderdPosts.length;
    const { min, max } = typeof expect.coderdPosts === 'number' ? { min: expect.coderdPosts, max: expect.coderdPosts } : expect.coderdPosts;
    if (count < min || count > max) {
      const wanted = min === max ? `${min}` : `${min} to ${max}`;
      const statuses = observed.coderdPosts.map((post) => post.status ?? 'no answer').join(', ');
      failures.push(`coderd saw ${count} snapshot upload(s) (statuses: ${statuses || 'none'}), expected ${wanted}`);
    }
  }
  for (const check of expect.checks ?? []) failures.push(...(await check(observed)));
  // Two checks can notice the same thing (e.g. no snapshot stored); say it once.
  return [...new Set(failures)];
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
