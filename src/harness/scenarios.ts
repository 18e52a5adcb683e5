/**
 * Every behaviour the shutdown script promises (CONTRACTS §1, §3, §4, §5 and docs/architecture.md),
 * as scenarios. Log lines are the verbatim ones from CONTRACTS §5.
 */
import { readdir } from 'node:fs/promises';
import { configSchema, defaultConfig } from '../config/schema.ts';
import { generateConversation } from '../mocks/agentapi/index.ts';
import { buildSnapshotPayload } from '../snapshot/policy.ts';
import { sharedRenderedModuleDir } from '../generate/render-to-dir.ts';
import type { Check, ConversationMessage, Scenario, ScenarioExpectations, ScenarioObservation } from './scenario.ts';

// --- the verbatim log lines (CONTRACTS §5)
export const LOG = {
  shuttingDown: 'Shutting down AgentAPI',
  disabled: 'Log snapshot disabled, skipping',
  noTaskId: 'No task ID, skipping log snapshot',
  retrieved: /Retrieved \d+ messages for log snapshot/,
  truncating: /truncating final message content/,
  posted: 'Log snapshot posted successfully',
  notSupported: 'Log snapshot endpoint not supported by this Coder version, skipping',
  captureFailed: 'Log snapshot capture failed, continuing shutdown',
  sigusr1: /Sending SIGUSR1 to AgentAPI \(pid \d+\)/,
  sigterm: /Sending SIGTERM to AgentAPI \(pid \d+\)/,
  complete: 'Shutdown complete',
  error: /^Error: /m,
} as const;

/** What the generated script is configured with (the default generator config); coderd accepts 65536 at most. */
export const PAYLOAD_LIMIT_BYTES = defaultConfig.snapshot.payloadLimitBytes;
export const SNAPSHOT_MESSAGE_COUNT = defaultConfig.snapshot.messageCount;
export const TRUNCATION_MARKER = '[...content truncated';

/** The warning when AgentAPI outlives SIGTERM (wording is the script's own; CONTRACTS fixes none). */
const KILL_WARNING = /^Warning: .*(SIGKILL|still running)/m;

// --- conversations

const BASE_TIME = Date.parse('2025-06-01T10:00:00Z');

/** A conversation as AgentAPI serves it: ids are positions, roles alternate user/agent. */
export function conversation(contents: string[]): ConversationMessage[] {
  return contents.map((content, id) => ({
    id,
    content,
    role: id % 2 === 0 ? 'user' : 'agent',
    // AgentAPI (Go, RFC 3339) writes no fraction for whole seconds.
    time: new Date(BASE_TIME + id * 1000).toISOString().replace('.000Z', 'Z'),
  }));
}

function numbered(count: number): ConversationMessage[] {
  return conversation(Array.from({ length: count }, (_, index) => (index % 2 === 0 ? `Question ${index}: what next?` : `Answer ${index}: done <b>&amp;</b> "quoted" \\ back`)));
}

const MULTIBYTE = [
  'Box: ┌──┐ │ok│ └──┘ and CJK: 你好，世界 and emoji: 🚀🔥👩‍💻',
  'Combining: é (e + U+0301) and RTL: שלום and math: ∑∫√',
  'Tab\tnewline\nquote " backslash \\ dollar $HOME backtick ` single \'',
  '日本語のテキスト — with em dash and ellipsis…',
  '🎉'.repeat(50),
];

/**
 * One big final message (~120 KB, twice the coderd limit): the payload must be cut to the limit,
 * keeping its tail. Not bigger: BusyBox awk's time grows with the square of this size, and the
 * matrix runs several scripts per core, so a bigger one would measure CPU contention, not
 * correctness (the report on issue 4 has the numbers).
 */
function oversize(): ConversationMessage[] {
  const head = 'HEAD-of-the-huge-message ';
  const tail = ' TAIL-of-the-huge-message-✓';
  const huge = `${head}${'log line with some text ░▒▓ 12345\n'.repeat(3000)}${tail}`;
  return conversation([...Array.from({ length: 9 }, (_, index) => `message ${index}`), huge]);
}

// --- checks

const lastMessages = (observed: ScenarioObservation, count = SNAPSHOT_MESSAGE_COUNT) => observed.conversation.slice(-count);

/** The stored snapshot is `{format: "agentapi", data: {messages: <last N>}}` with the messages unchanged. */
const storedLastMessages: Check = ({ snapshot, conversation: served }) => {
  if (snapshot === undefined) return ['coderd stored no snapshot'];
  const failures: string[] = [];
  if (snapshot.format !== 'agentapi') failures.push(`stored format ${JSON.stringify(snapshot.format)}, expected "agentapi"`);
  const messages = messagesOf(snapshot.data);
  if (messages === undefined) return [...failures, 'stored snapshot has no messages array'];
  const expected = served.slice(-SNAPSHOT_MESSAGE_COUNT);
  if (messages.length !== expected.length) failures.push(`stored ${messages.length} messages, expected the last ${expected.length}`);
  expected.forEach((message, index) => {
    const got = messages[index] as Partial<ConversationMessage> | undefined;
    if (got === undefined) return;
    for (const field of ['id', 'content', 'role', 'time'] as const) {
      // coderd re-marshals times (RFC 3339), so they compare as instants.
      const same = field === 'time' ? Date.parse(String(got.time)) === Date.parse(message.time) : got[field] === message[field];
      if (!same) {
        failures.push(`stored message ${index} ${field} is ${JSON.stringify(got[field])?.slice(0, 80)}, expected ${JSON.stringify(message[field]).slice(0, 80)}`);
      }
    }
  });
  return failures;
};

const noSnapshotStored: Check = ({ snapshot }) => (snapshot === undefined ? [] : ['coderd stored a snapshot, expected none']);

/** Every upload the script made fits coderd's body limit. */
const payloadsWithinLimit: Check = ({ coderdPosts, snapshot }) => {
  const failures = coderdPosts
    .filter((post) => post.bodyBytes !== null && post.bodyBytes > PAYLOAD_LIMIT_BYTES)
    .map((post) => `an upload was ${post.bodyBytes} bytes, over the ${PAYLOAD_LIMIT_BYTES}-byte limit`);
  const stored = snapshot === undefined ? 0 : Buffer.byteLength(snapshot.rawBody);
  if (stored > PAYLOAD_LIMIT_BYTES) failures.push(`the stored upload is ${stored} bytes, over the ${PAYLOAD_LIMIT_BYTES}-byte limit`);
  return failures;
};

/**
 * The final message was cut: it is the same message, its content starts with the marker and keeps
 * the tail of the original. (Older messages may be dropped to make room: src/snapshot/policy.ts.)
 */
const lastMessageTruncated: Check = ({ snapshot, conversation: served }) => {
  const messages = snapshot === undefined ? undefined : messagesOf(snapshot.data);
  if (messages === undefined) return ['coderd stored no snapshot'];
  const failures: string[] = [];
  const last = messages.at(-1) as Partial<ConversationMessage> | undefined;
  const original = served.at(-1);
  if (typeof last?.content !== 'string' || original === undefined) return ['stored last message has no content'];
  if (last.id !== original.id) failures.push(`the stored final message has id ${last.id}, expected ${original.id} (the newest)`);
  if (!last.content.startsWith(TRUNCATION_MARKER)) failures.push(`stored final message does not start with ${JSON.stringify(TRUNCATION_MARKER)}: ${JSON.stringify(last.content.slice(0, 60))}`);
  if (!last.content.endsWith(original.content.slice(-200))) failures.push('stored final message does not keep the tail of the original content');
  if (last.content.length >= original.content.length) failures.push('stored final message is not shorter than the original');
  return failures;
};

/**
 * The upload is byte for byte what src/snapshot/policy.ts (the team's reference) makes of the
 * body AgentAPI served: last N messages, size limit, truncation, NUL replacement.
 */
const uploadMatchesPolicy: Check = ({ snapshot, servedBody }) => {
  if (snapshot === undefined) return ['coderd stored no snapshot'];
  if (servedBody === undefined) return ['no AgentAPI body to compare the upload with'];
  const expected = buildSnapshotPayload(servedBody, { messageCount: SNAPSHOT_MESSAGE_COUNT, limitBytes: PAYLOAD_LIMIT_BYTES });
  if (expected.status !== 'ok') return [`the policy posts nothing for this conversation (status ${expected.status}), but an upload was stored`];
  if (snapshot.rawBody === expected.payload) return [];
  const at = firstDifference(snapshot.rawBody, expected.payload);
  const excerpt = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 30), at + 30));
  return [
    `the upload (${Buffer.byteLength(snapshot.rawBody)} bytes) differs from the policy payload (${Buffer.byteLength(expected.payload)} bytes) at character ${at}: got ${excerpt(snapshot.rawBody)}, policy ${excerpt(expected.payload)}`,
  ];
};

function firstDifference(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index += 1;
  return index;
}

/** NUL bytes are gone (PostgreSQL jsonb rejects them) and the rest of the text survived. */
const storedWithoutNul: Check = ({ snapshot, conversation: served }) => {
  const messages = snapshot === undefined ? undefined : messagesOf(snapshot.data);
  if (messages === undefined) return ['coderd stored no snapshot'];
  const failures: string[] = [];
  served.slice(-SNAPSHOT_MESSAGE_COUNT).forEach((message, index) => {
    const got = (messages[index] as Partial<ConversationMessage> | undefined)?.content;
    if (typeof got !== 'string') {
      failures.push(`stored message ${index} has no content`);
      return;
    }
    if (got.includes('\u0000')) failures.push(`stored message ${index} still contains a NUL`);
    let from = 0;
    for (const piece of message.content.split('\u0000').filter((part) => part !== '')) {
      const at = got.indexOf(piece, from);
      if (at < 0) {
        failures.push(`stored message ${index} lost the text ${JSON.stringify(piece.slice(0, 40))}`);
        break;
      }
      from = at + piece.length;
    }
  });
  return failures;
};

const lastUploadStatus =
  (status: number): Check =>
  ({ coderdPosts }) => {
    const last = coderdPosts.at(-1);
    return last?.status === status ? [] : [`the last upload got ${last?.status ?? 'no response'}, expected ${status}`];
  };

/** The mock checks the token's value itself (a wrong one is a 401); this checks the header was used. */
const uploadsCarryToken: Check = ({ coderdPosts }) =>
  coderdPosts.filter((post) => !post.hasSessionToken).map(() => 'an upload did not carry the agent token in a Coder-Session-Token header');

const uploadsUseRoute: Check = ({ coderdPosts, taskId }) =>
  coderdPosts
    .filter((post) => {
      const route = post.path.replace(/\/+/g, '/') === `/api/v2/workspaceagents/me/tasks/${taskId}/log-snapshot`;
      const query = Object.keys(post.query).length === 1 && post.query.format?.length === 1 && post.query.format[0] === 'agentapi';
      return post.method !== 'POST' || !route || !query;
    })
    .map((post) => `an upload went to ${post.method} ${post.path}?${new URLSearchParams(Object.entries(post.query).flatMap(([k, vs]) => vs.map((v) => [k, v])))}, not POST to the log-snapshot route with ?format=agentapi`);

/** Every upload named this task in its path (e.g. a task coderd does not know). */
const uploadsFor =
  (taskId: string): Check =>
  ({ coderdPosts }) =>
    coderdPosts
      .filter((post) => post.path.replace(/\/+/g, '/') !== `/api/v2/workspaceagents/me/tasks/${taskId}/log-snapshot`)
      .map((post) => `an upload went to ${post.path}, not to the route of task ${taskId}`);

/** Nothing was fetched from AgentAPI (there was no way to post it). */
const agentapiNotAsked: Check = ({ agentapiRequests }) =>
  agentapiRequests.length === 0 ? [] : [`AgentAPI was asked ${agentapiRequests.map((request) => `${request.method} ${request.path}`).join(', ')}, which nothing could post`];

/** The AgentAPI process was asked to stop with SIGTERM and is gone. */
const processTerminated: Check = async ({ process }) => {
  if (process === undefined) return ['no AgentAPI process was started'];
  const failures: string[] = [];
  // Exit first, then read: the process records a signal just before it exits.
  const exited = await process.waitForExit(2000);
  if (!(await process.signals()).some((entry) => entry.signal === 'SIGTERM')) failures.push('AgentAPI never got SIGTERM');
  if (!exited) failures.push('AgentAPI is still running after the script finished');
  return failures;
};

/** The process ignored SIGTERM and the script killed it after its wait. */
const processKilled: Check = async ({ process }) => {
  if (process === undefined) return ['no AgentAPI process was started'];
  const failures: string[] = [];
  const exited = await process.waitForExit(2000);
  if (!(await process.signals()).some((entry) => entry.signal === 'SIGTERM')) failures.push('AgentAPI never got SIGTERM');
  if (!exited) failures.push('AgentAPI (ignoring SIGTERM) was still running after the script finished: it was never killed');
  else if (process.ended()?.signal !== 'SIGKILL') failures.push(`AgentAPI ended by ${JSON.stringify(process.ended())}, expected SIGKILL`);
  return failures;
};

/** State persistence: SIGUSR1 arrives before the snapshot is fetched, SIGTERM after the upload. */
const sigusr1BeforeSnapshot: Check = ({ signals, agentapiRequests, coderdPosts }) => {
  const usr1 = signals.find((entry) => entry.signal === 'SIGUSR1');
  if (usr1 === undefined) return ['AgentAPI never got SIGUSR1'];
  const failures: string[] = [];
  const fetch = agentapiRequests.find((request) => request.path.startsWith('/messages'));
  if (fetch !== undefined && fetch.at < usr1.at) failures.push('the snapshot was fetched before SIGUSR1 was sent');
  const term = signals.find((entry) => entry.signal === 'SIGTERM');
  if (term !== undefined && term.at < usr1.at) failures.push('SIGTERM came before SIGUSR1');
  const lastPost = coderdPosts.at(-1);
  if (term !== undefined && lastPost !== undefined && term.at < lastPost.at) failures.push('SIGTERM came before the snapshot upload');
  return failures;
};

const noSigusr1: Check = ({ signals }) => (signals.some((entry) => entry.signal === 'SIGUSR1') ? ['AgentAPI got SIGUSR1, expected none'] : []);

/** SIGTERM only after the snapshot: the conversation must be read while AgentAPI still runs. */
const sigtermAfterSnapshot: Check = ({ signals, agentapiRequests, coderdPosts }) => {
  const term = signals.find((entry) => entry.signal === 'SIGTERM');
  if (term === undefined) return [];
  const failures: string[] = [];
  if (agentapiRequests.some((request) => request.at > term.at)) failures.push('AgentAPI was asked for messages after SIGTERM');
  if (coderdPosts.some((post) => post.at > term.at)) failures.push('the snapshot was uploaded after SIGTERM');
  return failures;
};

/** The shell syntax in var.task_id stayed data: nothing it spells out was run. */
const nothingInjected: Check = async ({ home }) => {
  const created = await readdir(home).catch(() => [] as string[]);
  return created.includes('pwned') ? ['var.task_id was executed as shell code (a file "pwned" appeared)'] : [];
};

function messagesOf(data: unknown): unknown[] | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const messages = (data as { messages?: unknown }).messages;
  return Array.isArray(messages) ? messages : undefined;
}

// --- expectation builders

/** Lines every run ends with when AgentAPI is running: the snapshot step never stops the shutdown. */
const SHUTDOWN_LINES = [LOG.shuttingDown, LOG.sigterm, LOG.complete];

function expectSkipped(line: string | RegExp, extra: Partial<ScenarioExpectations> = {}): ScenarioExpectations {
  return {
    exitCode: 0,
    present: [...SHUTDOWN_LINES, line],
    absent: [LOG.posted, LOG.captureFailed],
    coderdPosts: 0,
    checks: [noSnapshotStored, processTerminated],
    ...extra,
  };
}

function expectCaptureFailed(posts: ScenarioExpectations['coderdPosts'], extra: Partial<ScenarioExpectations> = {}): ScenarioExpectations {
  return {
    exitCode: 0,
    present: [...SHUTDOWN_LINES, LOG.captureFailed],
    absent: [LOG.posted],
    coderdPosts: posts,
    checks: [noSnapshotStored, processTerminated, sigtermAfterSnapshot],
    ...extra,
  };
}

function expectPosted(posts: number, extra: Check[] = [storedLastMessages]): ScenarioExpectations {
  return {
    exitCode: 0,
    present: [...SHUTDOWN_LINES, LOG.retrieved, LOG.posted],
    absent: [LOG.captureFailed, LOG.error],
    coderdPosts: posts,
    checks: [...extra, uploadMatchesPolicy, payloadsWithinLimit, uploadsCarryToken, uploadsUseRoute, lastUploadStatus(204), processTerminated, sigtermAfterSnapshot],
  };
}

// --- a module generated with taskIdSource = variable, for the variable task-ID mode

let variableModule: Promise<string> | undefined;

/** Generated once into a temp dir named after a hash of its files, shared by processes (see sharedRenderedModuleDir). */
export function variableModeModuleDir(): Promise<string> {
  variableModule ??= sharedRenderedModuleDir(configSchema.parse({ taskIdSource: 'variable' }), 'variable-module');
  return variableModule;
}

// --- the list

const happy = numbered(25);
/** A well-formed task ID no coderd has (fixed, so runs are reproducible). */
const UNKNOWN_TASK_ID = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

const LIST: ScenarioSpec[] = [
  {
    name: 'happy-path',
    short: 'ok',
    description: 'AgentAPI has 25 messages, coderd accepts: the last 10 are stored unchanged, AgentAPI is stopped.',
    agentapi: { messages: happy },
    coderd: {},
    expect: (() => {
      const base = expectPosted(1);
      return { ...base, present: [...(base.present ?? []), `Retrieved ${happy.length} messages for log snapshot`] };
    })(),
  },
  {
    name: 'snapshot-disabled',
    stopsBeforeHttp: true,
    short: 'off',
    description: 'task_log_snapshot = false: no request to coderd, AgentAPI still stopped.',
    agentapi: { messages: happy },
    coderd: {},
    variables: { task_log_snapshot: false },
    expect: expectSkipped(LOG.disabled),
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
    expect: { ...expectNoUpload(), stderr: [LOG.error] },
  },
  {
    name: 'bogus-task-id-variable',
    stopsBeforeHttp: true,
    short: 'badvar',
    description: "Module with taskIdSource = variable, var.task_id full of shell syntax: an Error line, no request.",
    agentapi: { messages: happy },
    coderd: {},
    moduleDir: variableModeModuleDir,
    variables: { task_id: "x'; touch pwned; echo '$(id)" },
    expect: (() => {
      const base = expectNoUpload();
      return { ...base, stderr: [LOG.error], checks: [...(base.checks ?? []), nothingInjected] };
    })(),
  },
  {
    name: 'task-id-variable',
    short: 'var',
    description: 'Module with taskIdSource = variable and a valid var.task_id: the snapshot is posted for it.',
    agentapi: { messages: happy },
    coderd: {},
    moduleDir: variableModeModuleDir,
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
    expect: { exitCode: 0, present: SHUTDOWN_LINES, absent: [LOG.posted, LOG.captureFailed, LOG.error], coderdPosts: 0, checks: [noSnapshotStored, processTerminated] },
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
    description: 'coderd predates the route (404 Route not found): skipped as unsupported, no retry.',
    agentapi: { messages: happy },
    coderd: { routeMissing: true },
    expect: {
      exitCode: 0,
      present: [...SHUTDOWN_LINES, LOG.notSupported],
      absent: [LOG.posted],
      coderdPosts: 1,
      checks: [noSnapshotStored, processTerminated],
    },
  },
  {
    name: 'coderd-unknown-task',
    short: '404t',
    description: 'The task ID is a UUID coderd does not know (valid token): 404 "Resource not found", which the script treats like a missing route: skipped, no retry.',
    agentapi: { messages: happy },
    coderd: {},
    data: { taskEnabled: true, taskId: UNKNOWN_TASK_ID },
    expect: {
      exitCode: 0,
      present: [...SHUTDOWN_LINES, LOG.notSupported],
      absent: [LOG.posted],
      coderdPosts: 1,
      checks: [noSnapshotStored, processTerminated, lastUploadStatus(404), uploadsFor(UNKNOWN_TASK_ID)],
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
    expect: expectCaptureFailed(0, { stderr: [LOG.error] }),
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
    description: 'The final message is ~120 KB: the payload is cut to 64 KiB, the final message keeps its tail.',
    agentapi: { messages: oversize() },
    coderd: {},
    expect: { ...expectPosted(1, [lastMessageTruncated]), present: [...SHUTDOWN_LINES, LOG.retrieved, LOG.truncating, LOG.posted] },
  },
  {
    name: 'huge-conversation',
    short: 'huge',
    description: '2000 messages of 1 KB of multibyte terminal text (over 2 MB): the last 10 are stored unchanged.',
    agentapi: { messages: generateConversation({ count: 2000, size: 1024, start: '2025-06-01T10:00:00Z' }) },
    coderd: {},
    expect: expectPosted(1),
  },
  {
    name: 'multibyte',
    short: 'utf8',
    description: 'Box drawing, CJK, emoji, combining marks, quotes and backslashes are stored intact.',
    agentapi: { messages: conversation(MULTIBYTE) },
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
      exitCode: 0,
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
    expect: { exitCode: 0, present: [LOG.shuttingDown, LOG.posted, LOG.complete], absent: [LOG.sigterm, LOG.sigusr1], coderdPosts: 1, checks: [storedLastMessages] },
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
    expect: (() => {
      const base = expectPosted(1, [storedLastMessages, sigusr1BeforeSnapshot]);
      return { ...base, present: [...(base.present ?? []), LOG.sigusr1] };
    })(),
  },
  {
    name: 'state-persistence-old-agentapi',
    short: 'old',
    description: 'enable_state_persistence with AgentAPI v0.11.0 (no state support): no SIGUSR1.',
    agentapi: { messages: happy },
    coderd: {},
    variables: { enable_state_persistence: true, agentapi_version: 'v0.11.0' },
    expect: (() => {
      const base = expectPosted(1, [storedLastMessages, noSigusr1]);
      return { ...base, absent: [...(base.absent ?? []), LOG.sigusr1] };
    })(),
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
      exitCode: 0,
      present: [...SHUTDOWN_LINES, LOG.captureFailed],
      absent: [LOG.posted, LOG.retrieved],
      stderr: [LOG.error],
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
);

/** A scenario plus whether the script stops before any HTTP (then no toolbox changes anything). */
interface ScenarioSpec extends Scenario {
  stopsBeforeHttp?: boolean;
}

/** Lines and checks about AgentAPI's process, which hold whatever happens to the snapshot. */
const PROCESS_LINES: ReadonlyArray<string | RegExp> = [LOG.shuttingDown, LOG.sigterm, LOG.sigusr1, LOG.complete, KILL_WARNING];
const PROCESS_CHECKS: ReadonlySet<Check> = new Set([processTerminated, processKilled, sigusr1BeforeSnapshot, noSigusr1]);

/**
 * The busybox toolbox has no curl, only BusyBox wget, which can pass the agent token only in its
 * argv (visible to every process). The script refuses that unless ARG_ALLOW_TOKEN_IN_ARGV=true
 * (docs: the can_post_token comment in the script): an Error line, the capture fails, nothing
 * is fetched or posted, and the shutdown itself goes on unchanged.
 */
function busyboxRefusesToken(expect: ScenarioExpectations): ScenarioExpectations {
  return {
    exitCode: expect.exitCode,
    present: [...(expect.present ?? []).filter((line) => PROCESS_LINES.includes(line)), LOG.captureFailed],
    absent: [LOG.posted, LOG.retrieved],
    stderr: [/^Error: Only BusyBox wget is available/m],
    coderdPosts: 0,
    checks: [noSnapshotStored, agentapiNotAsked, ...(expect.checks ?? []).filter((check) => PROCESS_CHECKS.has(check))],
  };
}

function withToolboxAdaptation({ stopsBeforeHttp, ...scenario }: ScenarioSpec): Scenario {
  if (stopsBeforeHttp || scenario.env?.ARG_ALLOW_TOKEN_IN_ARGV === 'true') return scenario;
  return { ...scenario, adapt: (toolbox, expect) => (toolbox === 'busybox' ? busyboxRefusesToken(expect) : expect) };
}

export const SCENARIOS: readonly Scenario[] = Object.freeze(LIST.map(withToolboxAdaptation));

/** No upload happened, the snapshot step said why, and shutdown still completed. */
function expectNoUpload(): ScenarioExpectations {
  return {
    exitCode: 0,
    present: [...SHUTDOWN_LINES],
    absent: [LOG.posted],
    coderdPosts: 0,
    checks: [
      noSnapshotStored,
      processTerminated,
      ({ run }) => (/Error: |capture failed|skipping/.test(run.output) ? [] : ['the output does not say why no snapshot was posted']),
    ],
  };
}

export function scenarioByName(name: string): Scenario {
  const found = SCENARIOS.find((scenario) => scenario.name === name || scenario.short === name);
  if (found === undefined) throw new Error(`unknown scenario "${name}"; valid scenarios: ${SCENARIOS.map((scenario) => scenario.name).join(', ')}`);
  return found;
}
