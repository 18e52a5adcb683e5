import type { Command } from 'commander';
import {
  AGENTAPI_FAULT_KINDS,
  agentapiRelease,
  DEFAULT_AGENTAPI_RELEASE,
  type AgentapiFault,
  type AgentapiFaultKind,
  ConversationError,
  isPresetName,
  type MockAgentapiOptions,
  PRESET_NAMES,
  startMockAgentapi,
} from '../../mocks/agentapi/index.ts';
import { type CoderdFault, coderRoutes, type MockCoderdOptions, StateFileError, startMockCoderd, taskPageUrl } from '../../mocks/coderd/index.ts';
import { CliError, UsageError } from '../errors.ts';
import { untilSignal } from '../signals.ts';

export interface CommonFlags {
  port: string;
  faultStatus?: string;
  delay?: string;
  faultCount?: string;
}

export interface AgentapiFlags extends CommonFlags {
  conversation?: string;
  preset?: string;
  fault?: string;
  huge?: string;
  agentapiVersion?: string;
}

export interface CoderdFlags extends CommonFlags {
  state?: string;
  coderVersion?: string;
  enableAiTasks?: boolean;
  routeMissing?: boolean;
  rateLimit?: string;
  rateWindow?: string;
  fault?: string;
  liveAgentapi?: string;
}

const CODERD_FAULT_KINDS = ['status', 'hang', 'reset'] as const;

/** `mock agentapi` and `mock coderd`: the mock servers as long-running processes for scripts and CI. */
export function registerMockCommand(program: Command): void {
  const mock = program
    .command('mock')
    .description('Run a mock AgentAPI or coderd on 127.0.0.1. Prints one JSON line ({"url", ...}), then serves until SIGINT/SIGTERM.');
  registerAgentapi(mock);
  registerCoderd(mock);
}

function registerAgentapi(mock: Command): void {
  mock
    .command('agentapi')
    .description('Mock AgentAPI: GET /messages, GET /status, POST /message, with faults on demand. First stdout line: {"url"}.')
    .option('--port <n>', 'port to listen on (0 = a free port)', '0')
    .option('--conversation <file>', 'conversation JSON: a GET /messages response or an array of {content, role, time?}')
    .option('--preset <name>', `built-in conversation: ${PRESET_NAMES.join(', ')}`)
    .option('--huge <COUNTxSIZE>', 'generated conversation of COUNT messages of SIZE bytes each (e.g. 5000x2048)')
    .option('--fault <kind>', `misbehave on GET /messages: ${AGENTAPI_FAULT_KINDS.join(', ')}`)
    .option('--fault-status <n>', 'status code for --fault status (implies it; default 500)')
    .option('--delay <ms>', 'alone: answer after MS; with --fault drip: pause between chunks; with other faults: wait before them')
    .option('--fault-count <k>', 'apply the fault to the next K requests only, then recover')
    .option('--agentapi-version <v>', `answer as this AgentAPI release (GET /status has agent_type from v0.10.1, transport from v0.12.0; default ${DEFAULT_AGENTAPI_RELEASE})`)
    .action(async (flags: AgentapiFlags) => {
      await runMockAgentapi(flags);
    });
}

function registerCoderd(mock: Command): void {
  mock
    .command('coderd')
    .description(
      'Mock coderd: the log-snapshot upload route, the task logs route and a /__mock admin API. A default task exists at start. ' +
        'First stdout line: {"url", "agentToken", "taskId", "userToken", "user", "workspaceId", "taskPageUrl"}. ' +
        'Each task has a web page at /tasks/{user}/{taskId}: live from --live-agentapi while active, its snapshot once paused.',
    )
    .option('--port <n>', 'port to listen on (0 = a free port)', '0')
    .option('--state <file>', 'persist tasks and snapshots in this JSON file (loaded at start, written atomically)')
    .option('--coder-version <v>', 'act as this Coder release (v2.N[.P], default v2.36): before v2.30 no log-snapshot route, v2.37 none unless --enable-ai-tasks, v2.38+ no Tasks API')
    .option('--enable-ai-tasks', 'CODER_ENABLE_AI_TASKS=true: Tasks and their routes on in v2.37')
    .option('--route-missing', 'act like a Coder without the route: every log-snapshot request gets 404 "Route not found."')
    .option('--rate-limit <n>', 'answer 429 after N /api/v2 requests per window (0 = always)')
    .option('--rate-window <ms>', 'rate-limit window in ms (default 60000)')
    .option('--fault <kind>', `inject on the log-snapshot route: ${CODERD_FAULT_KINDS.join(', ')}`)
    .option('--fault-status <n>', 'answer the log-snapshot route with this status (implies --fault status)')
    .option('--delay <ms>', 'wait MS before handling each log-snapshot request (or before the fault)')
    .option('--fault-count <k>', 'apply the fault to the next K requests only, then recover')
    .option('--live-agentapi <url>', 'AgentAPI base URL that active tasks\' logs are read from')
    .action(async (flags: CoderdFlags) => {
      await runMockCoderd(flags);
    });
}

/** The library options a set of `mock agentapi` flags stands for; throws UsageError on bad flags. */
export function agentapiOptionsFromFlags(flags: AgentapiFlags): MockAgentapiOptions {
  return { port: parsePort(flags.port), fault: agentapiFault(flags), ...conversationSource(flags), ...releaseOption(flags) };
}

function releaseOption(flags: AgentapiFlags): Pick<MockAgentapiOptions, 'release'> {
  if (flags.agentapiVersion === undefined) return {};
  try {
    return { release: agentapiRelease(flags.agentapiVersion).name };
  } catch (error) {
    throw new UsageError(`--agentapi-version: ${(error as Error).message}`);
  }
}

/** The library options a set of `mock coderd` flags stands for; throws UsageError on bad flags. */
export function coderdOptionsFromFlags(flags: CoderdFlags): MockCoderdOptions {
  return {
    port: parsePort(flags.port),
    stateFile: flags.state,
    createDefaultTask: true,
    ...coderVersion(flags),
    routeMissing: flags.routeMissing ?? false,
    rateLimit: flags.rateLimit === undefined ? null : { limit: parseCount('--rate-limit', flags.rateLimit), windowMs: optionalPositive('--rate-window', flags.rateWindow) },
    fault: coderdFault(flags),
    liveAgentapiUrl: flags.liveAgentapi ?? null,
  };
}

export async function runMockAgentapi(flags: AgentapiFlags): Promise<void> {
  const options = agentapiOptionsFromFlags(flags);
  const server = await startOrExplain(() => startMockAgentapi(options), options.port);
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  await untilSignal();
  await server.close();
}

export async function runMockCoderd(flags: CoderdFlags): Promise<void> {
  const options = coderdOptionsFromFlags(flags);
  const server = await startOrExplain(() => startMockCoderd(options), options.port);
  const task = server.defaultTask;
  if (task === undefined) throw new CliError('mock coderd started without a default task');
  const { taskId, agentToken, userToken, user, workspaceId } = task;
  const page = taskPageUrl(server.url, user, taskId);
  process.stdout.write(`${JSON.stringify({ url: server.url, agentToken, taskId, userToken, user, workspaceId, taskPageUrl: page })}\n`);
  await untilSignal();
  await server.close();
}

function coderVersion(flags: CoderdFlags): Pick<MockCoderdOptions, 'coderVersion' | 'enableAiTasks'> {
  if (flags.coderVersion === undefined) {
    if (flags.enableAiTasks) throw new UsageError('--enable-ai-tasks needs --coder-version (it matters in v2.37 only)');
    return {};
  }
  try {
    coderRoutes(flags.coderVersion);
  } catch (error) {
    throw new UsageError(`--coder-version: ${(error as Error).message}`);
  }
  return { coderVersion: flags.coderVersion, enableAiTasks: flags.enableAiTasks ?? false };
}

function conversationSource(flags: AgentapiFlags): Pick<MockAgentapiOptions, 'conversationFile' | 'preset' | 'huge'> {
  const chosen = [flags.conversation !== undefined, flags.preset !== undefined && flags.preset !== 'huge', flags.huge !== undefined].filter(Boolean);
  if (chosen.length > 1) throw new UsageError('use only one of --conversation, --preset and --huge');
  if (flags.conversation !== undefined) return { conversationFile: flags.conversation };
  if (flags.huge !== undefined) return { preset: 'huge', huge: parseHuge(flags.huge) };
  if (flags.preset === undefined) return {};
  if (!isPresetName(flags.preset)) throw new UsageError(`unknown --preset ${JSON.stringify(flags.preset)}; use one of ${PRESET_NAMES.join(', ')}`);
  return { preset: flags.preset };
}

function agentapiFault(flags: AgentapiFlags): AgentapiFault | null {
  const delay = optionalCount('--delay', flags.delay);
  const status = optionalStatus(flags.faultStatus);
  const kind = flags.fault ?? (status !== undefined ? 'status' : delay !== undefined ? 'delay' : undefined);
  if (kind === undefined) return null;
  if (!(AGENTAPI_FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown --fault ${JSON.stringify(kind)}; use one of ${AGENTAPI_FAULT_KINDS.join(', ')}`);
  }
  if (status !== undefined && kind !== 'status') throw new UsageError('--fault-status only goes with --fault status');
  const fault: AgentapiFault = { kind: kind as AgentapiFaultKind, times: optionalPositive('--fault-count', flags.faultCount) };
  if (kind === 'status') fault.status = status ?? 500;
  if (kind === 'drip') fault.intervalMs = delay;
  else fault.delayMs = delay;
  return withoutUndefined(fault);
}

function coderdFault(flags: CoderdFlags): CoderdFault | null {
  const delayMs = optionalCount('--delay', flags.delay);
  const status = optionalStatus(flags.faultStatus);
  const kind = flags.fault ?? (status !== undefined ? 'status' : undefined);
  if (kind !== undefined && !(CODERD_FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`unknown --fault ${JSON.stringify(kind)}; use one of ${CODERD_FAULT_KINDS.join(', ')}`);
  }
  if (status !== undefined && kind !== 'status') throw new UsageError('--fault-status only goes with --fault status');
  if (kind === undefined && delayMs === undefined) return null;
  return withoutUndefined({
    status: kind === 'status' ? (status ?? 500) : undefined,
    hang: kind === 'hang' ? true : undefined,
    reset: kind === 'reset' ? true : undefined,
    delayMs,
    times: optionalPositive('--fault-count', flags.faultCount),
  });
}

/** Turns library start-up failures into the CLI's error classes: bad input is exit 2, a busy port exit 1. */
async function startOrExplain<T>(start: () => Promise<T>, port: number | undefined): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof ConversationError || error instanceof StateFileError || error instanceof RangeError) throw new UsageError(error.message);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use`);
    if (code === 'EACCES') throw new CliError(`not allowed to listen on port ${port}`);
    throw error;
  }
}

export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(text)}`);
  return port;
}

function parseHuge(text: string): { count: number; size: number } {
  const match = /^(\d{1,7})x(\d{1,9})$/.exec(text);
  if (match === null) throw new UsageError(`--huge must look like COUNTxSIZE (e.g. 5000x2048), got ${JSON.stringify(text)}`);
  return { count: Number(match[1]), size: Number(match[2]) };
}

function parseCount(flag: string, text: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new UsageError(`${flag} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

function optionalCount(flag: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseCount(flag, text);
}

function optionalPositive(flag: string, text: string | undefined): number | undefined {
  const value = optionalCount(flag, text);
  if (value === 0) throw new UsageError(`${flag} must be at least 1`);
  return value;
}

function optionalStatus(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const status = /^\d{3}$/.test(text) ? Number(text) : Number.NaN;
  if (!(status >= 100 && status <= 599)) throw new UsageError(`--fault-status must be an HTTP status from 100 to 599, got ${JSON.stringify(text)}`);
  return status;
}

/** Drops fields left undefined so the fault reads (and round-trips through JSON) exactly as given. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
