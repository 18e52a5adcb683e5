import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateUser, sessionToken } from './auth.ts';
import type { CoderdContext } from './context.ts';
import type { StoredMessage } from './decode-snapshot.ts';
import { parseGoUuid } from './go-uuid.ts';
import { MESSAGES, writeJson, writeMessage } from './respond.ts';
import type { MockTask, MockUser } from './types.ts';

/** codersdk.TaskLogEntry. */
interface TaskLogEntry {
  id: number;
  content: string;
  type: 'input' | 'output';
  time: string;
}

const LIVE_TIMEOUT_MS = 5_000;

/**
 * `GET /api/v2/tasks/{user}/{task}/logs`: paused, pending and initializing tasks answer from the
 * stored snapshot, error/unknown answer 409, active tasks are read live from AgentAPI. The status
 * is derived from the workspace (task-status.ts): `unknown` while a stop build runs, `error` after
 * a failed one, though the snapshot the stop script sent is stored.
 */
export async function handleTaskLogs(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: CoderdContext,
  userSegment: string,
  taskSegment: string,
  query: Map<string, string[]>,
): Promise<void> {
  const auth = authenticateUser(ctx.store, sessionToken(req, query));
  if (!auth.ok) return writeMessage(res, auth.status, auth.message, auth.detail === undefined ? {} : { detail: auth.detail });
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return writeMessage(res, 405, MESSAGES.methodNotAllowed);
  }
  const task = findTask(ctx, auth.value, userSegment, taskSegment);
  if (task === undefined) return writeMessage(res, 404, MESSAGES.notFound);
  const status = ctx.store.taskStatus(task.id);
  switch (status) {
    case 'paused':
    case 'pending':
    case 'initializing':
      // before v2.30 the logs route read the task app only (an approximation: the 409 stands for its error)
      if (!ctx.settings.snapshotRead) return writeMessage(res, 409, MESSAGES.logsConflict, { detail: `Task status is ${JSON.stringify(status)}.` });
      return answerFromSnapshot(res, ctx, task.id);
    case 'active':
      return answerLive(res, ctx);
    default:
      return writeMessage(res, 409, MESSAGES.logsConflict, { detail: `Task status is ${JSON.stringify(status)}.` });
  }
}

/** `{user}` is `me`, a username or a user ID, and must be the caller (the mock has no admins). */
function findTask(ctx: CoderdContext, caller: MockUser, userSegment: string, taskSegment: string): MockTask | undefined {
  const isCaller = userSegment === 'me' || userSegment === caller.username || parseGoUuid(userSegment) === caller.id;
  if (!isCaller) return undefined;
  const taskId = parseGoUuid(taskSegment);
  const task = taskId === undefined ? undefined : ctx.store.tasks.get(taskId);
  return task !== undefined && task.deletedAt === null && task.owner === caller.username ? task : undefined;
}

function answerFromSnapshot(res: ServerResponse, ctx: CoderdContext, taskId: string): void {
  const snapshot = ctx.store.snapshots.get(taskId);
  if (snapshot === undefined) return writeJson(res, 200, { logs: [], snapshot: true });
  if (snapshot.format !== 'agentapi') {
    return writeMessage(res, 500, MESSAGES.unsupportedSnapshotFormat, { detail: `Expected format "agentapi", got ${JSON.stringify(snapshot.format)}.` });
  }
  const logs = toLogEntries(snapshot.data.messages);
  if (typeof logs === 'string') return writeMessage(res, 500, MESSAGES.invalidSnapshotData, { detail: logs });
  writeJson(res, 200, { logs, snapshot: true, snapshot_at: snapshot.created_at });
}

async function answerLive(res: ServerResponse, ctx: CoderdContext): Promise<void> {
  const base = ctx.settings.liveAgentapiUrl;
  if (base === null) return writeJson(res, 200, { logs: [] });
  let messages: StoredMessage[];
  try {
    const response = await fetch(new URL('messages', base.endsWith('/') ? base : `${base}/`), { signal: AbortSignal.timeout(LIVE_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`status code ${response.status}`);
    messages = ((await response.json()) as { messages: StoredMessage[] }).messages ?? [];
  } catch (error) {
    return writeMessage(res, 502, 'Failed to get messages from task app.', { detail: (error as Error).message });
  }
  const logs = toLogEntries(messages);
  if (typeof logs === 'string') return writeMessage(res, 502, 'Invalid task app response.', { detail: logs });
  writeJson(res, 200, { logs });
}

/** user -> input, agent -> output; any other role makes the whole answer fail (returns the error text). */
function toLogEntries(messages: readonly StoredMessage[]): TaskLogEntry[] | string {
  const logs: TaskLogEntry[] = [];
  for (const message of messages) {
    if (message.role !== 'user' && message.role !== 'agent') return `invalid agentapi message role ${JSON.stringify(message.role)}`;
    logs.push({ id: message.id, content: message.content, type: message.role === 'user' ? 'input' : 'output', time: message.time });
  }
  return logs;
}
