/**
 * Every behaviour the shutdown script promises (docs/shutdown-script.md and docs/architecture.md),
 * as scenarios: the list. Log lines come from src/contract (expectations.ts), checks from
 * checks.ts; counts and sizes from the module under test (module-facts.ts).
 */
import { noSigusr1, nothingInjected, lastMessageTruncated, lastUploadStatus, noSnapshotStored, processKilled, processTerminated, sigusr1BeforeSnapshot, storedLastMessages, storedWithoutNul, uploadsFor, agentapiNotAsked, snapshotStored } from './checks.ts';
import { conversation, huge, MULTIBYTE, numbered, oversize } from './conversations.ts';
import {
  busyboxRefusesToken,
  ERROR_LINE,
  expectCaptureFailed,
  expectNoUpload,
  expectPosted,
  expectSkipped,
  KILL_WARNING,
  LOG,
  plus,
  SHUTDOWN_LINES,
} from './expectations.ts';
import type { Scenario } from './scenario-types.ts';


const happy = numbered(25);
/** A well-formed task ID no coderd has (fixed, so runs are reproducible). */
const UNKNOWN_TASK_ID = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

const LIST: ScenarioSpec[] = [
  {
    name: 'happy-path',
    short: 'ok',
    description: 'AgentAPI has 25 messages, coderd accepts: the last snapshot.messageCount (10) are stored unchanged, AgentAPI is stopped.',
    agentapi: { messages: happy },
    coderd: {},
    expect: plus(expectPosted(1), { present: [`Retrieved ${happy.length} messages for log snapshot`] }),
  },
  {
    name: 'snapshot-default',
    short: 'dflt',
    description: "task_log_snapshot left at the module's default (generator config defaults.taskLogSnapshot): posted when it is true, skipped when false.",
    agentapi: { messages: happy },
    coderd: {},
    usesSnapshotDefault: true,
    expect: (facts) => (facts.snapshotDefault ? expectPosted(1) : expectSkipped(LOG.snapshotDisabled)),
  },
  {
    name: 'snapshot-disabled',
    stopsBeforeHttp: true,
    short: 'off',
    description: 'task_log_snapshot = false: no request to coderd, AgentAPI still stopped.',
    agentapi: { messages: happy },
    coderd: {},
    variables: { task_log_snapshot: false },
    expect: expectSkipped(LOG.snapshotDisabled),
  },
  {
    name: 'not-a-task',
    stopsBeforeHttp: true,
    short: 'notask',
    description: 'coder_task.me.enabled = false (its id is still a random UUID): no task ID, no request.',
    agentapi: { messages: happy },
    coderd: {},
    data: { taskEnabled: false },
    expect: expectSkipped(LOG.noTaskId),
  },
  {
    name: 'bogus-task-id',
    stopsBeforeHttp: true,
    short: 'badid',
    description: 'coder_task.me.id is not a UUID: an Error line, no request (coderd would answer 400).',
    agentapi: { messages: happy },
    coderd: {},
    data: { taskEnabled: true, taskId: 'not-a-uuid' },
    expect: expectNoUpload({ stderr: [ERROR_LINE] }),
  },
  {
    name: 'bogus-task-id-variable',
    stopsBeforeHttp: true,
    short: 'badvar',
    description: "Module with taskIdSource = variable, var.task_id full of shell syntax: an Error line, no request.",
    agentapi: { messages: happy },
    coderd: {},
    taskIdSource: 'variable',
    variables: { task_id: "x'; touch pwned; echo '$(id)" },
    expect: plus(expectNoUpload(), { stderr: [ERROR_LINE], checks: [nothingInjected] }),
  },
  {
    name: 'task-id-variable',
    short: 'var',
    description: 'Module with taskIdSource = variable and a valid var.task_id: the snapshot is posted for it.',
    agentapi: { messages: happy },
    coderd: {},
    taskIdSource: 'variable',
    variables: ({ taskId }) => ({ task_id: taskId }),
    expect: expectPosted(1),
  },
  {
    name: 'empty-conversation',
    short: 'empty',
    description: 'AgentAPI has no messages yet: nothing worth posting.',
    agentapi: { messages: [] },
    coderd: {},
    // Nothing to post is not a failure.
    expect: { present: [...SHUTDOWN_LINES], absent: [LOG.posted, LOG.captureFailed, ERROR_LINE], coderdPosts: 0, checks: [noSnapshotStored, processTerminated] },
  },
  {
    name: 'agentapi-down',
    short: 'down',
    description: 'Nothing listens on the AgentAPI port (connection refused).',
    agentapi: { down: true },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'agentapi-500',
    short: 'a500',
    description: 'GET /messages answers 500 with problem JSON.',
    agentapi: { messages: happy, fault: { kind: 'status', status: 500 } },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'agentapi-malformed-json',
    short: 'badjs',
    description: 'GET /messages answers 200 with truncated JSON.',
    agentapi: { messages: happy, fault: { kind: 'malformed' } },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'agentapi-html',
    short: 'html',
    description: 'GET /messages answers 200 with an HTML page (a proxy in the way).',
    agentapi: { messages: happy, fault: { kind: 'html' } },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'agentapi-messages-null',
    short: 'null',
    description: 'GET /messages answers {"messages": null}: coderd would reject it, so nothing is posted.',
    agentapi: { messages: happy, fault: { kind: 'null-messages' } },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'agentapi-messages-missing',
    short: 'nomsg',
    description: 'GET /messages answers 200 JSON without a "messages" key: coderd would reject it, so nothing is posted.',
    agentapi: { messages: happy, fault: { kind: 'missing-messages' } },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'agentapi-hang',
    short: 'ahang',
    description: 'GET /messages never answers: the fetch timeout bounds it and shutdown goes on.',
    agentapi: { messages: happy, fault: { kind: 'hang' } },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'agentapi-drip',
    short: 'drip',
    description: 'GET /messages answers 200 but sends the body a few bytes every half second: the fetch timeout covers the whole transfer.',
    agentapi: { messages: happy, fault: { kind: 'drip', chunkBytes: 16, intervalMs: 500 } },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'agentapi-reset',
    short: 'reset',
    description: 'AgentAPI resets the connection mid-request.',
    agentapi: { messages: happy, fault: { kind: 'reset' } },
    coderd: {},
    expect: expectCaptureFailed(0),
  },
  {
    name: 'coderd-route-missing',
    short: '404',
    description: 'coderd has no log-snapshot route (404 Route not found: before v2.30, Tasks off in v2.37, removed from v2.38): skipped as unsupported with the likely cause, no retry.',
    agentapi: { messages: happy },
    coderd: { routeMissing: true },
    expect: {
      present: [...SHUTDOWN_LINES, LOG.notSupported, LOG.routeMissing],
      absent: [LOG.posted, LOG.captureFailed, ERROR_LINE],
      coderdPosts: 1,
      checks: [noSnapshotStored, processTerminated],
    },
  },
  {
    name: 'coderd-unknown-task',
    short: '404t',
    description: 'The task ID is a UUID coderd does not know for this workspace (valid token): 404 "Resource not found ...", an Error line naming the task ID (a wrong task_id, or a deleted task), no retry, exit 0.',
    agentapi: { messages: happy },
    coderd: {},
    data: { taskEnabled: true, taskId: UNKNOWN_TASK_ID },
    expect: {
      present: [...SHUTDOWN_LINES, LOG.captureFailed],
      absent: [LOG.posted, LOG.notSupported, LOG.routeMissing],
      stderr: [new RegExp(`^Error: coderd has no task ${UNKNOWN_TASK_ID} for this workspace`, 'm')],
      coderdPosts: 1,
      checks: [noSnapshotStored, processTerminated, lastUploadStatus(404), uploadsFor(UNKNOWN_TASK_ID)],
    },
  },
  {
    name: 'coderd-rate-limited',
    short: '429ra',
    description: "coderd's rate limit is already spent: 429 with Retry-After: 60, far past the deadline, so the upload ends at once with a line saying so.",
    agentapi: { messages: happy },
    coderd: { rateLimit: { limit: 0 } },
    expect: {
      present: [...SHUTDOWN_LINES, LOG.captureFailed],
      absent: [LOG.posted],
      stderr: [LOG.retryAfterPastDeadline],
      coderdPosts: 1,
      checks: [noSnapshotStored, processTerminated, lastUploadStatus(429)],
    },
  },
  {
    name: 'coderd-401',
    short: '401',
    description: 'The task was deleted before the stop: its agent token is void, coderd answers 401; no retry.',
    agentapi: { messages: happy },
    coderd: { taskDeleted: true },
    expect: expectCaptureFailed(1),
  },
  {
    name: 'coderd-400',
    short: '400',
    description: 'coderd answers 400: retrying cannot help.',
    agentapi: { messages: happy },
    coderd: { fault: { status: 400, message: 'Invalid agentapi payload structure.' } },
    expect: expectCaptureFailed(1),
  },
  {
    name: 'coderd-429-then-ok',
    short: '429',
    description: 'coderd rate-limits the first upload: the script retries and succeeds.',
    agentapi: { messages: happy },
    coderd: { fault: { status: 429, message: 'You have been rate limited.', times: 1 } },
    expect: expectPosted(2),
  },
  {
    name: 'coderd-500-twice',
    short: '500x2',
    description: 'coderd answers 500 twice, then accepts: the script retries and succeeds.',
    agentapi: { messages: happy },
    coderd: { fault: { status: 500, message: 'Internal error storing snapshot.', times: 2 } },
    expect: expectPosted(3),
  },
  {
    name: 'coderd-reset-then-ok',
    short: 'creset',
    description: 'coderd resets the connection on the first upload: the script retries and succeeds.',
    agentapi: { messages: happy },
    coderd: { fault: { reset: true, times: 1 } },
    expect: expectPosted(2),
  },
  {
    name: 'coderd-unreachable',
    short: 'refuse',
    description: 'Nothing listens at CODER_AGENT_URL (connection refused): retried within the deadline, then given up; shutdown goes on.',
    agentapi: { messages: happy },
    coderd: { unreachable: true },
    expect: expectCaptureFailed(0, { stderr: [ERROR_LINE] }),
  },
  {
    name: 'coderd-hang',
    short: 'chang',
    description: 'coderd never answers: the post timeout and the snapshot deadline bound it.',
    agentapi: { messages: happy },
    coderd: { fault: { hang: true } },
    expect: expectCaptureFailed({ min: 1, max: 5 }),
  },
  {
    name: 'oversize-conversation',
    short: 'big',
    description: 'The final message is ~120 KB: the payload is cut to snapshot.payloadLimitBytes (64 KiB), the final message keeps its tail.',
    agentapi: { messages: oversize() },
    coderd: {},
    expect: plus(expectPosted(1, [lastMessageTruncated]), { present: [LOG.truncating] }),
  },
  {
    name: 'huge-conversation',
    short: 'huge',
    description: '2000 messages of 1 KB of multibyte terminal text (over 2 MB): the last snapshot.messageCount are stored unchanged.',
    agentapi: { messages: huge() },
    coderd: {},
    expect: expectPosted(1),
  },
  {
    name: 'multibyte',
    short: 'utf8',
    description: 'Box drawing, CJK, emoji, combining marks, quotes and backslashes are stored intact.',
    agentapi: { messages: MULTIBYTE },
    coderd: {},
    expect: expectPosted(1),
  },
  {
    name: 'nul-in-content',
    short: 'nul',
    description: 'A message contains NUL (\\u0000), which coderd cannot store: it is removed and the upload succeeds.',
    agentapi: { messages: conversation(['before\u0000after', 'clean message', 'two\u0000\u0000NULs \u0000 here']) },
    coderd: {},
    expect: expectPosted(1, [storedWithoutNul]),
  },
  {
    name: 'agentapi-ignores-sigterm',
    short: 'kill',
    description: 'AgentAPI ignores SIGTERM: after the terminate wait it is killed, with a warning.',
    agentapi: { messages: happy },
    coderd: {},
    agentapiProcess: 'ignores-term',
    expect: {
      present: [...SHUTDOWN_LINES, LOG.posted, KILL_WARNING],
      coderdPosts: 1,
      checks: [storedLastMessages, processKilled],
    },
  },
  {
    name: 'no-agentapi-process',
    short: 'nopid',
    description: 'No PID file (AgentAPI never started): the snapshot is still attempted, no signal, shutdown completes.',
    agentapi: { messages: happy },
    coderd: {},
    agentapiProcess: 'none',
    expect: { present: [LOG.shuttingDown, LOG.posted, LOG.complete], absent: [LOG.sigterm, LOG.sigusr1], coderdPosts: 1, checks: [storedLastMessages] },
  },
  {
    name: 'pid-file-variable',
    short: 'pidvar',
    description: "var.pid_file_path points somewhere with a space and a quote in its path: that PID is stopped.",
    agentapi: { messages: happy },
    coderd: {},
    pidFile: 'variable',
    expect: expectPosted(1),
  },
  {
    name: 'state-persistence',
    short: 'usr1',
    description: 'enable_state_persistence with AgentAPI v0.12.0: SIGUSR1 first, then the snapshot, then SIGTERM.',
    agentapi: { messages: happy },
    coderd: {},
    variables: { enable_state_persistence: true, agentapi_version: 'v0.12.0' },
    expect: plus(expectPosted(1, [storedLastMessages, sigusr1BeforeSnapshot]), { present: [LOG.sigusr1] }),
  },
  {
    name: 'state-persistence-old-agentapi',
    short: 'old',
    description: 'enable_state_persistence with AgentAPI v0.11.0 (no state support): no SIGUSR1.',
    agentapi: { messages: happy },
    coderd: {},
    variables: { enable_state_persistence: true, agentapi_version: 'v0.11.0' },
    expect: plus(expectPosted(1, [storedLastMessages, noSigusr1]), { absent: [LOG.sigusr1] }),
  },
  {
    name: 'state-persistence-off',
    short: 'nousr1',
    description: 'enable_state_persistence = false with AgentAPI v0.12.0 (which could save state): no SIGUSR1.',
    agentapi: { messages: happy },
    coderd: {},
    variables: { enable_state_persistence: false, agentapi_version: 'v0.12.0' },
    expect: plus(expectPosted(1, [storedLastMessages, noSigusr1]), { absent: [LOG.sigusr1] }),
  },
  {
    name: 'no-http-client',
    stopsBeforeHttp: true,
    short: 'nohttp',
    description: 'Neither curl nor wget is on PATH (in any toolbox): an Error line, no request at all, AgentAPI still stopped.',
    agentapi: { messages: happy },
    coderd: {},
    withoutTools: ['curl', 'wget'],
    expect: {
      present: [...SHUTDOWN_LINES, LOG.captureFailed],
      absent: [LOG.posted, LOG.retrieved],
      stderr: [ERROR_LINE],
      coderdPosts: 0,
      checks: [noSnapshotStored, processTerminated, agentapiNotAsked],
    },
  },
  {
    name: 'missing-agent-url',
    stopsBeforeHttp: true,
    short: 'nourl',
    description: 'CODER_AGENT_URL is not set: nothing can be posted, shutdown goes on.',
    agentapi: { messages: happy },
    coderd: {},
    agentEnv: { url: false },
    expect: expectNoUpload(),
  },
  {
    name: 'missing-agent-token',
    stopsBeforeHttp: true,
    short: 'notok',
    description: 'CODER_AGENT_TOKEN is not set: no unauthenticated upload, shutdown goes on.',
    agentapi: { messages: happy },
    coderd: {},
    agentEnv: { token: false },
    expect: expectNoUpload(),
  },
];

// --- other HTTP clients: BusyBox wget when allowed to take the token in argv, GNU wget

/**
 * ARG_ALLOW_TOKEN_IN_ARGV=true (environment only) lets the script post with BusyBox wget, which
 * takes the token on its command line. In the full and no-jq toolboxes curl is used anyway.
 */
const ALLOW_ARGV = { ARG_ALLOW_TOKEN_IN_ARGV: 'true' };
/** The script's test hook forcing wget: GNU wget in the full and no-jq toolboxes, BusyBox wget in busybox. */
const FORCE_WGET = { AGENTAPI_KIT_HTTP_CLIENT: 'wget' };

function variant(base: string, name: string, short: string, env: Record<string, string>, description: string): ScenarioSpec {
  const original = LIST.find((scenario) => scenario.name === base);
  if (original === undefined) throw new Error(`no scenario ${base}`);
  return { ...original, name, short, env: { ...original.env, ...env }, description: `${description} ${original.description}` };
}

LIST.push(
  variant('happy-path', 'argv-opt-in', 'argv', ALLOW_ARGV, 'ARG_ALLOW_TOKEN_IN_ARGV=true (BusyBox wget may post):'),
  variant('coderd-500-twice', 'argv-opt-in-retry', 'argv5', ALLOW_ARGV, 'ARG_ALLOW_TOKEN_IN_ARGV=true:'),
  variant('coderd-hang', 'argv-opt-in-coderd-hang', 'argvch', ALLOW_ARGV, 'ARG_ALLOW_TOKEN_IN_ARGV=true:'),
  variant('agentapi-drip', 'argv-opt-in-agentapi-drip', 'argvad', ALLOW_ARGV, 'ARG_ALLOW_TOKEN_IN_ARGV=true:'),
  variant('oversize-conversation', 'argv-opt-in-oversize', 'argvbg', ALLOW_ARGV, 'ARG_ALLOW_TOKEN_IN_ARGV=true:'),
  variant('happy-path', 'wget', 'wget', FORCE_WGET, 'wget instead of curl:'),
  variant('coderd-500-twice', 'wget-retry', 'wget5', FORCE_WGET, 'wget instead of curl:'),
  variant('coderd-hang', 'wget-coderd-hang', 'wgetch', FORCE_WGET, 'wget instead of curl:'),
  variant('agentapi-drip', 'wget-agentapi-drip', 'wgetad', FORCE_WGET, 'wget instead of curl:'),
  variant('coderd-route-missing', 'wget-route-missing', 'wget404', FORCE_WGET, 'wget instead of curl:'),
  variant('coderd-unknown-task', 'wget-unknown-task', 'wget404t', FORCE_WGET, 'wget instead of curl:'),
  variant('coderd-rate-limited', 'wget-rate-limited', 'wget429', FORCE_WGET, 'wget instead of curl:'),
);

/** A scenario plus whether the script stops before any HTTP (then no toolbox changes anything). */
interface ScenarioSpec extends Scenario {
  stopsBeforeHttp?: boolean;
}

function withToolboxAdaptation({ stopsBeforeHttp, ...scenario }: ScenarioSpec): Scenario {
  if (stopsBeforeHttp || scenario.env?.ARG_ALLOW_TOKEN_IN_ARGV === 'true') return scenario;
  return { ...scenario, adapt: (toolbox, expect) => (toolbox === 'busybox' ? busyboxRefusesToken(expect) : expect) };
}

export const SCENARIOS: readonly Scenario[] = Object.freeze(LIST.map(withToolboxAdaptation));

export function scenarioByName(name: string): Scenario {
  const found = SCENARIOS.find((scenario) => scenario.name === name || scenario.short === name);
  if (found === undefined) throw new Error(`unknown scenario "${name}"; valid scenarios: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
  return found;
}
