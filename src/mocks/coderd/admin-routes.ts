import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBodyText } from '../shared/read-body.ts';
import type { CoderdContext } from './context.ts';
import { validateCoderdFault } from './faults.ts';
import { versionSettings } from './coder-versions.ts';
import { AGENT_STATES, APP_HEALTHS, BUILD_TRANSITIONS, JOB_STATUSES, TASK_STATUSES, WORKSPACE_STATES } from './types.ts';

/**
 * Test controls under `/__mock` (no auth, never recorded), so a mock started by the CLI in another
 * process can be steered: tasks, their status and workspace state, faults, rate limit, route
 * presence, read access to recorded requests and stored snapshots, and storing a snapshot as is.
 */
export async function serveCoderdAdmin(path: string, req: IncomingMessage, res: ServerResponse, ctx: CoderdContext): Promise<void> {
  const parts = path.split('/').slice(2);
  const route = `${req.method} ${parts.map((part, index) => (isIdSlot(parts, index) ? ':id' : part)).join('/')}`;
  const id = decodeURIComponentSafe(parts[1] ?? '');
  try {
    switch (route) {
      case 'POST tasks':
        return send(res, 201, ctx.store.createTask(z.object({ status: z.enum(TASK_STATUSES).optional(), user: z.string().optional() }).parse(await jsonBody(req, res, true))));
      case 'GET tasks':
        return send(res, 200, ctx.store.tasksWithStatus());
      case 'DELETE tasks/:id':
        return ctx.store.deleteTask(id) ? noContent(res) : notFound(res, `task ${id}`);
      case 'PUT tasks/:id/status': {
        const { status } = z.object({ status: z.enum(TASK_STATUSES) }).parse(await jsonBody(req, res));
        return ctx.store.setTaskStatus(id, status) ? send(res, 200, { taskId: id, status }) : notFound(res, `task ${id}`);
      }
      case 'PUT workspaces/:id/condition': {
        const condition = workspaceCondition.parse(await jsonBody(req, res));
        if (!ctx.store.setWorkspaceCondition(id, condition)) return notFound(res, `workspace ${id}`);
        const task = [...ctx.store.tasks.values()].find((candidate) => candidate.workspaceId === id);
        return send(res, 200, { workspaceId: id, ...condition, status: task === undefined ? undefined : ctx.store.taskStatus(task.id) });
      }
      case 'PUT workspaces/:id/state': {
        const { state } = z.object({ state: z.enum(WORKSPACE_STATES) }).parse(await jsonBody(req, res));
        return ctx.store.setWorkspaceState(id, state) ? send(res, 200, { workspaceId: id, state }) : notFound(res, `workspace ${id}`);
      }
      case 'GET requests':
        return send(res, 200, ctx.requests);
      case 'DELETE requests':
        ctx.requests.length = 0;
        return noContent(res);
      case 'GET snapshots':
        return send(res, 200, [...ctx.store.snapshots.values()]);
      case 'GET snapshots/:id': {
        const snapshot = ctx.store.snapshots.get(id);
        return snapshot === undefined ? notFound(res, `snapshot for task ${id}`) : send(res, 200, snapshot);
      }
      case 'PUT snapshots/:id': {
        // Stored as given, past the upload route's checks: for readers facing a snapshot no upload could make.
        const { format, data } = rawSnapshot.parse(await jsonBody(req, res));
        return send(res, 200, ctx.store.upsertSnapshot(id, data, JSON.stringify(data), format));
      }
      case 'POST faults':
        ctx.fault.set(validateCoderdFault(await jsonBody(req, res)));
        return noContent(res);
      case 'DELETE faults':
        ctx.fault.set(null);
        return noContent(res);
      case 'PUT rate-limit':
        ctx.rateLimiter.set(z.object({ limit: z.number(), windowMs: z.number().optional() }).parse(await jsonBody(req, res)));
        return noContent(res);
      case 'DELETE rate-limit':
        ctx.rateLimiter.set(null);
        return noContent(res);
      case 'PUT coder-version': {
        const { version, enableAiTasks } = z.object({ version: z.string(), enableAiTasks: z.boolean().optional() }).parse(await jsonBody(req, res));
        Object.assign(ctx.settings, versionSettings(version, enableAiTasks, false));
        return noContent(res);
      }
      case 'PUT route-missing':
        ctx.settings.routeMissing = z.object({ enabled: z.boolean() }).parse(await jsonBody(req, res)).enabled;
        return noContent(res);
      default:
        return notFound(res, `admin route ${req.method} ${path}`);
    }
  } catch (error) {
    return send(res, 400, { error: describe(error) });
  }
}

const workspaceCondition = z.strictObject({
  build: z.strictObject({ transition: z.enum(BUILD_TRANSITIONS), jobStatus: z.enum(JOB_STATUSES) }).nullable().optional(),
  agent: z.enum(AGENT_STATES).optional(),
  app: z.enum(APP_HEALTHS).optional(),
});

const rawSnapshot = z.object({
  format: z.string().default('agentapi'),
  data: z.object({
    $schema: z.string().optional(),
    messages: z.array(z.object({ id: z.number().int(), content: z.string(), role: z.string(), time: z.string() })),
  }),
});

/** The second segment of tasks/…, workspaces/…, snapshots/… is an ID. */
function isIdSlot(parts: string[], index: number): boolean {
  return index === 1 && ['tasks', 'workspaces', 'snapshots'].includes(parts[0] ?? '');
}

async function jsonBody(req: IncomingMessage, res: ServerResponse, optional = false): Promise<unknown> {
  const text = await readBodyText(req, res);
  if (text === undefined) throw new Error('body too large');
  if (text.trim() === '' && optional) return {};
  return JSON.parse(text);
}

function describe(error: unknown): string {
  if (error instanceof z.ZodError) return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  return error instanceof Error ? error.message : String(error);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}

function notFound(res: ServerResponse, what: string): void {
  send(res, 404, { error: `no ${what}` });
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
