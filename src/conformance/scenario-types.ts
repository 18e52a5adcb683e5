/**
 * The vocabulary of scenarios: what a scenario sets up, what the harness observed, what a check
 * returns. Types only, shared by the runner (scenario.ts), the mock seam (scenario-mocks.ts), the
 * checks and the list, so none of them imports another to get a type.
 */
import type { AgentapiFault, MessageInput } from '../mocks/agentapi/index.ts';
import type { CoderdFault, RateLimitRule } from '../mocks/coderd/index.ts';
import type { CoderScriptData } from '../agent-simulation/coder-script.ts';
import type { FakeProcess, RecordedSignal } from '../agent-simulation/fake-process.ts';
import type { ModuleCaller } from './module-caller.ts';
import type { ModuleFacts } from './module-facts.ts';
import type { RunResult, Toolbox } from '../agent-simulation/run-script.ts';

export interface ConversationMessage {
  id: number;
  content: string;
  role: 'user' | 'agent';
  time: string;
}

/**
 * AgentAPI for a scenario: nothing listening (`down`), or the mock serving `messages`, optionally
 * misbehaving on `GET /messages` as `fault` says (the mock's own fault vocabulary).
 */
export type AgentapiSetup = { down: true } | { down?: false; messages: MessageInput[]; fault?: AgentapiFault };

/**
 * coderd for a scenario, in the mock's own vocabulary: an injected fault on the snapshot route,
 * a rate limit, a Coder version without the route, a task deleted before the upload (its agent
 * token is then void: 401), or coderd unreachable (CODER_AGENT_URL names a port nothing listens
 * on, so every connection is refused; the mock still mints the task and token).
 */
export interface CoderdSetup {
  /** The Coder release the mock acts as (`v2.N[.P]`), and CODER_ENABLE_AI_TASKS (v2.37). */
  coderVersion?: string;
  enableAiTasks?: boolean;
  routeMissing?: boolean;
  fault?: CoderdFault;
  rateLimit?: RateLimitRule;
  taskDeleted?: boolean;
  unreachable?: boolean;
}

/** A request AgentAPI received. */
export interface AgentapiRequest {
  method: string;
  path: string;
  /** When it arrived (ms since the epoch). */
  at: number;
}

export interface CoderdRequest {
  method: string;
  /** As received, before coderd collapses repeated slashes. */
  path: string;
  query: Record<string, string[]>;
  /** Null while unanswered (hang, reset), so it survives JSON. */
  status: number | null;
  /** Whether a Coder-Session-Token header was sent (the mock redacts its value and checks it itself). */
  hasSessionToken: boolean;
  /** Body size from content-length, or what was read; null when neither is known (chunked, unread). */
  bodyBytes: number | null;
  at: number;
}

export interface StoredSnapshot {
  format: string;
  data: unknown;
  /** The upload exactly as received. */
  rawBody: string;
}

/** What the harness saw, handed to checks. */
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
  /** The module's inputs as the run gave them (required ones, the scenario's, the harness's). */
  variables: Readonly<Record<string, unknown>>;
  /** Environment the scenario added (e.g. ARG_ALLOW_TOKEN_IN_ARGV). */
  env: Readonly<Record<string, string>>;
  /** What the module under test was generated with (message count, payload limit, defaults). */
  facts: ModuleFacts;
}

/**
 * A check in words: returns failures (empty when it holds), each `<promise>: <what happened>`,
 * the promise being one of PROMISES (promises.ts).
 */
export type Check = (observed: ScenarioObservation) => string[] | Promise<string[]>;

export interface ScenarioExpectations {
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
  /**
   * `variable`: the scenario is about var.task_id, so it needs a module generated with
   * taskIdSource = variable (the module under test when it is one, else one generated for it).
   */
  taskIdSource?: 'variable';
  /**
   * The scenario is about the module's own task_log_snapshot default; every other scenario gets
   * task_log_snapshot = true when that default is false (a template author turning it on).
   */
  usesSnapshotDefault?: boolean;
  /** What must hold; a function when it depends on what the module was generated with. */
  expect: ScenarioExpectations | ((facts: ModuleFacts) => ScenarioExpectations);
  /** Adjusts the expectations for a toolbox (busybox has wget instead of curl). */
  adapt?: (toolbox: Toolbox, expect: ScenarioExpectations) => ScenarioExpectations;
}

export interface ScenarioRunOptions {
  /** A shutdown script to run instead of the module's (wrapped the same way). */
  scriptPath?: string;
  /** The module under test: its main.tf wraps the script, its generator config sets the expectations. */
  moduleDir?: string;
  /** Kill the run after this long; by default a few seconds past its time bound. */
  timeoutMs?: number;
  /** Who calls the module under test (a template, an agent module), with the values it passes (module-call.ts). */
  caller?: ModuleCaller;
}

export interface ScenarioResult {
  scenario: string;
  shell: string;
  toolbox: Toolbox;
  passed: boolean;
  /** Set when the scenario does not apply to the module under test (then passed is true, nothing ran). */
  skipped?: string;
  /** Each `<promise>: <what happened>`. */
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
