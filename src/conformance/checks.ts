/**
 * The checks scenarios pick from: what must be true of the upload, the stored snapshot, the
 * signals and the requests. Each failure names the promise it breaks (promises.ts); sizes and
 * counts come from the module under test (observed.facts), never from the default config.
 */
import { readdir } from 'node:fs/promises';
import { SNAPSHOT_FORMAT, SNAPSHOT_ROUTE, TRUNCATION_MARKER_START } from '../contract/snapshot-api.ts';
import { buildSnapshotPayload } from '../snapshot/policy.ts';
import { broke } from './promises.ts';
import type { Check, ConversationMessage, ScenarioObservation } from './scenario-types.ts';

/** The messages the policy keeps for this conversation: the last messageCount, fewer when the payload limit drops some. */
function keptMessages({ conversation: served, servedBody, facts }: ScenarioObservation): ConversationMessage[] {
  const last = served.slice(-facts.messageCount);
  if (servedBody === undefined) return last;
  const result = buildSnapshotPayload(servedBody, { messageCount: facts.messageCount, limitBytes: facts.payloadLimitBytes });
  return result.status === 'ok' ? served.slice(-result.kept) : last;
}

/** The stored snapshot is `{format: "agentapi", data: {messages: <last N>}}` with the messages unchanged. */
export const storedLastMessages: Check = (observed) => {
  const { snapshot } = observed;
  if (snapshot === undefined) return [broke('snapshot-stored', 'coderd stored no snapshot')];
  const failures: string[] = [];
  if (snapshot.format !== SNAPSHOT_FORMAT) failures.push(broke('snapshot-route', `stored format ${JSON.stringify(snapshot.format)}, expected "${SNAPSHOT_FORMAT}"`));
  const messages = messagesOf(snapshot.data);
  if (messages === undefined) return [...failures, broke('last-n-messages', 'stored snapshot has no messages array')];
  const expected = keptMessages(observed);
  if (messages.length !== expected.length) failures.push(broke('last-n-messages', `stored ${messages.length} messages, expected the last ${expected.length}`));
  expected.forEach((message, index) => {
    const got = messages[index] as Partial<ConversationMessage> | undefined;
    if (got === undefined) return;
    for (const field of ['id', 'content', 'role', 'time'] as const) {
      // coderd re-marshals times (RFC 3339), so they compare as instants.
      const same = field === 'time' ? Date.parse(String(got.time)) === Date.parse(message.time) : got[field] === message[field];
      if (!same) {
        failures.push(
          broke('last-n-messages', `stored message ${index} ${field} is ${JSON.stringify(got[field])?.slice(0, 80)}, expected ${JSON.stringify(message[field]).slice(0, 80)}`),
        );
      }
    }
  });
  return failures;
};

export const noSnapshotStored: Check = ({ snapshot }) => (snapshot === undefined ? [] : [broke('snapshot-stored', 'coderd stored a snapshot, expected none')]);

/** A snapshot was stored (for checks that look at nothing else of it). */
export const snapshotStored: Check = ({ snapshot }) => (snapshot === undefined ? [broke('snapshot-stored', 'coderd stored no snapshot')] : []);

/** Every upload the script made fits the module's payload limit. */
export const payloadsWithinLimit: Check = ({ coderdPosts, snapshot, facts }) => {
  const limit = facts.payloadLimitBytes;
  const failures = coderdPosts
    .filter((post) => post.bodyBytes !== null && post.bodyBytes > limit)
    .map((post) => broke('payload-limit', `an upload was ${post.bodyBytes} bytes, over the ${limit}-byte limit`));
  const stored = snapshot === undefined ? 0 : Buffer.byteLength(snapshot.rawBody);
  if (stored > limit) failures.push(broke('payload-limit', `the stored upload is ${stored} bytes, over the ${limit}-byte limit`));
  return failures;
};

/**
 * The final message was cut: it is the same message, its content starts with the marker and keeps
 * the tail of the original. (Older messages may be dropped to make room: src/snapshot/policy.ts.)
 */
export const lastMessageTruncated: Check = ({ snapshot, conversation: served }) => {
  const messages = snapshot === undefined ? undefined : messagesOf(snapshot.data);
  if (messages === undefined) return [broke('snapshot-stored', 'coderd stored no snapshot')];
  const failures: string[] = [];
  const last = messages.at(-1) as Partial<ConversationMessage> | undefined;
  const original = served.at(-1);
  if (typeof last?.content !== 'string' || original === undefined) return [broke('truncation', 'stored last message has no content')];
  if (last.id !== original.id) failures.push(broke('truncation', `the stored final message has id ${last.id}, expected ${original.id} (the newest)`));
  if (!last.content.startsWith(TRUNCATION_MARKER_START)) {
    failures.push(broke('truncation', `stored final message does not start with ${JSON.stringify(TRUNCATION_MARKER_START)}: ${JSON.stringify(last.content.slice(0, 60))}`));
  }
  if (!last.content.endsWith(original.content.slice(-200))) failures.push(broke('truncation', 'stored final message does not keep the tail of the original content'));
  if (last.content.length >= original.content.length) failures.push(broke('truncation', 'stored final message is not shorter than the original'));
  return failures;
};

/**
 * The upload is byte for byte what src/snapshot/policy.ts (the team's reference) makes of the
 * body AgentAPI served, with the module's message count and limit.
 */
export const uploadMatchesPolicy: Check = ({ snapshot, servedBody, facts }) => {
  if (snapshot === undefined) return [broke('snapshot-stored', 'coderd stored no snapshot')];
  if (servedBody === undefined) return [broke('payload-policy', 'no AgentAPI body to compare the upload with')];
  const expected = buildSnapshotPayload(servedBody, { messageCount: facts.messageCount, limitBytes: facts.payloadLimitBytes });
  if (expected.status !== 'ok') return [broke('payload-policy', `the policy posts nothing for this conversation (status ${expected.status}), but an upload was stored`)];
  if (snapshot.rawBody === expected.payload) return [];
  const at = firstDifference(snapshot.rawBody, expected.payload);
  const excerpt = (text: string) => JSON.stringify(text.slice(Math.max(0, at - 30), at + 30));
  return [
    broke(
      'payload-policy',
      `the upload (${Buffer.byteLength(snapshot.rawBody)} bytes) differs from the policy payload (${Buffer.byteLength(expected.payload)} bytes) at character ${at}: got ${excerpt(snapshot.rawBody)}, policy ${excerpt(expected.payload)}`,
    ),
  ];
};

function firstDifference(a: string, b: string): number {
  let index = 0;
  while (index < a.length && index < b.length && a[index] === b[index]) index += 1;
  return index;
}

/** NUL bytes are gone (PostgreSQL jsonb rejects them) and the rest of the text survived. */
export const storedWithoutNul: Check = ({ snapshot, conversation: served, facts }) => {
  const messages = snapshot === undefined ? undefined : messagesOf(snapshot.data);
  if (messages === undefined) return [broke('snapshot-stored', 'coderd stored no snapshot')];
  const failures: string[] = [];
  served.slice(-facts.messageCount).forEach((message, index) => {
    const got = (messages[index] as Partial<ConversationMessage> | undefined)?.content;
    if (typeof got !== 'string') {
      failures.push(broke('nul-removed', `stored message ${index} has no content`));
      return;
    }
    if (got.includes('\u0000')) failures.push(broke('nul-removed', `stored message ${index} still contains a NUL`));
    let from = 0;
    for (const piece of message.content.split('\u0000').filter((part) => part !== '')) {
      const at = got.indexOf(piece, from);
      if (at < 0) {
        failures.push(broke('nul-removed', `stored message ${index} lost the text ${JSON.stringify(piece.slice(0, 40))}`));
        break;
      }
      from = at + piece.length;
    }
  });
  return failures;
};

export const lastUploadStatus =
  (status: number): Check =>
  ({ coderdPosts }) => {
    const last = coderdPosts.at(-1);
    return last?.status === status ? [] : [broke('upload-status', `the last upload got ${last?.status ?? 'no response'}, expected ${status}`)];
  };

/** The mock checks the token's value itself (a wrong one is a 401); this checks the header was used. */
export const uploadsCarryToken: Check = ({ coderdPosts }) =>
  coderdPosts.filter((post) => !post.hasSessionToken).map(() => broke('token-header', 'an upload did not carry the agent token in a Coder-Session-Token header'));

const routeOf = (taskId: string) => SNAPSHOT_ROUTE.replace('{task}', taskId);

export const uploadsUseRoute: Check = ({ coderdPosts, taskId }) =>
  coderdPosts
    .filter((post) => {
      const route = post.path.replace(/\/+/g, '/') === routeOf(taskId);
      const query = Object.keys(post.query).length === 1 && post.query.format?.length === 1 && post.query.format[0] === SNAPSHOT_FORMAT;
      return post.method !== 'POST' || !route || !query;
    })
    .map((post) =>
      broke(
        'snapshot-route',
        `an upload went to ${post.method} ${post.path}?${new URLSearchParams(Object.entries(post.query).flatMap(([k, vs]) => vs.map((v) => [k, v])))}, not POST to the log-snapshot route with ?format=agentapi`,
      ),
    );

/** Every upload named this task in its path (e.g. a task coderd does not know). */
export const uploadsFor =
  (taskId: string): Check =>
  ({ coderdPosts }) =>
    coderdPosts
      .filter((post) => post.path.replace(/\/+/g, '/') !== routeOf(taskId))
      .map((post) => broke('snapshot-route', `an upload went to ${post.path}, not to the route of task ${taskId}`));

/** Nothing was fetched from AgentAPI (there was no way to post it). */
export const agentapiNotAsked: Check = ({ agentapiRequests }) =>
  agentapiRequests.length === 0
    ? []
    : [broke('no-needless-fetch', `AgentAPI was asked ${agentapiRequests.map((request) => `${request.method} ${request.path}`).join(', ')}, which nothing could post`)];

/** The AgentAPI process was asked to stop with SIGTERM and is gone. */
export const processTerminated: Check = async ({ process }) => {
  if (process === undefined) return [broke('harness', 'no AgentAPI process was started')];
  const failures: string[] = [];
  // Exit first, then read: the process records a signal just before it exits.
  const exited = await process.waitForExit(2000);
  if (!(await process.signals()).some((entry) => entry.signal === 'SIGTERM')) failures.push(broke('sigterm', 'AgentAPI never got SIGTERM'));
  if (!exited) failures.push(broke('sigterm', 'AgentAPI is still running after the script finished'));
  return failures;
};

/** The process ignored SIGTERM and the script killed it after its wait. */
export const processKilled: Check = async ({ process }) => {
  if (process === undefined) return [broke('harness', 'no AgentAPI process was started')];
  const failures: string[] = [];
  const exited = await process.waitForExit(2000);
  if (!(await process.signals()).some((entry) => entry.signal === 'SIGTERM')) failures.push(broke('sigterm', 'AgentAPI never got SIGTERM'));
  if (!exited) failures.push(broke('sigkill-after-wait', 'AgentAPI (ignoring SIGTERM) was still running after the script finished: it was never killed'));
  else if (process.ended()?.signal !== 'SIGKILL') failures.push(broke('sigkill-after-wait', `AgentAPI ended by ${JSON.stringify(process.ended())}, expected SIGKILL`));
  return failures;
};

/** State persistence: SIGUSR1 arrives before the snapshot is fetched, SIGTERM after the upload. */
export const sigusr1BeforeSnapshot: Check = ({ signals, agentapiRequests, coderdPosts }) => {
  const usr1 = signals.find((entry) => entry.signal === 'SIGUSR1');
  if (usr1 === undefined) return [broke('sigusr1-order', 'AgentAPI never got SIGUSR1')];
  const failures: string[] = [];
  const fetch = agentapiRequests.find((request) => request.path.startsWith('/messages'));
  if (fetch !== undefined && fetch.at < usr1.at) failures.push(broke('sigusr1-order', 'the snapshot was fetched before SIGUSR1 was sent'));
  const term = signals.find((entry) => entry.signal === 'SIGTERM');
  if (term !== undefined && term.at < usr1.at) failures.push(broke('sigusr1-order', 'SIGTERM came before SIGUSR1'));
  const lastPost = coderdPosts.at(-1);
  if (term !== undefined && lastPost !== undefined && term.at < lastPost.at) failures.push(broke('sigusr1-order', 'SIGTERM came before the snapshot upload'));
  return failures;
};

export const noSigusr1: Check = ({ signals }) => (signals.some((entry) => entry.signal === 'SIGUSR1') ? [broke('no-sigusr1', 'AgentAPI got SIGUSR1, expected none')] : []);

/** SIGTERM only after the snapshot: the conversation must be read while AgentAPI still runs. */
export const sigtermAfterSnapshot: Check = ({ signals, agentapiRequests, coderdPosts }) => {
  const term = signals.find((entry) => entry.signal === 'SIGTERM');
  if (term === undefined) return [];
  const failures: string[] = [];
  if (agentapiRequests.some((request) => request.at > term.at)) failures.push(broke('sigterm-after-snapshot', 'AgentAPI was asked for messages after SIGTERM'));
  if (coderdPosts.some((post) => post.at > term.at)) failures.push(broke('sigterm-after-snapshot', 'the snapshot was uploaded after SIGTERM'));
  return failures;
};

/** The shell syntax in var.task_id stayed data: nothing it spells out was run. */
export const nothingInjected: Check = async ({ home }) => {
  const created = await readdir(home).catch(() => [] as string[]);
  return created.includes('pwned') ? [broke('no-injection', 'var.task_id was executed as shell code (a file "pwned" appeared)')] : [];
};

/** The output says why no snapshot was posted. */
export const saysWhyNotPosted: Check = ({ run }) =>
  /Error: |capture failed|skipping/.test(run.output) ? [] : [broke('error-line', 'the output does not say why no snapshot was posted')];

function messagesOf(data: unknown): unknown[] | undefined {
  if (data === null || typeof data !== 'object') return undefined;
  const messages = (data as { messages?: unknown }).messages;
  return Array.isArray(messages) ? messages : undefined;
}
